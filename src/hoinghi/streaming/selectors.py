"""What pages and the dashboard read about a conference's stream, and whether the media server
answers."""

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.conferences.models import Conference, Invitation
from hoinghi.core.errors import NotFoundError
from hoinghi.streaming import signing
from hoinghi.streaming.models import (
    Chapter,
    LiveViewer,
    ProcessingStatus,
    Stream,
    StreamEvent,
    StreamKey,
    StreamSource,
    StreamState,
    Viewing,
)

VIEWER_FRESH_SECONDS = 45

# The media server is asked, not assumed: nginx answers GET /healthz (streaming/nginx.conf). A
# page polls its status every few seconds; one answer is kept a few seconds per process, so that
# a media server that is down costs one timed-out request per process, not one per page.
MEDIA_CHECK_TIMEOUT = 1.5  # seconds
MEDIA_CHECK_KEPT = 5.0  # seconds


@dataclass(frozen=True)
class MediaServerState:
    is_up: bool
    url: str  # where it was asked (HOINGHI_STREAM_PLAY_URL)
    checked_at: datetime
    detail: str  # what answered, or why nothing did


_media_checks: dict[str, tuple[float, MediaServerState]] = {}
_media_lock = threading.Lock()


def media_server_state(*, fresh: bool = False) -> MediaServerState:
    """Whether the media server answers its health check now (kept `MEDIA_CHECK_KEPT` seconds
    unless `fresh`). Never raises: a refused connection, a timeout or another answer than 200 is
    "down", with the reason."""
    url = settings.STREAM_PLAY_URL
    with _media_lock:
        kept = _media_checks.get(url)
    if kept and not fresh and time.monotonic() - kept[0] < MEDIA_CHECK_KEPT:
        return kept[1]
    try:
        answer = httpx.get(f"{url}/healthz", timeout=MEDIA_CHECK_TIMEOUT)
    except httpx.HTTPError as error:
        is_up, detail = False, str(error) or type(error).__name__
    else:
        is_up, detail = answer.status_code == 200, f"HTTP {answer.status_code}"
    state = MediaServerState(is_up=is_up, url=url, checked_at=timezone.now(), detail=detail[:200])
    with _media_lock:
        _media_checks[url] = (time.monotonic(), state)
    return state


def stream_of(conference: Conference) -> Stream | None:
    return Stream.objects.filter(conference=conference).first()


def stream_key_current(stream: Stream | None) -> StreamKey | None:
    """The key an encoder starts with, or None (a stream not made yet): a read, unlike
    `services.current_key`, which makes one when none is left."""
    if stream is None or stream.pk is None:
        return None
    return (
        stream.keys.filter(retired_at__isnull=True, revoked_at__isnull=True).order_by("-created_at").first()
    )


def stream_summary(*, conference: Conference, now: datetime | None = None) -> dict:
    """The stream's part of the live dashboard: its state since when, and the last refusal."""
    now = now or timezone.now()
    stream = Stream.objects.filter(conference_id=conference.pk).first()
    if stream is None:
        return {
            "configured": False,
            "state": StreamState.IDLE,
            "label": str(StreamState.IDLE.label),
            "viewers": 0,
            "viewers_playing": 0,
        }
    refused = (
        StreamEvent.objects.filter(stream=stream, kind="refused", at__gte=stream.state_changed_at or now)
        .order_by("-at")
        .values("at", "reason")
        .first()
    )
    fresh = now - timedelta(seconds=VIEWER_FRESH_SECONDS)
    viewers = LiveViewer.objects.filter(
        invitation__conference_id=conference.pk, reported_at__gte=fresh
    ).aggregate(all=Count("pk"), playing=Count("pk", filter=Q(state="playing")))
    return {
        "configured": True,
        "source": stream.source,
        "state": stream.state if stream.source == StreamSource.RTMP else "external",
        "label": str(StreamState(stream.state).label)
        if stream.source == StreamSource.RTMP
        else _("Nguồn ngoài"),
        "since": stream.state_changed_at.isoformat() if stream.state_changed_at else None,
        "last_refused": {"at": refused["at"].isoformat(), "reason": refused["reason"]} if refused else None,
        "viewers": viewers["all"],
        "viewers_playing": viewers["playing"],
    }


def player_source(stream: Stream | None) -> dict | None:
    """What a player loads: a signed HLS URL of our media server, or the external source."""
    if stream is None:
        return None
    if stream.source == StreamSource.EXTERNAL:
        return {"url": stream.external_url, "external": True}
    return {"url": signing.live_url(stream.name), "external": False}


def chapters_ready(conference: Conference):
    return (
        Chapter.objects.filter(
            recording__stream__conference=conference,
            recording__rehearsal=False,
            status=ProcessingStatus.READY,
        )
        .select_related("item", "recording__stream")
        .order_by("recording__started_at", "start")
    )


def chapter_for_invitation(*, invitation: Invitation, chapter_id: int) -> Chapter:
    chapter = chapters_ready(invitation.conference).filter(pk=chapter_id).first()
    if chapter is None:
        raise NotFoundError(_("Không tìm thấy đoạn ghi hình."), code="not_found")
    return chapter


def chapter_url(chapter: Chapter) -> str:
    stream_name = chapter.recording.stream.name
    return signing.vod_url(stream_name, chapter.path.rsplit("/", 1)[-1])


def recording_url(recording) -> str:
    """The whole recording as one MP4 (`tasks.recording_process` writes it), for the archive."""
    return signing.vod_url(recording.stream.name, f"rec-{recording.pk}.mp4")


def watched_later(invitation_ids: list[int]) -> dict[int, dict[str, float]]:
    """invitation id -> {programme item (or chapter) title -> minutes watched later}, in programme
    order, for the attendance reports. Parts of an item cut from two recordings add up."""
    result: dict[int, dict[str, float]] = {}
    rows = (
        Viewing.objects.filter(invitation_id__in=invitation_ids, seconds__gt=0)
        .order_by("invitation_id", "chapter__item__order", "chapter__recording__started_at", "chapter__start")
        .values_list("invitation_id", "chapter__item__title", "chapter__title", "seconds")
    )
    for invitation_id, item_title, chapter_title, seconds in rows:
        per_item = result.setdefault(invitation_id, {})
        title = item_title or chapter_title
        per_item[title] = round(per_item.get(title, 0) + seconds / 60, 1)
    return result
