"""The dashboard's figures, read from the roll-ups: an indicator's value for a unit's subtree and a
period, its children ranked, and how completely and timely each level reported.

A ratio is the subtree's summed numerator over its summed denominator (× factor), never an
average of the children's percentages (DESIGN.md, "ratios roll up as sums").
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from hoinghi.core.permissions import scope
from hoinghi.orgs.models import Unit
from hoinghi.resolutions.models import (
    DataSet,
    DataSetPeriod,
    Direction,
    Indicator,
    Period,
    Resolution,
    RollUp,
    Source,
    Submission,
    SubmissionState,
)
from hoinghi.resolutions.selectors import dataset_unit_q, unit_get


@dataclass(frozen=True)
class IndicatorValue:
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None  # None: nothing reported, or a denominator of 0
    target: Decimal
    direction: str

    @property
    def is_met(self) -> bool | None:
        if self.value is None:
            return None
        if self.direction == Direction.AT_MOST:
            return self.value <= self.target
        return self.value >= self.target

    @property
    def progress(self) -> int:
        """How far to the target, in percent capped at 100 (for a bar)."""
        if self.value is None or not self.target:
            return 0
        return max(0, min(100, int(self.value * 100 / self.target)))


def _periods_q(indicator: Indicator, period: Period) -> Q:
    if indicator.is_cumulative:
        return Q(period__periodicity=period.periodicity, period__start__lte=period.start)
    return Q(period=period)


def _side(indicator: Indicator, side: str, units: list[Unit], period: Period) -> dict[int, Decimal] | None:
    """The subtree total of one side of the indicator for each unit (None: the side is absent)."""
    source = getattr(indicator, f"{side}_source")
    if source == Source.NONE:
        return None
    if source == Source.UNITS:
        kind = getattr(indicator, f"{side}_unit_kind_id")
        return _unit_counts(Unit.objects.filter(kind=kind) if kind else Unit.objects.all(), units)
    rows = (
        RollUp.objects.filter(
            _periods_q(indicator, period),
            unit__in=[unit.pk for unit in units],
            element_id=getattr(indicator, f"{side}_element_id"),
            option__in=getattr(indicator, f"{side}_option").split(","),
        )
        .values("unit_id")
        .annotate(total=Sum("value"))
        .order_by()
    )
    return {row["unit_id"]: row["total"] for row in rows}


UNIT_PATHS_READ = 5000  # up to this many counted units, their paths are read and counted here


def _unit_counts(counted, units: list[Unit]) -> dict[int, Decimal]:
    """How many of `counted` lie in each unit's subtree. A dashboard's units are a unit and its
    children: when the first's subtree holds few counted units, their paths are read once and
    counted by ancestor (a district's 500 grassroots: one query, not 501); a large one (the
    nation) counts each subtree in the database, one query a unit (its children are few)."""
    top = min(units, key=lambda unit: unit.depth)
    paths = []
    if all(unit.path.startswith(top.path) for unit in units):
        under = counted.filter(path__under=top.path)
        paths = list(under.values_list("path", flat=True)[: UNIT_PATHS_READ + 1])
    if not paths or len(paths) > UNIT_PATHS_READ:
        return {unit.pk: Decimal(counted.filter(path__under=unit.path).count()) for unit in units}
    return {unit.pk: Decimal(sum(1 for path in paths if path.startswith(unit.path))) for unit in units}


def indicator_values(*, indicator: Indicator, units: list[Unit], period: Period) -> dict[int, IndicatorValue]:
    """The indicator's value for each unit's subtree: one query a side (`_unit_counts` for a count
    of units)."""
    numerators = _side(indicator, "numerator", units, period) or {}
    denominators = _side(indicator, "denominator", units, period)
    values = {}
    for unit in units:
        numerator = numerators.get(unit.pk)
        denominator = denominators.get(unit.pk) if denominators is not None else None
        if numerator is None:
            value = None
        elif denominators is None:
            value = numerator * indicator.factor
        elif denominator:
            value = (numerator * indicator.factor / denominator).quantize(Decimal("0.1"))
        else:
            value = None
        values[unit.pk] = IndicatorValue(
            numerator, denominator, value, indicator.target_value, indicator.direction
        )
    return values


@dataclass
class IndicatorRow:
    indicator: Indicator
    value: IndicatorValue
    children: list[tuple[Unit, IndicatorValue]]  # best first, the units without a value last


@dataclass
class Dashboard:
    resolution: Resolution
    unit: Unit
    period: Period
    children: list[Unit]
    rows: list[IndicatorRow]


def _rank(
    indicator: Indicator, pairs: list[tuple[Unit, IndicatorValue]]
) -> list[tuple[Unit, IndicatorValue]]:
    sign = -1 if indicator.direction == Direction.AT_LEAST else 1
    return sorted(pairs, key=lambda pair: (pair[1].value is None, sign * (pair[1].value or 0), pair[0].name))


def dashboard_get(*, actor, resolution: Resolution, unit: Unit, period: Period) -> Dashboard:
    """Every indicator of the resolution for the unit's subtree and the period, with the unit's
    children ranked. The unit must be one the actor sees (NotFoundError otherwise)."""
    unit = unit_get(actor=actor, pk=unit.pk)
    children = scope(actor, "resolutions.view", unit.children.select_related("kind", "province"))
    return dashboard_build(resolution=resolution, unit=unit, children=children, period=period)


def dashboard_build(*, resolution: Resolution, unit: Unit, children, period: Period) -> Dashboard:
    """The dashboard of a unit already checked, with `children` (a queryset already scoped: by
    `scope` for a page, by a live audience's reach for the live view)."""
    children = list(children.order_by("name_sort_key", "pk"))
    rows = []
    indicators = resolution.indicators.select_related("target").order_by("order", "code")
    for indicator in indicators:
        values = indicator_values(indicator=indicator, units=[unit, *children], period=period)
        ranked = _rank(indicator, [(child, values[child.pk]) for child in children])
        rows.append(IndicatorRow(indicator, values[unit.pk], ranked))
    return Dashboard(resolution, unit, period, children, rows)


@dataclass(frozen=True)
class LevelCompleteness:
    level: str
    rank: int
    expected: int
    reported: int
    on_time: int
    approved: int


def due_at(dataset: DataSet, period: Period) -> datetime:
    """The end of the last day a report of the period is on time (local time): the close of the
    period's window, or `due_days` after the period without one."""
    window = DataSetPeriod.objects.filter(dataset=dataset, period=period).first()
    day = window.closes_on if window else period.end + timedelta(days=dataset.due_days)
    return timezone.make_aware(datetime.combine(day, time.max))


def completeness(*, actor, dataset: DataSet, unit: Unit, period: Period) -> list[LevelCompleteness]:
    """Per level of the unit's subtree: the units that report the data set, how many sent the
    period's report (submitted or approved), how many by the due day, how many are approved.
    ("82 of 85 reported on time"). Two queries."""
    unit = unit_get(actor=actor, pk=unit.pk)
    units = Unit.objects.filter(dataset_unit_q(dataset), path__under=unit.path)
    expected = units.values("kind__level__rank", "kind__level__name").annotate(n=Count("pk")).order_by()
    reported = {
        row["unit__kind__level__rank"]: row
        for row in Submission.objects.filter(
            dataset=dataset,
            period=period,
            unit__in=units.values("pk"),
            state__in=(SubmissionState.SUBMITTED, SubmissionState.APPROVED),
        )
        .values("unit__kind__level__rank")
        .annotate(
            n=Count("pk"),
            on_time=Count("pk", filter=Q(submitted_at__lte=due_at(dataset, period))),
            approved=Count("pk", filter=Q(state=SubmissionState.APPROVED)),
        )
        .order_by()
    }
    levels = []
    for row in sorted(expected, key=lambda row: row["kind__level__rank"]):
        sent = reported.get(row["kind__level__rank"], {})
        levels.append(
            LevelCompleteness(
                row["kind__level__name"],
                row["kind__level__rank"],
                row["n"],
                sent.get("n", 0),
                sent.get("on_time", 0),
                sent.get("approved", 0),
            )
        )
    return levels
