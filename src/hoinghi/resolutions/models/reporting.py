"""Periodic reporting: what is reported when (data sets, periods), the values a unit entered, its
submission on the way up the tree, the totals of every subtree, and uploaded files."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoinghi.core.models import TimeStampedModel
from hoinghi.resolutions.models.structure import CODE_MAX, OPTION_MAX, DataElement, Resolution

VALUE_DIGITS = 20
VALUE_PLACES = 2


class Periodicity(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    YEAR = "year", _("Năm")


class DataSet(TimeStampedModel):
    """The elements a set of units reports each period: assigned to kinds and levels of unit
    (a unit reports it when its kind or its level is chosen). Due `due_days` after a period ends."""

    code = models.SlugField(_("mã"), max_length=CODE_MAX, unique=True)
    name = models.CharField(_("tên bộ báo cáo"), max_length=300)
    resolution = models.ForeignKey(
        Resolution, verbose_name=_("nghị quyết"), on_delete=models.CASCADE, related_name="datasets"
    )
    periodicity = models.CharField(_("kỳ báo cáo"), max_length=10, choices=Periodicity.choices)
    elements = models.ManyToManyField(DataElement, verbose_name=_("chỉ số"), related_name="datasets")
    unit_kinds = models.ManyToManyField(
        "orgs.UnitKind", verbose_name=_("loại đơn vị báo cáo"), blank=True, related_name="+"
    )
    levels = models.ManyToManyField("orgs.Level", verbose_name=_("cấp báo cáo"), blank=True, related_name="+")
    due_days = models.PositiveSmallIntegerField(_("hạn nộp (ngày sau kỳ)"), default=15)
    remind_days = models.PositiveSmallIntegerField(_("nhắc trước hạn chót (ngày)"), default=3)

    class Meta:
        verbose_name = _("bộ báo cáo")
        verbose_name_plural = _("bộ báo cáo")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Period(models.Model):
    """A month, quarter or year: "2019Q1", "2019M03", "2019"."""

    periodicity = models.CharField(_("loại kỳ"), max_length=10, choices=Periodicity.choices)
    code = models.CharField(_("mã kỳ"), max_length=10, unique=True)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["start", "periodicity"]
        constraints = [
            models.UniqueConstraint(fields=["periodicity", "start"], name="resolutions_period_unique"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="resolutions_period_order"),
        ]

    def __str__(self) -> str:
        if self.periodicity == Periodicity.QUARTER:
            return _("Quý %(n)s/%(year)s") % {"n": (self.start.month - 1) // 3 + 1, "year": self.start.year}
        if self.periodicity == Periodicity.MONTH:
            return _("Tháng %(n)s/%(year)s") % {"n": self.start.month, "year": self.start.year}
        return _("Năm %(year)s") % {"year": self.start.year}


class DataValue(TimeStampedModel):
    """One number a unit reported for a period: an element, or one option of its breakdown."""

    SCOPE_PATH = "unit__path"

    # Indexed by the unique constraint, which starts with it (as `RollUp.unit`).
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="+")
    option = models.CharField(max_length=OPTION_MAX, blank=True)
    value = models.DecimalField(_("giá trị"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    comment = models.CharField(_("ghi chú"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("số liệu")
        verbose_name_plural = _("số liệu")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "element", "option"], name="resolutions_value_unique"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="resolutions_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.element_id}:{self.option} = {self.value}"


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Đang nhập")
    SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")


# The states in which a unit may change its values (when not locked).
OPEN_STATES = (SubmissionState.DRAFT, SubmissionState.RETURNED)


class Submission(TimeStampedModel):
    """A unit's report of a data set for a period, on its way up: draft → submitted → approved
    (or returned with a comment, then submitted again). Approval locks entry; unlocking needs a
    reason. Its row is also the lock writers of the unit's values take (`select_for_update`)."""

    SCOPE_PATH = "unit__path"

    dataset = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="submissions")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=SubmissionState.choices, default=SubmissionState.DRAFT
    )
    is_locked = models.BooleanField(_("đã khóa"), default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("ý kiến của cấp trên"), blank=True)

    class Meta:
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = _("báo cáo của đơn vị")
        ordering = ["period", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "unit", "period"], name="resolutions_submission_unique"
            ),
            models.CheckConstraint(
                condition=~Q(state=SubmissionState.APPROVED) | Q(is_locked=True),
                name="resolutions_submission_approved_is_locked",
            ),
            models.CheckConstraint(
                condition=Q(state=SubmissionState.DRAFT) | Q(submitted_at__isnull=False),
                name="resolutions_submission_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id}/{self.unit_id}/{self.period_id}: {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES and not self.is_locked


class RollUp(models.Model):
    """The total of an element (option) over a unit's whole subtree, itself included, for a period.

    Kept current by the services in the transaction that changes a value (every ancestor's row
    moves by the change); `rollups_recompute` rebuilds them from the values for repair.
    `reporting` counts the units of the subtree that hold a value.
    """

    SCOPE_PATH = "unit__path"

    # No index of its own on `unit`: the unique constraint's index starts with it. Each index is
    # written for every one of the 20 million rows of the benchmark's recompute.
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+", db_index=False)
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    element = models.ForeignKey(DataElement, on_delete=models.CASCADE, related_name="+")
    option = models.CharField(max_length=OPTION_MAX, blank=True)
    value = models.DecimalField(max_digits=VALUE_DIGITS + 4, decimal_places=VALUE_PLACES, default=0)
    reporting = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "element", "option"], name="resolutions_rollup_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.period_id}/{self.element_id}:{self.option} = {self.value}"


class ValueUploadStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Đã kiểm tra, chờ áp dụng")
    INVALID = "invalid", _("Có lỗi, không thể áp dụng")
    APPLIED = "applied", _("Đã áp dụng")


class ValueUpload(TimeStampedModel):
    """An uploaded .xlsx of a subtree's values for a period: checked (preview with every error),
    then applied all or nothing. The bytes stay in the row so that apply reads them again."""

    SCOPE_PATH = "unit__path"

    dataset = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("phạm vi"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("tệp"), max_length=255)
    content = models.BinaryField(editable=False)
    status = models.CharField(max_length=10, choices=ValueUploadStatus.choices)
    errors = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("tệp số liệu")
        verbose_name_plural = _("tệp số liệu")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name
