"""What a unit's dashboard draws (trends, projections, the children ranked, the map) as figures
and as the JSON its script reads, the same JSON the live view sends (`live.py`)."""

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from hoinghi.orgs.models import Unit
from hoinghi.resolutions.figures import RANKED_PAGE, Dashboard, IndicatorRow, Ranking, dashboard_get
from hoinghi.resolutions.models import Direction, Period, Resolution
from hoinghi.resolutions.selectors import period_list
from hoinghi.resolutions.trends import Projection, indicator_projection, indicator_series


@dataclass
class TrendRow:
    row: IndicatorRow
    periods: list[Period]
    values: list[Decimal | None]
    projection: Projection


@dataclass
class Board:
    """The dashboard of a unit for a period, with every indicator's trend up to that period."""

    dashboard: Dashboard
    trends: list[TrendRow]

    @property
    def ranked(self) -> Ranking | None:
        return self.dashboard.ranking

    @property
    def rows(self) -> list[IndicatorRow]:
        return self.dashboard.rows


def periods_until(period: Period) -> list[Period]:
    """Every period of the same periodicity up to `period`, oldest first."""
    return [p for p in reversed(period_list(periodicity=period.periodicity)) if p.start <= period.start]


def board_get(
    *,
    actor,
    resolution: Resolution,
    unit: Unit,
    period: Period,
    rank_code: str = "",
    size: int | None = RANKED_PAGE,
    page: int = 1,
) -> Board:
    """The unit's dashboard (NotFoundError for a unit the actor does not see) with the trends and
    one page (`size` children; None: all) of its children ranked by `rank_code`, else by the first
    ratio (`figures.dashboard_build`)."""
    dashboard = dashboard_get(
        actor=actor,
        resolution=resolution,
        unit=unit,
        period=period,
        rank_code=rank_code,
        size=size,
        page=page,
    )
    return board_complete(dashboard)


def board_complete(dashboard: Dashboard) -> Board:
    """The trends added to a dashboard."""
    period = dashboard.period
    periods = periods_until(period)
    trends = []
    for row in dashboard.rows:
        values = indicator_series(indicator=row.indicator, unit=dashboard.unit, periods=periods)
        projection = indicator_projection(indicator=row.indicator, periods=periods, values=values)
        trends.append(TrendRow(row, periods, values, projection))
    return Board(dashboard, trends)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _met(value) -> str:
    return "none" if value.is_met is None else ("met" if value.is_met else "unmet")


NEAR = 90  # percent of the target: a unit this close is "near" (amber), not "unmet" (red)


def _standing(value) -> str:
    """A ranked child's colour: met, near (≥ NEAR % of an "at least" target), unmet, none."""
    standing = _met(value)
    if standing == "unmet" and value.direction != Direction.AT_MOST and value.progress >= NEAR:
        return "near"
    return standing


def board_data(board: Board) -> dict:
    """The figures the page's script draws and the live view sends: JSON-ready."""
    dashboard = board.dashboard
    period = dashboard.period
    indicators = []
    for trend in board.trends:
        indicator, value = trend.row.indicator, trend.row.value
        indicators.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "unit": "%" if indicator.is_ratio else indicator.unit_label,
                "direction": indicator.direction,
                "target": float(indicator.target_value),
                "value": _number(value.value),
                "progress": value.progress,
                "met": _met(value),
                "periods": [str(p) for p in trend.periods],
                "ends": [p.end.isoformat() for p in trend.periods],
                "values": [_number(v) for v in trend.values],
                "projection": {
                    "status": trend.projection.status,
                    "label": trend.projection.label,
                    "value": _number(trend.projection.value),
                    "until": trend.projection.until.strftime("%d/%m/%Y"),
                    "until_iso": trend.projection.until.isoformat(),
                    "clamped": trend.projection.is_clamped,
                },
            }
        )
    data: dict = {"unit": dashboard.unit.pk, "period": period.pk, "indicators": indicators}
    if board.ranked is not None:
        indicator = board.ranked.indicator
        query = f"?ky={period.pk}&xep={indicator.code}"
        children = [
            {
                "id": child.pk,
                "name": child.short_name or child.name,
                "value": _number(value.value),
                "met": _standing(value),
                "url": reverse("resolutions:dashboard", args=[child.pk]) + query,
                "lat": child.province.latitude if child.province else None,
                "lon": child.province.longitude if child.province else None,
            }
            for child, value in board.ranked.children
        ]
        places = {(c["lat"], c["lon"]) for c in children if c["lat"] is not None}
        data["ranking"] = {
            "code": indicator.code,
            "name": indicator.name,
            "unit": "%" if indicator.is_ratio else indicator.unit_label,
            "target": float(indicator.target_value),
            "children": children,
            "offset": board.ranked.offset,
            "total": board.ranked.total,
            # A map only when the children lie in several provinces (a nation's provinces, not a
            # district's grassroots unions, which share their province's centre).
            "map": len(places) > 1,
        }
    return data
