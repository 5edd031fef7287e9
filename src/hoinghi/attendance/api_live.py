"""Live snapshot endpoints for dashboards that cannot hold a WebSocket (live-operations issue).

The dashboard page polls here every few seconds while its socket is down (Redis away, a proxy
without WebSockets); the answer is the very snapshot the socket would have sent, with the
conference's version. Snapshots are kept for a second per process and audience
(`core.live.polled_message`), so forty polling wall screens of one province cost one snapshot a
second, not forty.
"""

from django.http import HttpRequest
from ninja import Router

from hoinghi.attendance.dashboard import LIVE_VIEW, audience_for
from hoinghi.conferences.selectors import conference_get
from hoinghi.core import live

router = Router(tags=["live"])


@router.get(
    "/conferences/{conference_id}/live",
    response={200: dict},
    summary="The live dashboard's snapshot of a conference, scoped to the caller",
    url_name="live_snapshot",
)
def live_snapshot(request: HttpRequest, conference_id: int):
    """What the dashboard's WebSocket sends: points by state and level, present out of invited
    by province and category, open incidents, the arrival timeline, and `version`, which grows
    with every change. Unknown conferences and conferences outside the caller's grants are 404."""
    conference = conference_get(actor=request.user, pk=conference_id)
    audience = audience_for(actor=request.user, conference=conference)
    return live.polled_message(LIVE_VIEW, conference, audience)
