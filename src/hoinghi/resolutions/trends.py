"""An indicator's trend over periods and whether it is on track: projected linearly to its
deadline (or, for an "each year" target, to the end of the period's year).

The series is read from the roll-ups exactly as `figures.indicator_values` reads one period (one
query a side for all the periods), so each point equals the dashboard's figure for that period.

The projection (docs/architecture.md, "Dashboards"): the least-squares line through the points
(x = the period's last day, y = the value) is read at the horizon; with one point there is no
trend and the value itself is compared; a horizon already reached compares the last value. The
arithmetic is exact (fractions), so a projection landing exactly on the target is on track.

A straight line runs on forever, a share does not: a projection is clamped to 0 and, for a
percentage (`Indicator.is_share`), to 100 % (or to the highest value it reached, when the data
went past 100 %), and says it was (`Projection.is_clamped`, drawn on the chart), so that "116 %
by 2023" never appears.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from hoinghi.orgs.models import Unit
from hoinghi.resolutions.figures import units_counted
from hoinghi.resolutions.models import Direction, Indicator, Period, RollUp, Source


class Track:
    ON = "on_track"
    OFF = "off_track"
    UNKNOWN = "unknown"

    LABELS = {
        ON: _("đúng tiến độ"),
        OFF: _("chậm tiến độ"),
        UNKNOWN: _("chưa đủ số liệu"),
    }


@dataclass(frozen=True)
class Projection:
    status: str  # Track.ON, Track.OFF or Track.UNKNOWN
    value: Decimal | None  # the value projected at `until`
    until: date
    is_clamped: bool = False  # the line went past 0 or 100 % and was stopped there

    @property
    def label(self) -> str:
        return str(Track.LABELS[self.status])


def _meets(value: Fraction, target: Fraction, direction: str) -> bool:
    return value <= target if direction == Direction.AT_MOST else value >= target


def project(
    points: list[tuple[date, Decimal]],
    *,
    until: date,
    target: Decimal,
    direction: str,
    upper: Decimal | None = None,
) -> Projection:
    """Where the points' linear trend stands at `until`, and whether that meets the target.

    `points` are (the period's last day, value), oldest first, without the periods that have no
    value. The projection is kept within 0 and `upper` (100 for a share), saying so."""
    if not points:
        return Projection(Track.UNKNOWN, None, until)
    last_day, last_value = points[-1]
    if len(points) == 1 or until <= last_day:
        projected = Fraction(last_value)
    else:
        origin = points[0][0]
        xs = [Fraction((day - origin).days) for day, _value in points]
        ys = [Fraction(value) for _day, value in points]
        n = len(points)
        mean_x, mean_y = sum(xs) / n, sum(ys) / n
        spread = sum((x - mean_x) ** 2 for x in xs)
        if spread == 0:  # every point on one day: no trend
            projected = ys[-1]
        else:
            slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
            projected = mean_y + slope * (Fraction((until - origin).days) - mean_x)
    is_clamped = False
    if projected < 0:
        projected, is_clamped = Fraction(0), True
    elif upper is not None and projected > Fraction(upper):
        projected, is_clamped = Fraction(upper), True
    status = Track.ON if _meets(projected, Fraction(target), direction) else Track.OFF
    value = (Decimal(projected.numerator) / Decimal(projected.denominator)).quantize(Decimal("0.1"))
    return Projection(status, value, until, is_clamped)


def _side_series(indicator: Indicator, side: str, unit: Unit, periods: list[Period]) -> dict[int, Decimal]:
    """The subtree total of one side for each period (cumulative indicators: summed so far)."""
    source = getattr(indicator, f"{side}_source")
    if source == Source.UNITS:
        total = units_counted(getattr(indicator, f"{side}_unit_kind_id"), [unit.pk])[unit.pk]
        return {period.pk: total for period in periods}
    rows = (
        RollUp.objects.filter(
            unit=unit,
            period__in=[period.pk for period in periods],
            element_id=getattr(indicator, f"{side}_element_id"),
            option__in=getattr(indicator, f"{side}_option").split(","),
        )
        .values("period_id")
        .annotate(total=Sum("value"))
        .order_by()
    )
    totals = {row["period_id"]: row["total"] for row in rows}
    if not indicator.is_cumulative:
        return totals
    running, seen, cumulative = Decimal(0), False, {}
    for period in periods:
        if period.pk in totals:
            running, seen = running + totals[period.pk], True
        if seen:
            cumulative[period.pk] = running
    return cumulative


def indicator_series(*, indicator: Indicator, unit: Unit, periods: list[Period]) -> list[Decimal | None]:
    """The indicator's value for the unit's subtree in each of `periods` (oldest first, every
    period of its periodicity from the first: a cumulative sum starts there)."""
    numerators = _side_series(indicator, "numerator", unit, periods)
    denominators = _side_series(indicator, "denominator", unit, periods) if indicator.is_ratio else None
    values: list[Decimal | None] = []
    for period in periods:
        numerator = numerators.get(period.pk)
        if numerator is None:
            values.append(None)
        elif denominators is None:
            values.append(numerator * indicator.factor)
        elif denominators.get(period.pk):
            values.append((numerator * indicator.factor / denominators[period.pk]).quantize(Decimal("0.1")))
        else:
            values.append(None)
    return values


def indicator_projection(
    *, indicator: Indicator, periods: list[Period], values: list[Decimal | None]
) -> Projection:
    """The indicator projected to its deadline from the periods' values; an "each year" target to
    the end of the last period's year, from that year's periods only."""
    if not periods:
        return Projection(Track.UNKNOWN, None, indicator.deadline or date.today())
    if indicator.is_yearly or indicator.deadline is None:
        year = periods[-1].end.year
        until = date(year, 12, 31)
        pairs = [(p, v) for p, v in zip(periods, values, strict=True) if p.end.year == year]
    else:
        until = indicator.deadline
        pairs = list(zip(periods, values, strict=True))
    points = [(period.end, value) for period, value in pairs if value is not None]
    return project(
        points,
        until=until,
        target=indicator.target_value,
        direction=indicator.direction,
        upper=_ceiling(indicator, values),
    )


def _ceiling(indicator: Indicator, values: list[Decimal | None]) -> Decimal | None:
    """100 % for a share; a ratio that has already passed 100 % (finance collected above what
    was due) is no part of a whole, and is projected up to the highest value it reached."""
    if not indicator.is_share:
        return None
    return max([Decimal(100), *(value for value in values if value is not None)])
