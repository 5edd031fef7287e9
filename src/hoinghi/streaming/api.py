"""What players report: an invitee's live player (state, bitrate, delay) and the parts of a
chapter watched later. The invitation token is the credential (no session, no CSRF), as for the
self check-in. A bridge point's player reports with the point's heartbeat (attendance.api)."""

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from hoinghi.streaming import services

router = Router(tags=["streaming"])


class PlayerIn(Schema):
    state: Literal["playing", "buffering", "stalled", "paused", "error", "idle"]
    bitrate: int | None = Field(None, ge=0, le=100_000_000)
    delay: float | None = Field(None, ge=0, le=3600)


@router.post(
    "/invitations/{token}/player",
    auth=None,
    response={204: None},
    summary="An invitee's live player says how it plays",
)
def live_player(request: HttpRequest, token: str, payload: PlayerIn):
    services.live_viewer_report(
        token=token, state=payload.state, bitrate=payload.bitrate, delay=payload.delay
    )
    return Status(204, None)


class WatchedIn(Schema):
    intervals: list[tuple[float, float]] = Field(
        ..., max_length=200, description="[start, end] seconds of the chapter played in a visible tab."
    )


class WatchedOut(Schema):
    seconds: float
    intervals: list[tuple[float, float]]


@router.post(
    "/invitations/{token}/chapters/{chapter_id}/watched",
    auth=None,
    response={200: WatchedOut},
    summary="Parts of a chapter an invitee watched later (merged; rewatching counts once)",
)
def watched(request: HttpRequest, token: str, chapter_id: int, payload: WatchedIn):
    viewing = services.watched_report(token=token, chapter_id=chapter_id, intervals=payload.intervals)
    return {"seconds": viewing.seconds, "intervals": viewing.intervals}
