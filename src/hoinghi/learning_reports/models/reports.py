"""Learning reports (bài thu hoạch): the assignment a conference sets, each invitee's report, its
frozen versions and personal plans, and the notes taken during the programme.

A report is one per (assignment, invitation): the invitation is who writes (its person, their
unit, the token of their personal page). The draft lives on the report and carries a revision
number that every save bumps: a save based on an older revision is a conflict, kept as a
`DraftConflict` beside the draft, never dropped (services.report_draft_save). Submitting freezes
the draft into a `ReportVersion` with its `PlanItem` rows; versions are never changed.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hoinghi.conferences.models import Conference, Invitation, ProgrammeItem
from hoinghi.core.models import TimeStampedModel

# The two sections every assignment asks for (DESIGN.md: "what I learned", then "my plans and
# solutions for my own duties"); an organiser may rename them and add others.
SECTION_LEARNED = "learned"
SECTION_PLANS = "plans"
REQUIRED_SECTIONS = (SECTION_LEARNED, SECTION_PLANS)


def default_sections() -> list[dict]:
    return [
        {"key": SECTION_LEARNED, "title": "Những nội dung tiếp thu được"},
        {"key": SECTION_PLANS, "title": "Kế hoạch và giải pháp thực hiện nhiệm vụ của bản thân"},
    ]


class LatePolicy(models.TextChoices):
    ACCEPT_LATE = "accept_late", _("Nhận và ghi là nộp muộn")
    REFUSE = "refuse", _("Không nhận bài nộp muộn")


class WhoMustWrite(models.TextChoices):
    PRESENT = "present", _("Người có mặt")
    PRESENT_OR_WATCHED = "present_or_watched", _("Người có mặt hoặc đã xem lại")
    ALL_INVITEES = "all_invitees", _("Tất cả khách mời")


class Assignment(TimeStampedModel):
    """What a conference asks its invitees to write, and by when."""

    SCOPE_PATH = "conference__organising_unit__path"
    SCOPE_CONFERENCE = "conference_id"

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(_("tiêu đề"), max_length=300)
    prompt = models.TextField(_("yêu cầu"), blank=True)
    sections = models.JSONField(_("các phần của bài"), default=default_sections)
    min_syllables = models.PositiveIntegerField(_("số âm tiết tối thiểu"), default=300)
    max_syllables = models.PositiveIntegerField(_("số âm tiết tối đa"), default=3000)
    opens_at = models.DateTimeField(_("mở nộp từ"))
    due_at = models.DateTimeField(_("hạn nộp"))
    late_policy = models.CharField(
        _("bài nộp muộn"), max_length=20, choices=LatePolicy.choices, default=LatePolicy.ACCEPT_LATE
    )
    who_must_write = models.CharField(
        _("đối tượng phải viết"), max_length=20, choices=WhoMustWrite.choices, default=WhoMustWrite.PRESENT
    )
    # What the copied-text check compares every report with, besides the conference's materials:
    # the resolution's text (pasted by the organiser).
    reference_text = models.TextField(_("văn bản đối chiếu (nghị quyết...)"), blank=True)
    # Marking (models/marking.py): the rubric and the grade bands are rows of their own.
    is_blind = models.BooleanField(_("chấm ẩn danh"), default=False)  # name and unit hidden
    has_second_marking = models.BooleanField(_("chấm hai vòng"), default=False)
    # Two marks further apart than this (percentage points of the maximum) call a third marker.
    third_marker_gap = models.PositiveSmallIntegerField(_("chênh lệch phải chấm vòng ba (%)"), default=15)
    # The automatic reminder (services/reminders.py): by e-mail, this many days before the due
    # date, to whoever must write and has not submitted; `auto_reminded_for` is the due date it
    # went for (a due date moved later sends it again, for the new one).
    remind_days_before = models.PositiveSmallIntegerField(
        _("tự động nhắc trước hạn (ngày)"), null=True, blank=True
    )
    auto_reminded_for = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("yêu cầu viết bài thu hoạch")
        verbose_name_plural = _("yêu cầu viết bài thu hoạch")
        constraints = [
            # This slice: one assignment per conference (the pages assume it). Several would need
            # only this constraint dropped and a choice on the personal page.
            models.UniqueConstraint(fields=["conference"], name="one_assignment_per_conference"),
            models.CheckConstraint(
                condition=Q(min_syllables__lte=F("max_syllables")), name="assignment_bounds_ordered"
            ),
            models.CheckConstraint(condition=Q(max_syllables__gt=0), name="assignment_max_positive"),
            models.CheckConstraint(condition=Q(opens_at__lt=F("due_at")), name="assignment_opens_before_due"),
            models.CheckConstraint(
                condition=Q(late_policy__in=LatePolicy.values), name="assignment_late_policy_known"
            ),
            models.CheckConstraint(
                condition=Q(who_must_write__in=WhoMustWrite.values), name="assignment_who_must_write_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def section_keys(self) -> list[str]:
        return [section["key"] for section in self.sections]


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Đang viết")
    SUBMITTED = "submitted", _("Đã nộp")
    RETURNED = "returned", _("Trả lại để sửa")
    IN_MARKING = "in_marking", _("Đang chấm")
    MARKED = "marked", _("Đã chấm")
    RELEASED = "released", _("Đã công bố kết quả")


# The states in which the writer may change the draft.
WRITABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED)


class DraftSource(models.TextChoices):
    TYPED = "typed", _("Soạn trên trang")
    DOCX = "docx", _("Tệp Word (.docx)")
    PDF = "pdf", _("Tệp PDF")


class Report(TimeStampedModel):
    """One invitee's report for one assignment, with its current draft."""

    SCOPE_PATH = "invitation__person__unit__path"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reports")
    # No attribute on Invitation (conferences knows nothing of reports), but a name to join by:
    # the statistics count the invitations and their reports in one pass (statistics.py).
    invitation = models.ForeignKey(
        Invitation, on_delete=models.PROTECT, related_name="+", related_query_name="learning_report"
    )
    state = models.CharField(_("trạng thái"), max_length=20, choices=ReportState.choices, default="draft")
    # The draft: {section key: text} and the plan items as the editor sent them.
    draft_sections = models.JSONField(default=dict, blank=True)
    draft_plans = models.JSONField(default=list, blank=True)
    draft_source = models.CharField(max_length=10, choices=DraftSource.choices, default=DraftSource.TYPED)
    draft_file_name = models.CharField(max_length=255, blank=True)
    revision = models.PositiveIntegerField(default=0)  # bumped by every save of the draft
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)  # of the latest version
    is_late = models.BooleanField(_("nộp muộn"), default=False)
    # The result (services/marking.py): the reconciled total, its band, when it was released.
    total = models.DecimalField(_("tổng điểm"), max_digits=7, decimal_places=2, null=True, blank=True)
    band = models.CharField(_("xếp loại"), max_length=20, blank=True)
    marked_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bài thu hoạch")
        verbose_name_plural = _("bài thu hoạch")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "invitation"], name="one_report_per_invitation"),
            models.CheckConstraint(condition=Q(state__in=ReportState.values), name="report_state_known"),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
                name="report_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["marked", "released"]) | Q(total__isnull=False),
                name="report_marked_has_total",
            ),
            models.CheckConstraint(
                condition=~Q(state="released") | Q(released_at__isnull=False),
                name="report_released_has_time",
            ),
        ]
        indexes = [models.Index(fields=["assignment", "state"], name="report_assignment_state")]

    def __str__(self) -> str:
        return f"{self.assignment_id}/{self.invitation_id}"

    @property
    def is_writable(self) -> bool:
        return self.state in WRITABLE_STATES


