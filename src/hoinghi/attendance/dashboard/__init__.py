"""The live dashboard's snapshot: one JSON-ready dict per (conference, audience).

A dashboard is a snapshot, then updates (STYLE.md §6): it is the first user of the live layer
(`core.live`). `LIVE_VIEW` registers the "attendance.dashboard" view, following the conference's
topic (`events.topic`); the broadcaster sends every audience an update at most twice a second
and the polling endpoint returns the same dict.

The audience is what decides the content, and nothing else does: who is unrestricted, the unit
paths granted for "conferences.view" (the same rule `core.permissions.scope` applies) and the
points the actor operates (the conference selectors add those to the scope). Two users with the
same audience see the same snapshot, so the broadcaster computes it once for both and sends it to
the channel group of the audience (`core.live.group_name`, from `Audience.key`): a province's
organisers never share a group with the national ones.

Every audience's figures are sums over the same rows, cut by unit path and point. So the
conference's figures are computed once (`conference_figures`): the points, the attendance counted
by (point, unit of the person, minute), the few people present at two points or more one by one,
the open incidents, and who is present among the invitees counted by (unit of the person, point,
category); and each audience's snapshot is cut from them in Python (`snapshot_assemble`: a
subtree is a range of the rows sorted by path, found by bisection). 86 audiences (the nation and
the 85 provincial federations and sector unions) cost one set of queries, not 86 (issue 13).
The invitations themselves change rarely during the morning: who is invited where, and in which
categories, is kept per process until they change (`_invitation_figures`).

Cost: a fixed handful of queries, whatever the number of points, people or audiences.
"""

from datetime import datetime

from hoinghi.attendance import events
from hoinghi.attendance.dashboard.audiences import Audience, audience_for
from hoinghi.attendance.dashboard.figures import (
    INVITATIONS_KEPT_FOR,
    ConferenceFigures,
    InvitationFigures,
    conference_figures,
)
from hoinghi.attendance.dashboard.snapshot import OFFLINE_AFTER, point_state, snapshot_assemble, snapshot_for
from hoinghi.conferences.models import Conference
from hoinghi.core import live


def dashboard_snapshot(*, actor, conference: Conference, now: datetime | None = None) -> dict:
    """The snapshot the actor's dashboard shows (scoped to what they may see)."""
    return snapshot_for(
        audience=audience_for(actor=actor, conference=conference), conference=conference, now=now
    )


def _conference_by_id(conference_id: int) -> Conference | None:
    return Conference.objects.select_related("organising_unit").filter(pk=conference_id).first()


LIVE_VIEW = live.LiveView(
    name="attendance.dashboard",
    topic=events.topic,
    load=_conference_by_id,
    shared=conference_figures,
    assemble=lambda conference, figures, audience: snapshot_assemble(
        figures, audience, conference=conference
    ),
)


__all__ = [
    "INVITATIONS_KEPT_FOR",
    "LIVE_VIEW",
    "OFFLINE_AFTER",
    "Audience",
    "ConferenceFigures",
    "InvitationFigures",
    "audience_for",
    "conference_figures",
    "dashboard_snapshot",
    "point_state",
    "snapshot_assemble",
    "snapshot_for",
]
