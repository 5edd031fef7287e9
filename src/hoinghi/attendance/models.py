"""Check-in, presence of bridge points, headcounts, incidents and questions from the floor.

`CheckIn` is the append-only log of everything a point sent: one row per scan, keyed by the
UUID the client made, so a retried scan is recognised and changes nothing. `Attendance` is the
state derived from it: one row per (person, point) where a valid scan made the person present.
A person scanned at two points is kept at both (and flagged); "present" counts people, not rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoinghi.conferences.models import BridgePoint, Conference, Invitation, ProgrammeItem
from hoinghi.orgs.models import Person


class CheckInMethod(models.TextChoices):
    QR = "qr", _("Quét mã QR")
    SEARCH = "search", _("Tìm theo tên")
    BLOCK = "block", _("Đánh dấu theo danh sách")
    SELF = "self", _("Tự điểm danh")
    UNDO = "undo", _("Hủy điểm danh")
    GUEST = "guest", _("Khách ngoài danh sách (nhập tên)")


class CheckInOutcome(models.TextChoices):
    PRESENT = "present", _("Có mặt")
    ALREADY_PRESENT = "already_present", _("Đã điểm danh trước đó")
    OTHER_POINT = "other_point", _("Được mời ở điểm cầu khác")
    GUEST = "guest", _("Khách không có giấy mời")
    UNLISTED_GUEST = "unlisted_guest", _("Khách ngoài danh sách")
    UNDONE = "undone", _("Đã hủy điểm danh")
    REJECTED = "rejected", _("Không hợp lệ")


class CheckIn(models.Model):
    """One scan as the point sent it. Never updated, never deleted: the only rows ever removed
    are those a replay of the morning made on a demo conference (`is_simulated`), which the
    next replay forgets (`attendance.simulation.morning_reset`).

    Someone from outside the point's list without a QR code is recorded by the name the operator
    typed (`guest_name`, outcome `unlisted_guest`), linked to no stored person: the row itself is
    their presence (counted at the point, listed in the report for the organisers to reconcile),
    so it has no `Attendance`."""

    SCOPE_PATH = "point__unit__path"
    SCOPE_POINT = "point_id"

    id = models.UUIDField(primary_key=True, editable=False)  # made by the client, once per scan
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="checkins")
    point = models.ForeignKey(BridgePoint, on_delete=models.CASCADE, related_name="checkins")
    method = models.CharField(max_length=10, choices=CheckInMethod.choices)
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    token = models.CharField(max_length=64, blank=True)  # what was scanned, kept for rejected scans
    guest_name = models.CharField(_("tên khách"), max_length=200, blank=True)  # typed, for an unlisted guest
    outcome = models.CharField(max_length=20, choices=CheckInOutcome.choices)
    reason = models.CharField(max_length=40, blank=True)
    # The device's clock (offline scans keep their time), in UTC; empty when it could not be believed
    # (attendance.services.checkin.scan_time): then the scan is rejected and `scanned_at_sent`
    # keeps what the device sent.
    scanned_at = models.DateTimeField(_("lúc quét"), null=True, blank=True)
    scanned_at_sent = models.CharField(max_length=40, blank=True)
    received_at = models.DateTimeField(_("lúc nhận"), auto_now_add=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_simulated = models.BooleanField(default=False, editable=False)  # made by a replay of the morning

    class Meta:
        verbose_name = _("lượt điểm danh")
        verbose_name_plural = _("lượt điểm danh")
        indexes = [
            models.Index(fields=["conference", "received_at"], name="checkin_conference_received"),
            models.Index(fields=["point", "scanned_at"], name="checkin_point_scanned"),
            models.Index(
                fields=["point"],
                condition=Q(outcome=CheckInOutcome.UNLISTED_GUEST),
                name="checkin_unlisted_guest",
            ),
        ]

    def __str__(self) -> str:
        at = f"{self.scanned_at:%H:%M:%S}" if self.scanned_at else self.scanned_at_sent
        return f"{self.get_method_display()} {self.outcome} {at}"


class Attendance(models.Model):
    """A person present at a point, made by the first valid scan there."""

    SCOPE_PATH = "person__unit__path"
    SCOPE_POINT = "point_id"

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendances")
    point = models.ForeignKey(BridgePoint, on_delete=models.CASCADE, related_name="attendances")
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checkin = models.ForeignKey(CheckIn, on_delete=models.PROTECT, related_name="+")
    checked_in_at = models.DateTimeField()
    is_guest = models.BooleanField(default=False)
    is_other_point = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conference", "person", "point"], name="present_once_per_point"),
        ]
        indexes = [models.Index(fields=["conference", "checked_in_at"], name="attendance_timeline")]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.point_id}"


class PointPresence(models.Model):
    """The last heartbeat of a point's open pages: online, or silent since when."""

    point = models.OneToOneField(BridgePoint, on_delete=models.CASCADE, related_name="presence")
    last_seen_at = models.DateTimeField()
    first_seen_at = models.DateTimeField()
    queued_scans = models.PositiveIntegerField(default=0)  # what the device still holds offline
    # The point's video player, as it reports with the heartbeat (HLS viewers trigger nothing in
    # nginx): playing, buffering, stalled, paused, error or "" (no player), since when, and how.
    playback = models.CharField(max_length=12, blank=True)
    playback_since = models.DateTimeField(null=True, blank=True)
    playback_reported_at = models.DateTimeField(null=True, blank=True)
    playback_bitrate = models.PositiveIntegerField(null=True, blank=True)  # bits/s of the level played
    playback_delay = models.FloatField(null=True, blank=True)  # seconds behind the encoder (estimated)

    def __str__(self) -> str:
        return f"{self.point_id} {self.last_seen_at:%H:%M:%S}"


