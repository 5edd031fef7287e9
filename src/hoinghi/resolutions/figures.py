"""The dashboard's figures, read from the roll-ups and the counts kept beside them: an indicator's
value for a unit's subtree and a period, one page of its children ranked, and how completely and
timely each level reported. Each reads a few rows whatever the size of the subtree.

A ratio is the subtree's summed numerator over its summed denominator (× factor), never an
average of the children's percentages (DESIGN.md, "ratios roll up as sums").
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import DecimalField, ExpressionWrapper, F, FloatField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone

from hoinghi.core.permissions import scope
from hoinghi.orgs.models import Unit
from hoinghi.resolutions.models import (
    DataSet,
    DataSetPeriod,
    Direction,
    Indicator,
    Period,
    ReportCount,
    Resolution,
    RollUp,
    Source,
    UnitCount,
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
        return units_counted(getattr(indicator, f"{side}_unit_kind_id"), [unit.pk for unit in units])
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


def units_counted(kind_id: int | None, unit_ids: list[int]) -> dict[int, Decimal]:
    """How many units (of the kind; of every kind for None) lie in each unit's subtree: a few
    rows of the counts kept per subtree (`UnitCount`), whatever the subtree's size."""
    rows = UnitCount.objects.filter(unit__in=unit_ids)
    if kind_id is not None:
        rows = rows.filter(kind=kind_id)
    totals = dict(
        rows.values("unit_id").annotate(total=Sum("units")).order_by().values_list("unit_id", "total")
    )
    return {pk: Decimal(totals.get(pk, 0)) for pk in unit_ids}


def _value(indicator: Indicator, numerator, denominator, has_denominator: bool) -> IndicatorValue:
    if numerator is None:
        value = None
    elif not has_denominator:
        value = numerator * indicator.factor
    elif denominator:
        value = (numerator * indicator.factor / denominator).quantize(Decimal("0.1"))
    else:
        value = None
    return IndicatorValue(numerator, denominator, value, indicator.target_value, indicator.direction)


def indicator_values(*, indicator: Indicator, units: list[Unit], period: Period) -> dict[int, IndicatorValue]:
    """The indicator's value for each unit's subtree: one query a side."""
    numerators = _side(indicator, "numerator", units, period) or {}
    denominators = _side(indicator, "denominator", units, period)
    return {
        unit.pk: _value(
            indicator,
            numerators.get(unit.pk),
            denominators.get(unit.pk) if denominators is not None else None,
            denominators is not None,
        )
        for unit in units
    }


RANKED_PAGE = 50  # children ranked on a page: what a person reads; the rest on the next pages


@dataclass
class Ranking:
    """A unit's children ranked by one indicator: one page of them, best first, the units
    without a value last (ties by name)."""

    indicator: Indicator
    children: list[tuple[Unit, IndicatorValue]]
    total: int  # every child ranked
    offset: int = 0  # the rank of the first on this page, less one
    size: int | None = RANKED_PAGE  # None: every child on one page (the exports)

    @property
    def page(self) -> int:
        return self.offset // self.size + 1 if self.size else 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size)) if self.size else 1

    @property
    def first(self) -> int:
        return self.offset + 1

    @property
    def last(self) -> int:
        return self.offset + len(self.children)

    @property
    def is_partial(self) -> bool:
        return len(self.children) < self.total


def _side_expression(indicator: Indicator, side: str, period: Period):
    """The subtree total of one side for the unit of the outer query (`OuterRef("pk")`)."""
    source = getattr(indicator, f"{side}_source")
    if source == Source.NONE:
        return None
    if source == Source.UNITS:
        rows = UnitCount.objects.filter(unit=OuterRef("pk"))
        kind = getattr(indicator, f"{side}_unit_kind_id")
        if kind is not None:
            rows = rows.filter(kind=kind)
        total = rows.order_by().values("unit").annotate(total=Sum("units")).values("total")
        return Coalesce(Subquery(total), 0)
    rows = RollUp.objects.filter(
        _periods_q(indicator, period),
        unit=OuterRef("pk"),
        element_id=getattr(indicator, f"{side}_element_id"),
        option__in=getattr(indicator, f"{side}_option").split(","),
    )
    return Subquery(rows.order_by().values("unit").annotate(total=Sum("value")).values("total"))


