"""A unit's action programme (chương trình hành động) for a resolution, and its items.

Each item says what will be done, who answers for it (a person, or a unit — optionally the holder
of a position in that unit, "Chủ tịch LĐLĐ quận"), by when, which part of the resolution it serves,
where it stands and the evidence of it. "Overdue" is never stored: it is an item not done whose
deadline has passed, computed when it is read (`progress_on`, and `selectors` in SQL), so it can
never be stale.
"""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoinghi.core.models import TimeStampedModel


class ActionProgramme(TimeStampedModel):
    """One unit's programme of actions to carry a resolution out (one per unit and resolution)."""

    SCOPE_PATH = "unit__path"

    resolution = models.ForeignKey(
        "resolutions.Resolution",
        verbose_name=_("nghị quyết"),
        on_delete=models.CASCADE,
        related_name="programmes",
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("tên chương trình"), max_length=300)
    adopted_on = models.DateField(_("ngày ban hành"), null=True, blank=True)

    class Meta:
        verbose_name = _("chương trình hành động")
        verbose_name_plural = _("chương trình hành động")
        ordering = ["resolution", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "unit"], name="resolutions_programme_per_unit"),
            models.CheckConstraint(condition=~Q(title=""), name="resolutions_programme_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title


class ItemStatus(models.TextChoices):
    """What the unit records; "overdue" is derived (see `Progress`)."""

    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")


class Progress(models.TextChoices):
    """Where an item stands on a day: its status, or overdue when not done past its deadline.
    The order of the members is the order of the pages: overdue first."""

    OVERDUE = "overdue", _("Quá hạn")
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")


class ActionItem(TimeStampedModel):
    """One action of a programme."""

    SCOPE_PATH = "programme__unit__path"

    programme = models.ForeignKey(
        ActionProgramme, verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField(_("thứ tự"))
    text = models.TextField(_("nội dung công việc"))
    serves = models.ForeignKey(
        "resolutions.ResolutionItem",
        verbose_name=_("phục vụ chỉ tiêu, nhiệm vụ"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    # Who answers for it: a person, or a unit (and, optionally, the holder of a role there).
    owner_person = models.ForeignKey(
        "orgs.Person",
        verbose_name=_("cán bộ phụ trách"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("đơn vị phụ trách"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_role = models.ForeignKey(
        "orgs.PositionRole",
        verbose_name=_("chức vụ phụ trách"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField(_("thời hạn"))
    status = models.CharField(
        _("tình trạng"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED
    )
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    evidence_text = models.TextField(_("minh chứng"), blank=True)
    evidence_file = models.FileField(_("tệp minh chứng"), upload_to="minh-chung/%Y/%m/", blank=True)
    evidence_name = models.CharField(_("tên tệp minh chứng"), max_length=255, blank=True)
    # The deadline the owner was last told had passed (services/reminders.py): one e-mail per
    # deadline, and a new one if the deadline is moved and passes again.
    reminded_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("việc trong chương trình hành động")
        verbose_name_plural = _("việc trong chương trình hành động")
        ordering = ["programme", "number"]
        indexes = [models.Index(fields=["serves", "deadline"], name="resolutions_action_serves")]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="resolutions_action_number"),
            models.CheckConstraint(condition=~Q(text=""), name="resolutions_action_text_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=ItemStatus.values), name="resolutions_action_status_known"
            ),
            models.CheckConstraint(
                condition=Q(owner_person__isnull=False, owner_unit__isnull=True, owner_role__isnull=True)
                | Q(owner_person__isnull=True, owner_unit__isnull=False),
                name="resolutions_action_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(status=ItemStatus.DONE, done_on__isnull=False)
                | (~Q(status=ItemStatus.DONE) & Q(done_on__isnull=True)),
                name="resolutions_action_done_has_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    def progress_on(self, today: date) -> str:
        """The item's `Progress` on `today`."""
        if self.status != ItemStatus.DONE and self.deadline < today:
            return Progress.OVERDUE
        return self.status

    @property
    def owner_label(self) -> str:
        if self.owner_person_id:
            return self.owner_person.full_name
        if self.owner_role_id:
            return f"{self.owner_role.name} {self.owner_unit.short_name or self.owner_unit.name}"
        return self.owner_unit.name
