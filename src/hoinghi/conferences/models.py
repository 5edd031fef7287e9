"""A conference: its programme, bridge points, eligibility rules, invitations and materials.

Scoping: a conference belongs to its organising unit; a bridge point to the unit that hosts it;
an invitation to the invited person's unit. A provincial organiser therefore sees the points and
invitees of their subtree of a national conference, and nothing else of it can be changed by them.
"""

import secrets
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoinghi.core.models import TimeStampedModel
from hoinghi.orgs.models import Level, Person, PositionRole, Unit, UnitKind
from hoinghi.orgs.vietnamese import sort_key


class ConferenceStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    INVITATIONS_ISSUED = "invitations_issued", _("Đã phát hành giấy mời")
    LIVE = "live", _("Đang diễn ra")
    ENDED = "ended", _("Đã kết thúc")
    ARCHIVED = "archived", _("Đã lưu trữ")
    CANCELLED = "cancelled", _("Đã hủy")


# The life cycle: which stage may follow which. Going back from "issued" to "draft" is allowed
# (invitations are withdrawn, never deleted); nothing goes back once the conference is live.
# A conference that will not take place is cancelled (with a reason) before it starts: it keeps its
# invitations and history, and nothing follows. Only a draft whose invitations never went out may
# be deleted instead (`conference_delete`).
TRANSITIONS: dict[str, frozenset[str]] = {
    ConferenceStatus.DRAFT: frozenset({ConferenceStatus.INVITATIONS_ISSUED, ConferenceStatus.CANCELLED}),
    ConferenceStatus.INVITATIONS_ISSUED: frozenset(
        {ConferenceStatus.DRAFT, ConferenceStatus.LIVE, ConferenceStatus.CANCELLED}
    ),
    ConferenceStatus.LIVE: frozenset({ConferenceStatus.ENDED}),
    ConferenceStatus.ENDED: frozenset({ConferenceStatus.ARCHIVED}),
    ConferenceStatus.ARCHIVED: frozenset(),
    ConferenceStatus.CANCELLED: frozenset(),
}


