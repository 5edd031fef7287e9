"""Live video of a conference: its stream and keys, what nginx reported, recordings and chapters,
and what invitees watched later.

Python never carries video: nginx with the RTMP module takes the host's encoder, writes HLS and
the recording, and asks hoinghi through HTTP callbacks (`views.hooks`) whether a publisher may go
on. These rows are what those callbacks and the players' reports leave behind.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoinghi.conferences.models import Conference, Invitation, ProgrammeItem
from hoinghi.core.models import TimeStampedModel


def new_stream_name() -> str:
    """The stream's public name in RTMP and HLS paths: random, so that it tells nothing, and never
    the key (the key travels only in the publisher's query string)."""
    return secrets.token_hex(6)


def new_key_secret() -> str:
    return secrets.token_urlsafe(24)


class StreamSource(models.TextChoices):
    RTMP = "rtmp", _("Bộ mã hóa tại điểm cầu chính đẩy lên máy chủ hội nghị (RTMP)")
    EXTERNAL = "external", _("Nguồn HLS bên ngoài (đài truyền hình, hệ thống khác)")


class StreamState(models.TextChoices):
    IDLE = "idle", _("Chưa phát")
    LIVE = "live", _("Đang phát")
    REHEARSAL = "rehearsal", _("Đang phát thử")
    STOPPED = "stopped", _("Đã dừng")


class Stream(TimeStampedModel):
    """The one live stream of a conference (the picture and sound of the host point)."""

    conference = models.OneToOneField(Conference, on_delete=models.CASCADE, related_name="stream")
    name = models.CharField(max_length=40, unique=True, default=new_stream_name, editable=False)
    source = models.CharField(
        _("nguồn tín hiệu"), max_length=10, choices=StreamSource.choices, default=StreamSource.RTMP
    )
    external_url = models.URLField(_("địa chỉ HLS bên ngoài"), max_length=500, blank=True)
    is_public = models.BooleanField(
        _("công khai"), default=False, help_text=_("Ai có đường dẫn cũng xem được, không cần thư mời.")
    )
    rehearsal_starts_at = models.DateTimeField(_("phát thử từ"), null=True, blank=True)
    rehearsal_ends_at = models.DateTimeField(_("phát thử đến"), null=True, blank=True)
    # What nginx told us last (callbacks), kept on the row for the dashboard's one query.
    state = models.CharField(max_length=10, choices=StreamState.choices, default=StreamState.IDLE)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    publishing_key = models.ForeignKey(
        "StreamKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    publisher_addr = models.CharField(max_length=100, blank=True)
    publisher_client = models.CharField(max_length=40, blank=True)  # nginx's clientid

    class Meta:
        verbose_name = _("luồng truyền hình")
        verbose_name_plural = _("luồng truyền hình")
        constraints = [
            models.CheckConstraint(
                condition=Q(rehearsal_ends_at__isnull=True)
                | Q(rehearsal_starts_at__isnull=True)
                | Q(rehearsal_ends_at__gt=models.F("rehearsal_starts_at")),
                name="stream_rehearsal_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conference_id}: {self.name}"

    @property
    def is_publishing(self) -> bool:
        return self.state in (StreamState.LIVE, StreamState.REHEARSAL)

    def in_rehearsal(self, now=None) -> bool:
        now = now or timezone.now()
        return bool(
            self.rehearsal_starts_at
            and self.rehearsal_ends_at
            and self.rehearsal_starts_at <= now < self.rehearsal_ends_at
        )


class StreamKey(models.Model):
    """A publishing key. Rotating makes a new key and retires the old one (no new publish with it,
    a running one goes on); revoking refuses it at once, cutting a running publisher off."""

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="keys")
    secret = models.CharField(max_length=64, unique=True, default=new_key_secret, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.stream_id}: …{self.secret[-4:]}"

    @property
    def is_current(self) -> bool:
        return self.retired_at is None and self.revoked_at is None

    @property
    def masked(self) -> str:
        return f"{'•' * 8}{self.secret[-4:]}"


class StreamEventKind(models.TextChoices):
    PUBLISH = "publish", _("Bắt đầu phát")
    REFUSED = "refused", _("Từ chối phát")
    CUT = "cut", _("Cắt luồng (khóa bị thu hồi)")
    DONE = "done", _("Dừng phát")
    RECORDED = "recorded", _("Đã ghi hình")
    KEY_ROTATED = "key_rotated", _("Đổi khóa phát")
    KEY_REVOKED = "key_revoked", _("Thu hồi khóa phát")


class StreamEvent(models.Model):
    """What happened to the stream, as nginx reported it or an organiser did it."""

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=StreamEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    addr = models.CharField(max_length=100, blank=True)
    key = models.ForeignKey(StreamKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%H:%M:%S}"


class ProcessingStatus(models.TextChoices):
    WAITING = "waiting", _("Chờ xử lý")
    PROCESSING = "processing", _("Đang xử lý")
    READY = "ready", _("Sẵn sàng")
    FAILED = "failed", _("Lỗi")


class Recording(TimeStampedModel):
    """One file nginx recorded (a publish from start to stop), as `on_record_done` registered it."""

    stream = models.ForeignKey(Stream, on_delete=models.CASCADE, related_name="recordings")
    path = models.CharField(max_length=500, unique=True)  # relative to STREAM_DIR
    started_at = models.DateTimeField()  # when the publish began (the recording's second 0)
    ended_at = models.DateTimeField()
    rehearsal = models.BooleanField(default=False)
    duration = models.FloatField(null=True, blank=True)  # seconds, from ffprobe
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(
        max_length=12, choices=ProcessingStatus.choices, default=ProcessingStatus.WAITING
    )
    error = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return self.path


class Chapter(TimeStampedModel):
    """A programme item cut out of a recording for watching later. The times come from the
    programme and the organiser may adjust them; the file is cut again then."""

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="chapters")
    item = models.ForeignKey(
        ProgrammeItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="chapters"
    )
    title = models.CharField(_("tên đoạn"), max_length=500)
    start = models.FloatField(_("từ giây"))  # seconds into the recording
    end = models.FloatField(_("đến giây"))
    path = models.CharField(max_length=500, blank=True)  # the cut .mp4, relative to STREAM_DIR
    duration = models.FloatField(null=True, blank=True)  # of the cut file (ffprobe)
    status = models.CharField(
        max_length=12, choices=ProcessingStatus.choices, default=ProcessingStatus.WAITING
    )
    error = models.TextField(blank=True)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["recording_id", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="chapter_ends_after_start"),
            models.CheckConstraint(condition=Q(start__gte=0), name="chapter_starts_at_or_after_zero"),
        ]

    def __str__(self) -> str:
        return self.title


class Viewing(models.Model):
    """What one invitee watched of one chapter, from the player's reports: the intervals of the
    chapter (seconds) that played in a visible tab, merged, and their total. Rewatching a part
    adds nothing; `seconds` is the length of the union."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="viewings")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="viewings")
    intervals = models.JSONField(default=list)  # [[start, end], ...] sorted, disjoint
    seconds = models.FloatField(default=0)
    first_at = models.DateTimeField(auto_now_add=True)
    last_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invitation", "chapter"], name="viewing_once_per_chapter"),
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id} {self.chapter_id}: {self.seconds:.0f}s"


class LiveViewer(models.Model):
    """An invitee's player on the live stream (phones and laptops outside the bridge points): its
    last report, so organisers see how many watch and how well."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="live_viewer")
    state = models.CharField(max_length=12)
    bitrate = models.PositiveIntegerField(null=True, blank=True)  # bits/s
    delay = models.FloatField(null=True, blank=True)  # seconds behind the live edge
    reported_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.invitation_id}: {self.state}"
