"""The live view of a unit's indicators: "resolutions.indicators".

The subject is the resolution, whose topic (`events.topic`) the services publish when values
are saved, loaded or approved; the audience is one unit's dashboard for one period, as seen
through the watcher's reach of `resolutions.view` (the children ranked are those the reach
covers, exactly as `scope` gives them on the page). Watchers of the same unit, period and
ranked indicator with the same reach share a channel group and one snapshot. Its figures are
`charts.board_data`, the JSON the page's script draws first.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from hoinghi.core import live
from hoinghi.core.errors import NotFoundError
from hoinghi.core.permissions import reach
from hoinghi.orgs.models import Unit
from hoinghi.resolutions import charts, events, selectors
from hoinghi.resolutions.figures import dashboard_build
from hoinghi.resolutions.models import Period, Resolution


@dataclass(frozen=True)
class UnitAudience:
    """One unit's dashboard for one period, seen through `reach`."""

    reach: Any  # core.permissions.reach(actor, "resolutions.view"): hashable, names every grant
    unit_id: int
    period_id: int
    rank_code: str = ""

    @property
    def key(self) -> str:
        where = "*" if self.reach.everything else ",".join(self.reach.paths)
        return f"{self.unit_id}|{self.period_id}|{self.rank_code}|{where}"

    def covers(self, resolution: Resolution) -> bool:
        return self.reach.covers_path(resolution.owner.path)


def indicators_snapshot(resolution: Resolution, audience: UnitAudience) -> dict:
    units = Unit.objects.filter(audience.reach.q(Unit)).select_related("kind", "province", "parent")
    unit = units.filter(pk=audience.unit_id).first()
    period = Period.objects.filter(pk=audience.period_id).first()
    if unit is None or period is None:  # gone since the page subscribed
        return {"type": "snapshot", "indicators": []}
    dashboard = dashboard_build(
        resolution=resolution,
        unit=unit,
        children=units.filter(parent=unit),
        period=period,
        rank_code=audience.rank_code,
    )
    return {"type": "snapshot", **charts.board_data(charts.board_complete(dashboard))}


LIVE_VIEW = live.LiveView(
    name="resolutions.indicators",
    topic=events.topic,
    load=lambda pk: Resolution.objects.select_related("owner").filter(pk=pk).first(),
    snapshot=indicators_snapshot,
)


def subscription(*, actor, resolution_id: int, unit_id: int, period_id: int, rank_code: str = ""):
    """(resolution, audience) for an actor who sees the resolution and the unit; NotFoundError
    otherwise (a unit of another province is as absent as a missing one)."""
    resolution = selectors.resolution_get(actor=actor, pk=resolution_id)
    unit = selectors.unit_get(actor=actor, pk=unit_id)
    if not Period.objects.filter(pk=period_id).exists():
        raise NotFoundError(_("Không tìm thấy."), code="not_found")
    return resolution, UnitAudience(reach(actor, "resolutions.view"), unit.pk, period_id, rank_code)