class AbsenceReason(models.TextChoices):
    """Why people reported in a headcount were absent: the code is stored, the label shown."""

    ILLNESS_OR_FAMILY = "illness_or_family", _("Ốm, việc gia đình")
    BUSINESS_TRIP = "business_trip", _("Đi công tác")
    UNKNOWN = "unknown", _("Không rõ lý do")


class Headcount(models.Model):
    """Counts an operator reports where per-person check-in is not possible."""

    SCOPE_PATH = "point__unit__path"
    SCOPE_POINT = "point_id"

    point = models.ForeignKey(BridgePoint, on_delete=models.CASCADE, related_name="headcounts")
    present = models.PositiveIntegerField(_("có mặt"))
    absent = models.PositiveIntegerField(_("vắng mặt"), default=0)
    absent_reasons = models.JSONField(_("lý do vắng"), default=dict, blank=True)  # AbsenceReason -> count
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    reported_at = models.DateTimeField(auto_now_add=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.point_id}: {self.present}"


class IncidentKind(models.TextChoices):
    NO_SOUND = "no_sound", _("Mất tiếng")
    NO_PICTURE = "no_picture", _("Mất hình")
    LINK_DOWN = "link_down", _("Mất đường truyền")
    STALLED = "stalled", _("Hình ảnh bị đứng")
    OTHER = "other", _("Sự cố khác")


class Incident(models.Model):
    SCOPE_PATH = "point__unit__path"
    SCOPE_POINT = "point_id"

    point = models.ForeignKey(BridgePoint, on_delete=models.CASCADE, related_name="incidents")
    kind = models.CharField(_("loại sự cố"), max_length=20, choices=IncidentKind.choices)
    note = models.CharField(_("mô tả"), max_length=500, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(_("cách xử lý"), max_length=500, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["point", "closed_at"], name="incident_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=models.F("opened_at")),
                name="incident_closed_after_opened",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} @ {self.point_id}"


class QuestionStatus(models.TextChoices):
    PENDING = "pending", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    MERGED = "merged", _("Đã gộp")
    ANSWERED = "answered", _("Đã trả lời")
    REJECTED = "rejected", _("Không duyệt")


class Question(models.Model):
    """A written question from the floor, tied to a programme item."""

    SCOPE_PATH = "point__unit__path"
    SCOPE_POINT = "point_id"

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="questions")
    item = models.ForeignKey(
        ProgrammeItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    point = models.ForeignKey(BridgePoint, on_delete=models.CASCADE, related_name="questions")
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # 1, 2, 3… within its conference (what moderators and the board call "#12"), given by
    # `question_ask` with the conference's row locked; the id runs across every conference.
    number = models.PositiveIntegerField(_("số thứ tự"), default=0, editable=False)
    text = models.TextField(_("câu hỏi"), max_length=2000)
    status = models.CharField(max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.PENDING)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    answer = models.TextField(_("trả lời"), blank=True)
    asked_at = models.DateTimeField(auto_now_add=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["asked_at", "id"]
        indexes = [models.Index(fields=["conference", "status"], name="question_status")]
        constraints = [
            models.UniqueConstraint(fields=["conference", "number"], name="question_number_per_conference"),
        ]

    def __str__(self) -> str:
        return self.text[:60]
