"""Reads of resolutions and their reports, always scoped to the actor; the dashboard's figures are
in `figures` (indicator values from the roll-ups, completeness)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.core.errors import NotFoundError
from hoinghi.core.permissions import scope
from hoinghi.core.tree import path_ids
from hoinghi.orgs.models import Unit
from hoinghi.resolutions.errors import ResolutionsError, ResolutionsErrorCode
from hoinghi.resolutions.models import (
    DataElement,
    DataSet,
    DataSetPeriod,
    DataValue,
    EntryReopening,
    Period,
    Resolution,
    Submission,
    SubmissionState,
    ValidationRule,
    ValueUpload,
)

# (element code, option code); option "" is an element without breakdown.
Key = tuple[str, str]


def key_label(key: Key) -> str:
    """ "CODE" or "CODE:OPTION", as forms and templates name a value."""
    return f"{key[0]}:{key[1]}" if key[1] else key[0]


def key_parse(label: str) -> Key:
    code, _sep, option = label.partition(":")
    return code.strip(), option.strip()


def plain(value) -> str:
    """A number without trailing zeros and without thousands separators: "10", "2.5"."""
    return format(value.normalize(), "f")


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _not_found() -> NotFoundError:
    return NotFoundError(_("Không tìm thấy."), code="not_found")


@dataclass
class Column:
    key: Key
    element: DataElement
    option_name: str = ""

    @property
    def label(self) -> str:
        return key_label(self.key)

    @property
    def title(self) -> str:
        return f"{self.element.name} – {self.option_name}" if self.option_name else self.element.name


@dataclass
class Layout:
    """The columns of a data set (an element without breakdown, or one per option), and the
    validation rules whose both sides it holds."""

    dataset: DataSet
    elements: list[DataElement]
    columns: dict[Key, Column]
    rules: list[ValidationRule] = field(default_factory=list)
    # element code -> (kind ids, level ids) it applies to; both empty: every unit.
    applies: dict[str, tuple[frozenset[int], frozenset[int]]] = field(default_factory=dict)

    def applies_to(self, key: Key, unit: Unit) -> bool:
        """Whether the unit reports this column: the element names its kind or level, or none."""
        kinds, levels = self.applies.get(key[0], (frozenset(), frozenset()))
        if not kinds and not levels:
            return True
        return unit.kind_id in kinds or unit.kind.level_id in levels


def dataset_layout(dataset: DataSet) -> Layout:
    elements = list(
        dataset.elements.prefetch_related("options", "unit_kinds", "levels").order_by("order", "code")
    )
    columns: dict[Key, Column] = {}
    for element in elements:
        options = list(element.options.all())
        if not options:
            columns[(element.code, "")] = Column((element.code, ""), element)
        for option in options:
            columns[(element.code, option.code)] = Column((element.code, option.code), element, option.name)
    ids = [element.pk for element in elements]
    rules = list(
        ValidationRule.objects.filter(left_element__in=ids, right_element__in=ids).select_related(
            "left_element", "right_element"
        )
    )
    applies = {
        element.code: (
            frozenset(kind.pk for kind in element.unit_kinds.all()),
            frozenset(level.pk for level in element.levels.all()),
        )
        for element in elements
    }
    return Layout(dataset, elements, columns, rules, applies)


def dataset_unit_q(dataset: DataSet, prefix: str = "") -> Q:
    """The units that report the data set: of a chosen kind or at a chosen level (none: all)."""
    kinds = [kind.pk for kind in dataset.unit_kinds.all()]
    levels = [level.pk for level in dataset.levels.all()]
    if not kinds and not levels:
        return Q()
    return Q(**{f"{prefix}kind__in": kinds}) | Q(**{f"{prefix}kind__level__in": levels})


def unit_reports(*, dataset: DataSet, unit: Unit) -> bool:
    return Unit.objects.filter(dataset_unit_q(dataset), pk=unit.pk).exists()


# --- Units, resolutions, data sets, periods ------------------------------------------------------


def unit_get(*, actor, pk: int, action: str = "resolutions.view") -> Unit:
    """A unit the actor may `action`, or NotFoundError (absent and out of scope alike)."""
    units = scope(actor, action, Unit.objects.select_related("kind", "kind__level", "parent"))
    unit = units.filter(pk=pk).first()
    if unit is None:
        raise _not_found()
    return unit


def unit_ancestors(*, actor, unit: Unit) -> list[Unit]:
    """The ancestors of `unit` the actor sees, from the top down (breadcrumbs)."""
    ids = path_ids(unit.path)[:-1]
    return list(scope(actor, "resolutions.view", Unit.objects.filter(pk__in=ids)).order_by("depth"))


def unit_top(*, actor) -> Unit | None:
    """The highest unit the actor sees the resolutions of (their dashboard's start)."""
    return scope(actor, "resolutions.view", Unit.objects.all()).order_by("depth", "pk").first()


def resolution_list(*, actor) -> QuerySet[Resolution]:
    return scope(actor, "resolutions.view", Resolution.objects.select_related("owner"))


def resolution_get(*, actor, pk: int) -> Resolution:
    resolution = resolution_list(actor=actor).filter(pk=pk).first()
    if resolution is None:
        raise _not_found()
    return resolution


def dataset_list(*, actor, resolution: Resolution | None = None) -> QuerySet[DataSet]:
    resolutions = resolution_list(actor=actor)
    datasets = DataSet.objects.filter(resolution__in=resolutions).select_related("resolution")
    return datasets.filter(resolution=resolution) if resolution is not None else datasets


def dataset_get(*, actor, pk: int) -> DataSet:
    dataset = dataset_list(actor=actor).filter(pk=pk).first()
    if dataset is None:
        raise _not_found()
    return dataset


def period_get(*, pk: int) -> Period:
    period = Period.objects.filter(pk=pk).first()
    if period is None:
        raise _not_found()
    return period


def period_list(*, periodicity: str) -> QuerySet[Period]:
    return Period.objects.filter(periodicity=periodicity).order_by("-start")


def period_previous(period: Period) -> Period | None:
    return (
        Period.objects.filter(periodicity=period.periodicity, start__lt=period.start)
        .order_by("-start")
        .first()
    )


# --- The entry form ----------------------------------------------------------------------------


@dataclass
class EntryRow:
    column: Column
    value: object = None
    comment: str = ""
    previous: object = None

    @property
    def value_text(self) -> str:
        """The value as typed back into its field: plain, never localised ("1234.5")."""
        return plain(self.value) if self.value is not None else ""


@dataclass
class EntryForm:
    """What a unit's entry page shows: each column with its value, comment and last period's."""

    dataset: DataSet
    unit: Unit
    period: Period
    previous_period: Period | None
    submission: Submission | None
    rows: list[EntryRow]
    window: DataSetPeriod | None = None
    refusal: str = ""  # why the window refuses entry today ("" when it does not)
    reopening: EntryReopening | None = None

    @property
    def is_open(self) -> bool:
        return not self.refusal and (self.submission is None or self.submission.is_open)

    @property
    def version(self) -> str:
        return self.submission.updated_at.isoformat() if self.submission else ""


def entry_form(*, actor, dataset: DataSet, unit: Unit, period: Period) -> EntryForm:
    """The entry page of a unit the actor may see (NotFoundError otherwise)."""
    unit = unit_get(actor=actor, pk=unit.pk)
    layout = dataset_layout(dataset)
    previous = period_previous(period)
    code_of = {element.pk: element.code for element in layout.elements}
    values = DataValue.objects.filter(unit=unit, element_id__in=list(code_of))
    current = {(code_of[v.element_id], v.option): v for v in values.filter(period=period)}
    before = (
        {(code_of[v.element_id], v.option): v for v in values.filter(period=previous)} if previous else {}
    )
    rows = [
        EntryRow(
            column,
            current[key].value if key in current else None,
            current[key].comment if key in current else "",
            before[key].value if key in before else None,
        )
        for key, column in layout.columns.items()
        if layout.applies_to(key, unit)
    ]
    submission = Submission.objects.filter(dataset=dataset, unit=unit, period=period).first()
    refusal = window_refusals(dataset=dataset, period=period, unit_ids=[unit.pk]).get(unit.pk)
    reopening = EntryReopening.objects.filter(dataset=dataset, period=period, unit=unit).first()
    return EntryForm(
        dataset,
        unit,
        period,
        previous,
        submission,
        rows,
        window_get(dataset=dataset, period=period),
        refusal.message if refusal else "",
        reopening,
    )


# --- Approval ----------------------------------------------------------------------------------


@dataclass
class ChildReport:
    unit: Unit
    submission: Submission | None
    is_outside_window: bool = False  # the window refuses the unit's entry today
    reopening: EntryReopening | None = None

    @property
    def state(self) -> str:
        return self.submission.state if self.submission else SubmissionState.DRAFT


def approval_list(*, actor, dataset: DataSet, unit: Unit, period: Period) -> list[ChildReport]:
    """The reports of the unit's direct children that report the data set (for the level above)."""
    children = scope(
        actor,
        "resolutions.view",
        Unit.objects.filter(dataset_unit_q(dataset), parent=unit).select_related("kind"),
    ).order_by("name_sort_key", "pk")
    children = list(children)
    submissions = {
        s.unit_id: s
        for s in Submission.objects.filter(dataset=dataset, period=period, unit__in=[c.pk for c in children])
    }
    ids = [child.pk for child in children]
    window = window_get(dataset=dataset, period=period)
    today = timezone.localdate()
    outside = window is not None and not (window.opens_on <= today <= window.closes_on)
    reopened = {
        r.unit_id: r for r in EntryReopening.objects.filter(dataset=dataset, period=period, unit__in=ids)
    }
    return [
        ChildReport(child, submissions.get(child.pk), outside, reopened.get(child.pk)) for child in children
    ]


def submission_get(*, actor, pk: int, action: str = "resolutions.view") -> Submission:
    submissions = scope(actor, action, Submission.objects.select_related("unit", "period", "dataset"))
    submission = submissions.filter(pk=pk).first()
    if submission is None:
        raise _not_found()
    return submission


def upload_get(*, actor, pk: int) -> ValueUpload:
    upload = (
        scope(actor, "resolutions.enter", ValueUpload.objects.select_related("unit", "period", "dataset"))
        .filter(pk=pk)
        .first()
    )
    if upload is None:
        raise _not_found()
    return upload


def subtree_values(
    *, actor, dataset: DataSet, unit: Unit, period: Period
) -> tuple[list[Unit], dict[int, dict]]:
    """The units of the subtree that report the data set (parents before their children) and
    their stored values by key, for the Excel template."""
    unit = unit_get(actor=actor, pk=unit.pk)
    units = list(
        scope(
            actor, "resolutions.view", Unit.objects.filter(dataset_unit_q(dataset), path__under=unit.path)
        ).order_by("path")
    )
    codes = {element.pk: element.code for element in dataset.elements.all()}
    values: dict[int, dict[Key, object]] = {u.pk: {} for u in units}
    rows = DataValue.objects.filter(
        period=period, element_id__in=list(codes), unit__path__under=unit.path
    ).values_list("unit_id", "element_id", "option", "value")
    for unit_id, element_id, option, value in rows:
        if unit_id in values:
            values[unit_id][(codes[element_id], option)] = value
    return units, values


# --- Windows ------------------------------------------------------------------------------------


def window_get(*, dataset: DataSet, period: Period) -> DataSetPeriod | None:
    return DataSetPeriod.objects.filter(dataset=dataset, period=period).first()


def window_refusals(
    *, dataset: DataSet, period: Period, unit_ids: list[int], today: date | None = None
) -> dict[int, ResolutionsError]:
    """The units of `unit_ids` that may not enter the period today, each with its refusal: none
    when the period has no window or it is open; outside it, all but the units reopened."""
    window = window_get(dataset=dataset, period=period)
    today = today or timezone.localdate()
    if window is None or window.opens_on <= today <= window.closes_on:
        return {}
    reopened = set(
        EntryReopening.objects.filter(dataset=dataset, period=period, unit_id__in=unit_ids).values_list(
            "unit_id", flat=True
        )
    )
    if today < window.opens_on:
        error = ResolutionsError(
            _("Kỳ %(period)s mở nhập số liệu từ ngày %(opens)s: chưa nhập hay gửi được."),
            code=ResolutionsErrorCode.NOT_OPEN_YET,
            params={"period": str(period), "opens": _day(window.opens_on)},
        )
    else:
        error = ResolutionsError(
            _(
                "Đã quá hạn chót %(closes)s của kỳ %(period)s: không nhập hay gửi được nữa. "
                "Đề nghị cấp trên cho phép nhập muộn (ghi rõ lý do)."
            ),
            code=ResolutionsErrorCode.CLOSED,
            params={"period": str(period), "closes": _day(window.closes_on)},
        )
    return {unit_id: error for unit_id in unit_ids if unit_id not in reopened}


def period_has_values(*, dataset: DataSet, period: Period) -> bool:
    return DataValue.objects.filter(period=period, element__in=dataset.elements.all()).exists()