class Conference(TimeStampedModel):
    SCOPE_PATH = "organising_unit__path"
    SCOPE_CONFERENCE = "id"  # the operators of its points see it (conferences.permissions)
    # A conference concerns its organising unit's whole subtree: a grant below it (a province, for
    # a national conference) also sees it, and sends the invitations of its own part.
    SCOPE_SHARED_DOWN = frozenset({"conferences.view", "conferences.send"})

    title = models.CharField(_("tên hội nghị"), max_length=300)
    subject = models.CharField(_("nội dung quán triệt"), max_length=500, blank=True)
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    organising_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="conferences"
    )
    status = models.CharField(
        _("trạng thái"), max_length=30, choices=ConferenceStatus.choices, default=ConferenceStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Made by `hoinghi demo-load` with invented people: the only kind of conference a replay of the
    # morning (`hoinghi simulate-conference`) may run on. Set at creation, never changed.
    is_demo = models.BooleanField(_("hội nghị mẫu"), default=False, editable=False)

    class Meta:
        verbose_name = _("hội nghị")
        verbose_name_plural = _("hội nghị")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="conference_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def time_zone(self) -> ZoneInfo:
        """The zone the conference is held in, in which its times are shown and its day ends.
        Every conference today is held in the site's zone (`settings.TIME_ZONE`,
        Asia/Ho_Chi_Minh); this is the one place to change when a conference gets a zone of its own."""
        return ZoneInfo(settings.TIME_ZONE)

    @property
    def day_ends_at(self) -> datetime:
        """Midnight after the conference's last day (the day it ends, else the day it starts), in
        its own zone: "the end of the conference day" whatever the server's clock says."""
        last = (self.ends_at or self.starts_at).astimezone(self.time_zone).date()
        return datetime.combine(last + timedelta(days=1), time(0), tzinfo=self.time_zone)


class ConferenceTransition(models.Model):
    """Who moved a conference from one stage to the next, and when."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=30, choices=ConferenceStatus.choices)
    to_status = models.CharField(max_length=30, choices=ConferenceStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("lý do"), max_length=500, blank=True)  # why it was cancelled

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class ProgrammeItemKind(models.TextChoices):
    OPENING = "opening", _("Khai mạc")
    TOPIC = "topic", _("Chuyên đề")
    DISCUSSION = "discussion", _("Thảo luận")
    BREAK = "break", _("Giải lao")
    CLOSING = "closing", _("Bế mạc")


class ProgrammeItem(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="programme")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    kind = models.CharField(_("loại"), max_length=20, choices=ProgrammeItemKind.choices)
    title = models.CharField(_("nội dung"), max_length=500)
    planned_start = models.DateTimeField(_("bắt đầu dự kiến"), null=True, blank=True)
    planned_end = models.DateTimeField(_("kết thúc dự kiến"), null=True, blank=True)

    class Meta:
        verbose_name = _("mục chương trình")
        verbose_name_plural = _("chương trình")
        ordering = ["conference", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "order"], name="programme_item_order_unique"),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gt=models.F("planned_start")),
                name="programme_item_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Presenter(models.Model):
    """Who delivers a programme item: a person of the tree, or a guest with their title."""

    item = models.ForeignKey(ProgrammeItem, on_delete=models.CASCADE, related_name="presenters")
    order = models.PositiveSmallIntegerField(default=0)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    guest_name = models.CharField(_("họ và tên khách mời"), max_length=200, blank=True)
    title = models.CharField(_("chức danh"), max_length=300, blank=True)

    class Meta:
        ordering = ["item", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(guest_name=""), name="presenter_is_person_or_guest"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.person.full_name if self.person_id else self.guest_name


class BridgePointLevel(models.Model):
    """Levels of bridge points (central, provincial, district...): data, like kinds of unit."""

    code = models.SlugField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên cấp"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("thứ bậc"), default=0)

    class Meta:
        verbose_name = _("cấp điểm cầu")
        verbose_name_plural = _("cấp điểm cầu")
        ordering = ["rank", "name"]

    def __str__(self) -> str:
        return self.name


class BridgePoint(TimeStampedModel):
    """A place where invitees gather to follow the conference (điểm cầu).

    It serves the units linked by `BridgePointUnit` and everything below them that no nearer
    point serves. `unit` is the unit that runs it (and whose subtree's organisers manage it).
    """

    SCOPE_PATH = "unit__path"
    SCOPE_POINT = "id"

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="points")
    name = models.CharField(_("tên điểm cầu"), max_length=300)
    level = models.ForeignKey(
        BridgePointLevel, verbose_name=_("cấp"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị phụ trách"), on_delete=models.PROTECT, related_name="+"
    )
    is_host = models.BooleanField(_("điểm cầu chính"), default=False)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("sức chứa"), null=True, blank=True)
    contact_name = models.CharField(_("cán bộ kỹ thuật"), max_length=200, blank=True)
    contact_phone = models.CharField(_("điện thoại kỹ thuật"), max_length=30, blank=True)
    contact_email = models.EmailField(_("thư điện tử kỹ thuật"), blank=True)
    operators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("người vận hành"), blank=True, related_name="operated_points"
    )
    operator_confirmed_at = models.DateTimeField(_("người vận hành đã xác nhận"), null=True, blank=True)
    equipment_ready_at = models.DateTimeField(_("thiết bị sẵn sàng"), null=True, blank=True)
    link_tested_at = models.DateTimeField(_("đã thử đường truyền"), null=True, blank=True)
    # The name's Vietnamese sort key (orgs.vietnamese.sort_key), set by `point_fill_derived`:
    # lists of points order by it, identically on PostgreSQL and SQLite (docs/architecture.md).
    name_sort_key = models.CharField(max_length=600, editable=False, default="")

    class Meta:
        verbose_name = _("điểm cầu")
        verbose_name_plural = _("điểm cầu")
        ordering = ["conference", "-is_host", "level__rank", "name_sort_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference"], condition=Q(is_host=True), name="one_host_point_per_conference"
            ),
        ]
        indexes = [models.Index(fields=["conference", "unit"], name="conf_point_unit")]

    def __str__(self) -> str:
        return self.name


def point_fill_derived(point: BridgePoint) -> BridgePoint:
    """Set the columns computed from the point's own values (the name's Vietnamese sort key)."""
    point.name_sort_key = sort_key(point.name)[:600]
    return point


class BridgePointUnit(models.Model):
    """A unit served by a point; within a conference a unit is served by at most one point."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="+")
    point = models.ForeignKey(BridgePoint, on_delete=models.CASCADE, related_name="served")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conference", "unit"], name="unit_served_once_per_conference"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.point_id}"


class PersonPointAssignment(models.Model):
    """The organiser sends one person to a point other than their unit's."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="person_assignments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    point = models.ForeignKey(BridgePoint, on_delete=models.CASCADE, related_name="person_assignments")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "person"], name="person_assigned_once_per_conference"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.point_id}"


class FullTime(models.TextChoices):
    ANY = "any", _("Không phân biệt")
    YES = "yes", _("Chuyên trách")
    NO = "no", _("Không chuyên trách")


class EligibilityRule(TimeStampedModel):
    """A category of invitees: current positions matching every condition that is set.

    An empty condition does not restrict. The invitation list is the union of the rules.
    """

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="rules")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên nhóm đối tượng"), max_length=300)
    roles = models.ManyToManyField(PositionRole, verbose_name=_("chức vụ"), blank=True, related_name="+")
    levels = models.ManyToManyField(Level, verbose_name=_("cấp đơn vị"), blank=True, related_name="+")
    unit_kinds = models.ManyToManyField(UnitKind, verbose_name=_("loại đơn vị"), blank=True, related_name="+")
    full_time = models.CharField(
        _("chuyên trách"), max_length=10, choices=FullTime.choices, default=FullTime.ANY
    )
    min_member_count = models.PositiveIntegerField(_("số đoàn viên của đơn vị từ"), null=True, blank=True)
    within = models.ForeignKey(
        Unit,
        verbose_name=_("trong phạm vi đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống: toàn bộ đơn vị tổ chức hội nghị."),
    )

    class Meta:
        verbose_name = _("nhóm đối tượng mời")
        verbose_name_plural = _("nhóm đối tượng mời")
        ordering = ["conference", "order", "id"]

    def __str__(self) -> str:
        return self.name


class OverrideKind(models.TextChoices):
    INCLUDE = "include", _("Mời thêm")
    EXCLUDE = "exclude", _("Không mời")


class InvitationOverride(models.Model):
    """An explicit include or exclude of one person, whatever the rules say."""

    SCOPE_PATH = "person__unit__path"

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="overrides")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=OverrideKind.choices)
    reason = models.CharField(_("lý do"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conference", "person"], name="one_override_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.person_id}"


def new_token() -> str:
    """An unguessable invitation token: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


class InvitationStatus(models.TextChoices):
    ACTIVE = "active", _("Được mời")
    WITHDRAWN = "withdrawn", _("Đã rút khỏi danh sách")


class Invitation(TimeStampedModel):
    """One invited person. Never deleted: someone who drops out is withdrawn, and comes back with
    the same token and history if the rules take them in again."""

    SCOPE_PATH = "person__unit__path"
    SCOPE_POINT = "point_id"

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="invitations")
    status = models.CharField(
        max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.ACTIVE
    )
    point = models.ForeignKey(
        BridgePoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    rules = models.ManyToManyField(EligibilityRule, blank=True, related_name="invitations")
    is_explicit = models.BooleanField(_("mời thêm"), default=False)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    token_revoked_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    sms_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("giấy mời")
        verbose_name_plural = _("giấy mời")
        constraints = [
            models.UniqueConstraint(fields=["conference", "person"], name="invited_once_per_conference"),
        ]
        indexes = [models.Index(fields=["conference", "point", "status"], name="conf_invitation_point")]

    def __str__(self) -> str:
        return f"{self.person} — {self.conference}"


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")


# The kind of the invitation e-mails; the apps built on conferences queue others (a learning
# report's reminder) and say how each is written (the "conferences.outbox_email" point).
INVITATION_EMAIL = "invitation"


class OutboxMessage(TimeStampedModel):
    """An e-mail the conference sends an invitee (an invitation, or another `kind`), with what
    happened to it."""

    SCOPE_PATH = "invitation__person__unit__path"

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="outbox")
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=40, default=INVITATION_EMAIL)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["conference", "status"], name="conf_outbox_status")]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class SmsStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")
    INVALID = "invalid", _("Số không hợp lệ")  # reported on the page, never sent