def children_ranked(
    *,
    indicator: Indicator,
    children,
    period: Period,
    size: int | None = RANKED_PAGE,
    page: int = 1,
    total: int | None = None,
) -> Ranking:
    """One page of `children` (a queryset of units, already scoped) ranked by the indicator.

    The database ranks: each child's sides are subqueries on its roll-up (or unit count) rows,
    the value their quotient, ordered with a limit, so a district of 500 grassroots unions reads
    one page of rows, not 500 per indicator. The order is the exact quotient's, the value shown
    rounded (`_value`) as everywhere else. `total`: the children's count, when the caller has it."""
    total = children.count() if total is None else total
    numerator = _side_expression(indicator, "numerator", period)
    denominator = _side_expression(indicator, "denominator", period)
    ranked = children.annotate(ranked_numerator=numerator)
    if denominator is not None:
        ranked = ranked.annotate(ranked_denominator=denominator)
    # SQLite divides integers as integers: its sums are made floats; PostgreSQL's stay exact.
    exact = connection.vendor != "sqlite"
    value = F("ranked_numerator") if exact else Cast("ranked_numerator", FloatField())
    value = value * Value(indicator.factor if exact else float(indicator.factor))
    if denominator is not None:
        below = F("ranked_denominator") if exact else Cast("ranked_denominator", FloatField())
        value = value / NullIf(below, 0)
    ranked = ranked.annotate(
        ranked_value=ExpressionWrapper(value, output_field=DecimalField() if exact else FloatField())
    )
    best = F("ranked_value").asc if indicator.direction == Direction.AT_MOST else F("ranked_value").desc
    pages = max(1, -(-total // size)) if size else 1
    page = min(max(1, page), pages)
    offset = (page - 1) * size if size else 0
    ordered = ranked.order_by(best(nulls_last=True), "name_sort_key", "pk")
    rows = ordered[offset : offset + size] if size else ordered
    pairs = [
        (
            child,
            _value(
                indicator,
                child.ranked_numerator,
                getattr(child, "ranked_denominator", None),
                denominator is not None,
            ),
        )
        for child in rows
    ]
    return Ranking(indicator, pairs, total, offset, size)


@dataclass
class IndicatorRow:
    indicator: Indicator
    value: IndicatorValue


@dataclass
class Dashboard:
    resolution: Resolution
    unit: Unit
    period: Period
    rows: list[IndicatorRow]
    ranking: Ranking | None  # the children ranked by one indicator (None: no children, no ratio)
    children: int  # how many children the viewer sees


def dashboard_get(
    *,
    actor,
    resolution: Resolution,
    unit: Unit,
    period: Period,
    rank_code: str = "",
    size: int | None = RANKED_PAGE,
    page: int = 1,
) -> Dashboard:
    """Every indicator of the resolution for the unit's subtree and the period, with one page of
    the unit's children ranked. The unit must be one the actor sees (NotFoundError otherwise)."""
    unit = unit_get(actor=actor, pk=unit.pk)
    children = scope(actor, "resolutions.view", unit.children.select_related("kind", "province"))
    return dashboard_build(
        resolution=resolution,
        unit=unit,
        children=children,
        period=period,
        rank_code=rank_code,
        size=size,
        page=page,
    )


def dashboard_build(
    *,
    resolution: Resolution,
    unit: Unit,
    children,
    period: Period,
    rank_code: str = "",
    size: int | None = RANKED_PAGE,
    page: int = 1,
) -> Dashboard:
    """The dashboard of a unit already checked, with `children` (a queryset already scoped: by
    `scope` for a page, by a live audience's reach for the live view) ranked by the indicator
    `rank_code`, else the first ratio (a count ranks the large provinces first, whatever they do)."""
    indicators = list(resolution.indicators.select_related("target").order_by("order", "code"))
    rows = [
        IndicatorRow(indicator, indicator_values(indicator=indicator, units=[unit], period=period)[unit.pk])
        for indicator in indicators
    ]
    chosen = next((i for i in indicators if i.code == rank_code), None)
    if chosen is not None:
        ranking = children_ranked(indicator=chosen, children=children, period=period, size=size, page=page)
    else:
        ranking = _default_ranking(indicators, children=children, period=period, size=size, page=page)
    if ranking is None:
        return Dashboard(resolution, unit, period, rows, None, children.count())
    return Dashboard(resolution, unit, period, rows, ranking if ranking.total else None, ranking.total)


def _default_ranking(indicators, *, children, period: Period, size: int | None, page: int) -> Ranking | None:
    """The children ranked by the first ratio any of them has a value of (a count ranks the large
    provinces first, whatever they do); when they have no ratio's value, by the first other
    indicator they have values of; else by the first ratio. The grassroots unions of an
    industrial zone report no ratio's elements (their federation does), and a ranking of 116
    empty bars said nothing. Units without a value come last, so the best child tells (one row
    read per indicator tried)."""
    ratios = [indicator for indicator in indicators if indicator.is_ratio]
    candidates = ratios + [indicator for indicator in indicators if not indicator.is_ratio]
    if not candidates:
        return None
    chosen, total = candidates[0], children.count()
    for indicator in candidates if total else ():  # no children: nothing to rank by any indicator
        best = children_ranked(indicator=indicator, children=children, period=period, size=1, total=total)
        if best.children[0][1].value is not None:
            chosen = indicator
            break
    return children_ranked(
        indicator=chosen, children=children, period=period, size=size, page=page, total=total
    )


@dataclass(frozen=True)
class LevelCompleteness:
    level: str
    rank: int
    expected: int
    reported: int
    on_time: int
    approved: int


def due_day(dataset: DataSet, period: Period) -> date:
    """The last day a report of the period is on time: the close of the period's window, or
    `due_days` after the period without one."""
    window = DataSetPeriod.objects.filter(dataset=dataset, period=period).first()
    return window.closes_on if window else period.end + timedelta(days=dataset.due_days)


def due_at(dataset: DataSet, period: Period) -> datetime:
    """The end of `due_day` (local time)."""
    return timezone.make_aware(datetime.combine(due_day(dataset, period), time.max))


def completeness(*, actor, dataset: DataSet, unit: Unit, period: Period) -> list[LevelCompleteness]:
    """Per level of the unit's subtree: the units that report the data set, how many sent the
    period's report (submitted or approved), how many by the due day, how many are approved.
    ("82 of 85 reported on time"). Read from the counts kept per subtree (`UnitCount`,
    `ReportCount`: a few rows a kind), two queries whatever the subtree's size."""
    unit = unit_get(actor=actor, pk=unit.pk)
    reporting = dataset_unit_q(dataset)  # by kind or level: the counts are kept by kind
    expected = (
        UnitCount.objects.filter(reporting, unit=unit)
        .values("kind__level__rank", "kind__level__name")
        .annotate(n=Sum("units"))
        .order_by()
    )
    reported = {
        row["kind__level__rank"]: row
        for row in ReportCount.objects.filter(reporting, unit=unit, dataset=dataset, period=period)
        .values("kind__level__rank")
        .annotate(
            n=Sum("reported"),
            on_time=Sum("reported", filter=Q(submitted_on__lte=due_day(dataset, period)), default=0),
            approved=Sum("approved"),
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
