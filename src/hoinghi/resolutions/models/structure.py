"""A resolution as data: its objective, targets, breakthroughs and tasks; the numbers units report
(data elements) and the indicators computed from them; the rules a unit's numbers must keep."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoinghi.core.models import TimeStampedModel

CODE_MAX = 50
# An option code of "" is the element's own number (an element without breakdown, or the total).
OPTION_MAX = 20


class Resolution(TimeStampedModel):
    """A resolution adopted by a unit (the 12th Congress's, by the Confederation), which its
    subtree carries out. Everyone below the owner sees it (`SCOPE_SHARED_DOWN`)."""

    SCOPE_PATH = "owner__path"
    SCOPE_SHARED_DOWN = ("resolutions.view",)

    code = models.SlugField(_("mã"), max_length=CODE_MAX, unique=True)
    title = models.CharField(_("tên nghị quyết"), max_length=300)
    owner = models.ForeignKey(
        "orgs.Unit", verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    adopted_on = models.DateField(_("ngày thông qua"))
    general_objective = models.TextField(_("mục tiêu chung"), blank=True)

    class Meta:
        verbose_name = _("nghị quyết")
        verbose_name_plural = _("nghị quyết")
        ordering = ["-adopted_on", "id"]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="resolutions_title_not_empty")]

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    TARGET = "target", _("Chỉ tiêu")
    BREAKTHROUGH = "breakthrough", _("Khâu đột phá")
    TASK = "task", _("Nhiệm vụ")


class ResolutionItem(models.Model):
    """One numbered part of a resolution: a target group, a breakthrough or a task, with its text."""

    resolution = models.ForeignKey(
        Resolution, verbose_name=_("nghị quyết"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("loại"), max_length=20, choices=ItemKind.choices)
    number = models.PositiveSmallIntegerField(_("thứ tự"))
    text = models.TextField(_("nội dung"))

    class Meta:
        verbose_name = _("nội dung nghị quyết")
        verbose_name_plural = _("nội dung nghị quyết")
        ordering = ["resolution", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "kind", "number"], name="resolutions_item_number"),
            models.CheckConstraint(condition=~Q(text=""), name="resolutions_item_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class DataElement(models.Model):
    """A number units report (new members admitted, enterprises with 25+ workers...), for the kinds
    and levels of unit it applies to (none chosen: every unit). Its breakdown, if any, is its
    options (agreement grade A/B/C/D): then a unit reports one number per option."""

    code = models.SlugField(_("mã"), max_length=CODE_MAX, unique=True)
    name = models.CharField(_("tên chỉ số"), max_length=300)
    description = models.TextField(_("giải thích"), blank=True)
    unit_kinds = models.ManyToManyField(
        "orgs.UnitKind", verbose_name=_("loại đơn vị báo cáo"), blank=True, related_name="+"
    )
    levels = models.ManyToManyField("orgs.Level", verbose_name=_("cấp báo cáo"), blank=True, related_name="+")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("chỉ số báo cáo")
        verbose_name_plural = _("chỉ số báo cáo")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="resolutions_element_name_not_empty")
        ]

    def __str__(self) -> str:
        return self.name


class DataElementOption(models.Model):
    """One category of an element's breakdown: grade A of the collective agreements."""

    element = models.ForeignKey(DataElement, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("mã"), max_length=OPTION_MAX)
    name = models.CharField(_("tên"), max_length=100)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("phân loại")
        verbose_name_plural = _("phân loại")
        ordering = ["element", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["element", "code"], name="resolutions_option_unique"),
            models.CheckConstraint(condition=~Q(code=""), name="resolutions_option_code_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.element.code}:{self.code}"


class Source(models.TextChoices):
    ELEMENT = "element", _("Chỉ số báo cáo")
    UNITS = "units", _("Số đơn vị")
    NONE = "none", _("Không có (chỉ tiêu là số lượng)")


class Direction(models.TextChoices):
    AT_LEAST = "at_least", _("Đạt từ mức chỉ tiêu trở lên")
    AT_MOST = "at_most", _("Không vượt quá mức chỉ tiêu")


def _source_constraints(side: str) -> list[models.CheckConstraint]:
    """The fields of one side of an indicator agree with its source."""
    element, kind = f"{side}_element", f"{side}_unit_kind"
    return [
        models.CheckConstraint(
            condition=(
                Q(**{f"{side}_source": Source.ELEMENT, f"{element}__isnull": False, f"{kind}__isnull": True})
                | Q(**{f"{side}_source": Source.UNITS, f"{element}__isnull": True})
                | Q(**{f"{side}_source": Source.NONE, f"{element}__isnull": True, f"{kind}__isnull": True})
            ),
            name=f"resolutions_indicator_{side}_source",
        )
    ]


class Indicator(models.Model):
    """numerator / denominator × factor, each side a data element (its value, or the sum of some
    of its options: "A,B" for grade B or better) or a count of units (of a kind) in the subtree;
    compared with `target_value` in `direction`.

    Ratios are computed from the summed numerator and denominator of the subtree, never from an
    average of the children's percentages. An indicator without denominator is a count
    (new members admitted); `is_cumulative` sums it over every period up to the one shown.
    """

    resolution = models.ForeignKey(
        Resolution, verbose_name=_("nghị quyết"), on_delete=models.CASCADE, related_name="indicators"
    )
    target = models.ForeignKey(
        ResolutionItem,
        verbose_name=_("thuộc chỉ tiêu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
        limit_choices_to={"kind": ItemKind.TARGET},
    )
    code = models.SlugField(_("mã"), max_length=CODE_MAX)
    name = models.CharField(_("tên chỉ tiêu"), max_length=300)
    numerator_source = models.CharField(
        _("tử số"), max_length=10, choices=Source.choices, default=Source.ELEMENT
    )
    numerator_element = models.ForeignKey(
        DataElement, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    numerator_option = models.CharField(max_length=100, blank=True)  # "A,B": the sum of options
    numerator_unit_kind = models.ForeignKey(
        "orgs.UnitKind", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    denominator_source = models.CharField(
        _("mẫu số"), max_length=10, choices=Source.choices, default=Source.NONE
    )
    denominator_element = models.ForeignKey(
        DataElement, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    denominator_option = models.CharField(max_length=100, blank=True)
    denominator_unit_kind = models.ForeignKey(
        "orgs.UnitKind", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    factor = models.DecimalField(_("hệ số"), max_digits=12, decimal_places=2, default=1)
    unit_label = models.CharField(_("đơn vị tính"), max_length=30, blank=True)
    target_value = models.DecimalField(_("mức chỉ tiêu"), max_digits=18, decimal_places=2)
    direction = models.CharField(
        _("chiều đánh giá"), max_length=10, choices=Direction.choices, default=Direction.AT_LEAST
    )
    deadline = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    is_yearly = models.BooleanField(_("hằng năm"), default=False)
    is_cumulative = models.BooleanField(_("cộng dồn qua các kỳ"), default=False)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("chỉ tiêu định lượng")
        verbose_name_plural = _("chỉ tiêu định lượng")
        ordering = ["resolution", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "code"], name="resolutions_indicator_code"),
            models.CheckConstraint(
                condition=~Q(numerator_source=Source.NONE), name="resolutions_indicator_has_numerator"
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=False, is_yearly=False)
                | Q(deadline__isnull=True, is_yearly=True),
                name="resolutions_indicator_deadline_or_yearly",
            ),
            models.CheckConstraint(condition=~Q(factor=0), name="resolutions_indicator_factor_not_zero"),
            *_source_constraints("numerator"),
            *_source_constraints("denominator"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_ratio(self) -> bool:
        return self.denominator_source != Source.NONE

    @property
    def is_share(self) -> bool:
        """A percentage (a ratio × 100): a share of a whole, whose trend cannot leave 0–100 %."""
        return self.is_ratio and self.factor == 100


class Operator(models.TextChoices):
    LTE = "lte", "≤"
    LT = "lt", "<"
    EQ = "eq", "="
    GTE = "gte", "≥"
    GT = "gt", ">"


class ValidationRule(models.Model):
    """`left operator right` over one unit's values of a period (members admitted ≤ workers),
    checked when both sides hold a value; `message` is what the unit reads when it fails, with
    %(left)s and %(right)s for the two values."""

    code = models.SlugField(_("mã"), max_length=CODE_MAX, unique=True)
    left_element = models.ForeignKey(DataElement, on_delete=models.CASCADE, related_name="+")
    left_option = models.CharField(max_length=OPTION_MAX, blank=True)
    operator = models.CharField(_("phép so sánh"), max_length=3, choices=Operator.choices)
    right_element = models.ForeignKey(DataElement, on_delete=models.CASCADE, related_name="+")
    right_option = models.CharField(max_length=OPTION_MAX, blank=True)
    message = models.CharField(_("thông báo khi sai"), max_length=300)

    class Meta:
        verbose_name = _("quy tắc kiểm tra")
        verbose_name_plural = _("quy tắc kiểm tra")
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=~Q(message=""), name="resolutions_rule_message")]

    def __str__(self) -> str:
        return self.code