class SmsMessage(TimeStampedModel):
    """An SMS the conference sends an invitee (their invitation), with what happened to it.

    `to` is the number in E.164 (+84912345678) once `conferences.sms.phone_normalise` accepted it;
    a number it refused is kept as typed, with the status `invalid` and the reason, and never sent.
    """

    SCOPE_PATH = "invitation__person__unit__path"

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="sms")
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="sms")
    to = models.CharField(max_length=30)
    body = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=SmsStatus.choices, default=SmsStatus.QUEUED)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    # What the gateway answered (its message id), to find a message in its records.
    gateway_reference = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["conference", "status"], name="conf_sms_status")]

    def __str__(self) -> str:
        return f"{self.to}: {self.get_status_display()}"


class PrintStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ tạo")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Lỗi")


class InvitationPrint(TimeStampedModel):
    """A point's printed invitations built in the background: every active invitation the
    requester may print, in one PDF, or in a zip of parts when there are too many for one file.

    The file holds every invitee's personal link: it is served only to those who may change the
    point, never from a public address, and only a point's latest print is kept.
    """

    SCOPE_PATH = "point__unit__path"

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="prints")
    point = models.ForeignKey(BridgePoint, on_delete=models.CASCADE, related_name="prints")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=PrintStatus.choices, default=PrintStatus.QUEUED)
    total = models.PositiveIntegerField(_("số giấy mời"), default=0)
    parts = models.PositiveSmallIntegerField(_("số tệp"), default=1)
    file = models.FileField(upload_to="giay-moi/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["point"],
                condition=Q(status__in=["queued", "running"]),
                name="one_running_print_per_point",
            ),
        ]

    def __str__(self) -> str:
        return self.file_name or f"{self.point_id}: {self.total}"


class Material(TimeStampedModel):
    """A document for invitees and operators: the resolution's text, slides..."""

    SCOPE_PATH = "conference__organising_unit__path"
    SCOPE_CONFERENCE = "conference_id"

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="materials")
    item = models.ForeignKey(
        ProgrammeItem, null=True, blank=True, on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("tên tài liệu"), max_length=300)
    file = models.FileField(_("tệp"), upload_to="materials/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")
        ordering = ["conference", "item__order", "title", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def file_name(self) -> str:
        """The stored file's name without its folders (where it is stored is no user's business)."""
        return self.file.name.rsplit("/", 1)[-1]
