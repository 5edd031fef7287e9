"""When a data set's report of a period may be entered: its window (open and close dates), the
units the level above let enter after the close, and the reminders sent to those that have not
reported."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoinghi.core.models import TimeStampedModel
from hoinghi.resolutions.models.reporting import DataSet, Period


class DataSetPeriod(TimeStampedModel):
    """The window of a data set's period: units enter and submit from `opens_on` to `closes_on`
    (both days included, local time). A report sent by the close is on time. A period without a
    window is open at any time (the years loaded before the system, a data set not scheduled)."""

    dataset = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="windows")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    opens_on = models.DateField(_("mở nhập từ ngày"))
    closes_on = models.DateField(_("hạn chót"))

    class Meta:
        verbose_name = _("thời hạn báo cáo")
        verbose_name_plural = _("thời hạn báo cáo")
        ordering = ["dataset", "period"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "period"], name="resolutions_window_unique"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="resolutions_window_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id}/{self.period_id}: {self.opens_on}–{self.closes_on}"


class EntryReopening(TimeStampedModel):
    """The level above let a unit enter and submit a period's report outside its window, for a
    reason (audited). One per unit and period; it holds until the report is approved."""

    SCOPE_PATH = "unit__path"

    dataset = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("lý do"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("cho phép nhập ngoài thời hạn")
        verbose_name_plural = _("cho phép nhập ngoài thời hạn")
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "period", "unit"], name="resolutions_reopening_unique"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="resolutions_reopening_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id}/{self.period_id}/{self.unit_id}"


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Sắp đến hạn")
    CLOSING = "closing", _("Hôm nay là hạn chót")


class ReminderStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")


class ReportReminder(TimeStampedModel):
    """An e-mail reminding a unit's data reporter that the unit has not sent a period's report.
    At most one of each kind per reporter, unit and period: queuing again adds nothing."""

    SCOPE_PATH = "unit__path"

    dataset = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    to = models.EmailField()
    status = models.CharField(max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.QUEUED)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thư nhắc báo cáo")
        verbose_name_plural = _("thư nhắc báo cáo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "period", "unit", "user", "kind"], name="resolutions_reminder_once"
            ),
        ]
        indexes = [models.Index(fields=["status"], name="resolutions_reminder_status")]

    def __str__(self) -> str:
        return f"{self.to}: {self.kind} {self.period_id}"