class DraftConflict(models.Model):
    """A save based on an older revision than the stored draft: its text, kept beside the draft
    for the writer to compare and choose (two devices editing one draft never lose text)."""

    SCOPE_PATH = "report__invitation__person__unit__path"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="conflicts")
    based_on_revision = models.PositiveIntegerField()
    stored_revision = models.PositiveIntegerField()  # the draft's revision the save ran into
    sections = models.JSONField(default=dict)
    plans = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(based_on_revision__lt=F("stored_revision")), name="conflict_is_behind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}@{self.based_on_revision}<{self.stored_revision}"


class ReportVersion(models.Model):
    """The text as submitted, frozen: the number counts the submissions of one report."""

    SCOPE_PATH = "report__invitation__person__unit__path"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    sections = models.JSONField()  # {section key: text}
    syllables = models.PositiveIntegerField()
    source = models.CharField(max_length=10, choices=DraftSource.choices, default=DraftSource.TYPED)
    file_name = models.CharField(max_length=255, blank=True)
    submitted_at = models.DateTimeField()
    is_late = models.BooleanField(default=False)

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="version_number_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"


class PlanItem(models.Model):
    """One personal plan of a submitted version: the action, its deadline, how it will be measured
    and, where it fits, the part of a resolution it serves (`serves`, picked from the parts of the
    resolutions the writer's unit carries out; `target_reference` is the free text of reports
    written before the link, and a note beside it)."""

    SCOPE_PATH = "version__report__invitation__person__unit__path"

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="plan_items")
    order = models.PositiveSmallIntegerField()
    action = models.TextField(_("việc làm"))
    deadline = models.DateField(_("thời hạn"))
    measure = models.CharField(_("cách đo kết quả"), max_length=500)
    target_reference = models.CharField(_("chỉ tiêu, nhiệm vụ của nghị quyết"), max_length=300, blank=True)
    serves = models.ForeignKey(
        "resolutions.ResolutionItem",
        verbose_name=_("phục vụ chỉ tiêu, nhiệm vụ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="personal_plans",
    )

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="plan_item_order_once"),
            models.CheckConstraint(condition=~Q(action=""), name="plan_item_has_action"),
            models.CheckConstraint(condition=~Q(measure=""), name="plan_item_has_measure"),
        ]

    def __str__(self) -> str:
        return self.action[:80]


class Note(TimeStampedModel):
    """What an invitee wrote while a programme item went on (ghi chép), saved as they type."""

    SCOPE_PATH = "invitation__person__unit__path"

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(ProgrammeItem, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    # The device's time of the text: a queued save sent after a newer one changes nothing.
    written_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invitation", "item"], name="one_note_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id}/{self.item_id}"


class Reminder(models.Model):
    """An e-mail reminding an invitee to submit their report, by an organiser (`sent_by`) or
    automatically before the due date (`sent_by` None): nobody is reminded twice within
    `services.reminders.REMINDER_INTERVAL`. The e-mail itself is a message of the conference's
    outbox."""

    SCOPE_PATH = "invitation__person__unit__path"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["assignment", "invitation", "created_at"], name="reminder_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}/{self.invitation_id}@{self.created_at:%Y-%m-%d %H:%M}"
