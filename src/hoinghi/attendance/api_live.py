"""Live snapshot endpoints for dashboards that cannot hold a WebSocket (live-operations issue).

The dashboard page polls here every few seconds while its socket is down (Redis away, a proxy
without WebSockets); the answer is the very snapshot the socket would have sent, with the
conference's version. Snapshots are kept for a second per process and audience, so forty
polling wall screens of one province cost one snapshot a second, not forty.
"""

import threading
import time

from django.http import HttpRequest
from ninja import Router

from hoinghi.attendance import live
from hoinghi.attendance.dashboard import audience_for
from hoinghi.conferences.selectors import conference_get

router = Router(tags=["live"])

KEEP_FOR = 1.0  # seconds
_recent: dict[tuple[str, int], tuple[float, dict]] = {}
_lock = threading.Lock()


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
    key = (audience.group(conference), live.conference_version(conference.pk))
    now = time.monotonic()
    with _lock:
        cached = _recent.get(key)
        if cached and now - cached[0] < KEEP_FOR:
            return cached[1]
    snapshot = live.snapshot_message(conference=conference, audience=audience)
    with _lock:
        for stale in [k for k, (at, _s) in _recent.items() if now - at >= KEEP_FOR]:
            del _recent[stale]
        _recent[key] = (now, snapshot)
    return snapshot
