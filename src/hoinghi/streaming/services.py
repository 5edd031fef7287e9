"""What changes a stream: organisers (settings, keys, chapter times) and nginx (its callbacks).

The callbacks (`publish_check`, `publish_update`, `publish_done`, `record_done`) answer whether a
publisher may start or go on. They never raise for a refusal: they return a `Verdict` the hook
view turns into 200 or 403, and every answer leaves a `StreamEvent`.

nginx identifies a publisher session by its `clientid`: a second encoder refused as "already
publishing" still sends `publish_done`, which must not end the real one (hence the comparison).
"""

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.attendance import events as live_events
from hoinghi.attendance import services as attendance
from hoinghi.attendance.models import IncidentKind
from hoinghi.conferences.models import BridgePoint, Conference, ConferenceStatus, ProgrammeItem
from hoinghi.core.background import enqueue_on_commit
from hoinghi.core.models import audit
from hoinghi.core.permissions import require
from hoinghi.streaming.errors import StreamError, StreamErrorCode
from hoinghi.streaming.models import (
    Chapter,
    ProcessingStatus,
    Recording,
    Stream,
    StreamEvent,
    StreamEventKind,
    StreamKey,
    StreamSource,
    StreamState,
)

logger = logging.getLogger(__name__)

# A stream the conference page opens is made with its first key.
PUBLISHING_STATUSES = (ConferenceStatus.LIVE,)
RECORDING_NAME = re.compile(r"^(?P<name>[A-Za-z0-9_-]+)-(?P<epoch>\d{9,11})\.flv$")


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str = ""


# --- Organisers ------------------------------------------------------------------------------------


@transaction.atomic
def stream_ensure(*, conference: Conference) -> Stream:
    """The conference's stream, made with a first key the first time it is asked for."""
    stream, created = Stream.objects.get_or_create(conference=conference)
    if created:
        StreamKey.objects.create(stream=stream)
    return stream


@transaction.atomic
def stream_create(*, actor, conference: Conference) -> Stream:
    """Make the conference's stream and its first key (the stream page's "make the stream"
    button); a stream already made is returned as it is. Only a POST makes it: opening the page
    changes nothing."""
    require(actor, "streaming.manage", conference)
    created = not Stream.objects.filter(conference=conference).exists()
    stream = stream_ensure(conference=conference)
    if created:
        audit(
            actor=actor,
            type="streaming.stream.created",
            obj=stream,
            unit_path=conference.organising_unit.path,
        )
    return stream


@transaction.atomic
def stream_settings_update(
    *,
    actor,
    conference: Conference,
    source: str,
    external_url: str = "",
    is_public: bool = False,
    rehearsal_starts_at: datetime | None = None,
    rehearsal_ends_at: datetime | None = None,
) -> Stream:
    require(actor, "streaming.manage", conference)
    stream = stream_ensure(conference=conference)
    if source not in StreamSource.values:
        raise StreamError(_("Nguồn tín hiệu không hợp lệ."), code=StreamErrorCode.INVALID)
    external_url = external_url.strip()
    if source == StreamSource.EXTERNAL and not re.match(r"^https?://\S+$", external_url):
        raise StreamError(
            _("Nguồn bên ngoài cần một địa chỉ HLS bắt đầu bằng http:// hoặc https://."),
            code=StreamErrorCode.INVALID,
        )
    if (rehearsal_starts_at is None) != (rehearsal_ends_at is None):
        raise StreamError(_("Cần cả giờ bắt đầu và giờ kết thúc phát thử."), code=StreamErrorCode.INVALID)
    if rehearsal_starts_at and rehearsal_ends_at <= rehearsal_starts_at:
        raise StreamError(_("Giờ kết thúc phát thử phải sau giờ bắt đầu."), code=StreamErrorCode.INVALID)
    stream.source = source
    stream.external_url = external_url if source == StreamSource.EXTERNAL else ""
    stream.is_public = is_public
    stream.rehearsal_starts_at, stream.rehearsal_ends_at = rehearsal_starts_at, rehearsal_ends_at
    stream.save()
    audit(
        actor=actor,
        type="streaming.stream.updated",
        obj=stream,
        unit_path=conference.organising_unit.path,
        source=source,
        is_public=is_public,
        rehearsal=[str(rehearsal_starts_at or ""), str(rehearsal_ends_at or "")],
    )
    return stream


@transaction.atomic
def key_rotate(*, actor, conference: Conference) -> StreamKey:
    """A new current key. The old one takes no new publish; an encoder already running on it
    goes on (revoke it to cut that encoder off)."""
    require(actor, "streaming.manage", conference)
    stream = stream_ensure(conference=conference)
    now = timezone.now()
    stream.keys.filter(retired_at__isnull=True).update(retired_at=now)
    key = StreamKey.objects.create(stream=stream, created_by=actor)
    StreamEvent.objects.create(stream=stream, kind=StreamEventKind.KEY_ROTATED, key=key)
    audit(actor=actor, type="streaming.key.rotated", obj=stream, unit_path=conference.organising_unit.path)
    return key


@transaction.atomic
def key_revoke(*, actor, conference: Conference, key_id: int) -> StreamKey:
    """Refuse the key from now on: nginx's next `on_update` (within seconds) cuts its publisher.
    Revoking the current key makes a new one, so the host always has a key to use."""
    require(actor, "streaming.manage", conference)
    stream = stream_ensure(conference=conference)
    key = stream.keys.select_for_update().filter(pk=key_id).first()
    if key is None:
        raise StreamError(_("Không tìm thấy khóa phát."), code=StreamErrorCode.NOT_FOUND)
    if key.revoked_at is None:
        now = timezone.now()
        was_current = key.is_current
        key.revoked_at, key.revoked_by = now, actor
        key.retired_at = key.retired_at or now
        key.save(update_fields=["revoked_at", "revoked_by", "retired_at"])
        if was_current:
            StreamKey.objects.create(stream=stream, created_by=actor)
        StreamEvent.objects.create(stream=stream, kind=StreamEventKind.KEY_REVOKED, key=key)
        audit(
            actor=actor, type="streaming.key.revoked", obj=stream, unit_path=conference.organising_unit.path
        )
    return key


def current_key(stream: Stream) -> StreamKey:
    key = stream.keys.filter(retired_at__isnull=True, revoked_at__isnull=True).order_by("-created_at").first()
    return key or StreamKey.objects.create(stream=stream)


@transaction.atomic
def chapter_adjust(*, actor, chapter: Chapter, start: float, end: float) -> Chapter:
    """New times for a chapter (seconds into its recording); the file is cut again."""
    conference = chapter.recording.stream.conference
    require(actor, "streaming.manage", conference)
    duration = chapter.recording.duration or 0
    if start < 0 or end <= start:
        raise StreamError(_("Thời điểm kết thúc phải sau thời điểm bắt đầu."), code=StreamErrorCode.INVALID)
    if duration and start >= duration:
        raise StreamError(
            _("Thời điểm bắt đầu vượt quá độ dài bản ghi (%(duration)s giây)."),
            code=StreamErrorCode.INVALID,
            params={"duration": round(duration)},
        )
    chapter.start, chapter.end = start, min(end, duration) if duration else end
    chapter.status, chapter.error, chapter.adjusted_by = ProcessingStatus.WAITING, "", actor
    chapter.save()
    audit(
        actor=actor,
        type="streaming.chapter.adjusted",
        obj=chapter,
        unit_path=conference.organising_unit.path,
        start=start,
        end=end,
    )
    enqueue_on_commit("hoinghi.streaming.tasks.chapter_cut", chapter.pk)
    return chapter


# --- nginx's callbacks ----------------------------------------------------------------------------


def _stream_by_name(name: str) -> Stream | None:
    return Stream.objects.select_related("conference").filter(name=name).first()


def _publishing_mode(stream: Stream, now: datetime) -> str | None:
    """LIVE while the conference is live, REHEARSAL inside the rehearsal window, else None."""
    if stream.conference.status in PUBLISHING_STATUSES:
        return StreamState.LIVE
    if stream.in_rehearsal(now):
        return StreamState.REHEARSAL
    return None


def _refuse(stream: Stream | None, reason: str, *, addr: str = "", key: StreamKey | None = None) -> Verdict:
    if stream is not None:
        StreamEvent.objects.create(
            stream=stream, kind=StreamEventKind.REFUSED, addr=addr, key=key, reason=reason
        )
    logger.info("stream publish refused: %s", reason)
    return Verdict(False, reason)


@transaction.atomic
def publish_check(*, name: str, key: str, addr: str = "", client: str = "") -> Verdict:
    """`on_publish`: only the current key of a stream whose conference is live (or in its
    rehearsal window) may publish, and only while no other encoder does."""
    now = timezone.now()
    stream = Stream.objects.select_for_update().select_related("conference").filter(name=name).first()
    if stream is None:
        return _refuse(None, f"unknown stream {name!r}")
    if stream.source != StreamSource.RTMP:
        return _refuse(stream, "the conference takes an external source", addr=addr)
    found = stream.keys.filter(secret=key).first() if key else None
    if found is None or not found.is_current:
        reason = (
            "no key" if not key else ("revoked key" if found and found.revoked_at else "wrong or retired key")
        )
        return _refuse(stream, reason, addr=addr, key=found)
    mode = _publishing_mode(stream, now)
    if mode is None:
        return _refuse(
            stream, "the conference is not live and not in its rehearsal window", addr=addr, key=found
        )
    if stream.is_publishing and stream.publisher_client and stream.publisher_client != client:
        # nginx itself refuses a second publisher of the same name; say so in the log too.
        return _refuse(stream, "another encoder is publishing", addr=addr, key=found)
    stream.state, stream.state_changed_at = mode, now
    stream.publishing_key, stream.publisher_addr, stream.publisher_client = found, addr, client
    stream.save(
        update_fields=["state", "state_changed_at", "publishing_key", "publisher_addr", "publisher_client"]
    )
    StreamEvent.objects.create(stream=stream, kind=StreamEventKind.PUBLISH, addr=addr, key=found, at=now)
    if mode == StreamState.LIVE:
        _close_dropped_incident(stream)
    live_events.stream_changed_on_commit(stream.conference_id)
    return Verdict(True)


@transaction.atomic
def publish_update(*, name: str, key: str, client: str = "") -> Verdict:
    """`on_update`, every few seconds while publishing: a revoked key is cut off, and so is a
    rehearsal that ran past its window while the conference is not live."""
    stream = Stream.objects.select_for_update().select_related("conference").filter(name=name).first()
    if stream is None:
        return Verdict(False, "unknown stream")
    found = stream.keys.filter(secret=key).first() if key else None
    reason = ""
    if found is None or found.revoked_at is not None:
        reason = "revoked key" if found else "unknown key"
    elif _publishing_mode(stream, timezone.now()) is None:
        reason = "the conference is not live and its rehearsal window is over"
    if not reason:
        return Verdict(True)
    StreamEvent.objects.create(stream=stream, kind=StreamEventKind.CUT, key=found, reason=reason)
    return Verdict(False, reason)


@transaction.atomic
def publish_done(*, name: str, client: str = "", addr: str = "") -> None:
    """`on_publish_done` (the encoder stopped, was cut or went idle): the stream is stopped; a
    live conference's organisers get an incident at the host point until it is back."""
    stream = Stream.objects.select_for_update().select_related("conference").filter(name=name).first()
    if stream is None or (stream.publisher_client and client and stream.publisher_client != client):
        return  # a refused duplicate publisher ending, not ours
    if not stream.is_publishing:
        return
    now = timezone.now()
    was_live = stream.state == StreamState.LIVE
    stream.state, stream.state_changed_at, stream.publisher_client = StreamState.STOPPED, now, ""
    stream.save(update_fields=["state", "state_changed_at", "publisher_client"])
    StreamEvent.objects.create(stream=stream, kind=StreamEventKind.DONE, addr=addr, at=now)
    if was_live and stream.conference.status == ConferenceStatus.LIVE:
        host = _host_point(stream)
        if host is not None:
            attendance.incident_system_open(
                point=host,
                kind=IncidentKind.LINK_DOWN,
                note=_("Báo tự động: luồng phát từ điểm cầu chính đã dừng lúc %(time)s.")
                % {"time": timezone.localtime(now).strftime("%H:%M:%S")},
            )
    live_events.stream_changed_on_commit(stream.conference_id)


def _host_point(stream: Stream) -> BridgePoint | None:
    return BridgePoint.objects.filter(conference_id=stream.conference_id, is_host=True).first()


def _close_dropped_incident(stream: Stream) -> None:
    """The stream is back: the incident the system raised at the host point when it dropped closes."""
    host = _host_point(stream)
    if host is not None:
        attendance.incident_system_close(
            point=host, kind=IncidentKind.LINK_DOWN, resolution=_("Luồng phát đã trở lại.")
        )


@transaction.atomic
def record_done(*, name: str, path: str) -> Recording | None:
    """`on_record_done`: register the file nginx finished and queue its processing. An empty file
    (a refused duplicate publisher) is left out."""
    stream = _stream_by_name(name)
    file = Path(path)
    if stream is None or not file.is_file():
        logger.warning("record_done for %r: no stream or no file %s", name, path)
        return None
    size = file.stat().st_size
    if size == 0:
        return None
    root = settings.STREAM_DIR
    relative = str(file.resolve().relative_to(root)) if file.resolve().is_relative_to(root) else str(file)
    now = timezone.now()
    matched = RECORDING_NAME.match(file.name)
    started = datetime.fromtimestamp(int(matched["epoch"]), tz=UTC) if matched else now
    recording, created = Recording.objects.get_or_create(
        path=relative,
        defaults={
            "stream": stream,
            "started_at": started,
            "ended_at": now,
            "size": size,
            "rehearsal": stream.conference.status not in PUBLISHING_STATUSES,
        },
    )
    if created:
        StreamEvent.objects.create(stream=stream, kind=StreamEventKind.RECORDED, reason=relative)
        enqueue_on_commit("hoinghi.streaming.tasks.recording_process", recording.pk)
    return recording


# --- Chapters -------------------------------------------------------------------------------------


def planned_chapters(recording: Recording) -> list[tuple[ProgrammeItem | None, str, float, float]]:
    """(item, title, start, end) for each programme item the recording covers, in seconds into
    the recording, from the planned times (an item without an end lasts until the next one). A
    recording that covers no planned item is one chapter named after the conference."""
    conference = recording.stream.conference
    duration = recording.duration or (recording.ended_at - recording.started_at).total_seconds()
    items = list(conference.programme.order_by("order", "id"))
    chapters = []
    for index, item in enumerate(items):
        if item.planned_start is None:
            continue
        end_at = item.planned_end or next(
            (later.planned_start for later in items[index + 1 :] if later.planned_start), None
        )
        start = (item.planned_start - recording.started_at).total_seconds()
        end = (end_at - recording.started_at).total_seconds() if end_at else duration
        start, end = max(0.0, start), min(duration, end)
        if end - start >= 1:
            chapters.append((item, item.title, start, end))
    if not chapters and duration >= 1:
        chapters.append((None, conference.title, 0.0, duration))
    return chapters


def recording_chapters_plan(recording: Recording) -> list[Chapter]:
    """Make the recording's chapters from the programme (once: adjusted times are kept)."""
    if recording.chapters.exists():
        return list(recording.chapters.all())
    return [
        Chapter.objects.create(recording=recording, item=item, title=title, start=start, end=end)
        for item, title, start, end in planned_chapters(recording)
    ]


@transaction.atomic
def recording_retry(*, actor, recording: Recording) -> Recording:
    """Process a recording again (after a failure, or to cut chapters the programme changed)."""
    require(actor, "streaming.manage", recording.stream.conference)
    Recording.objects.filter(pk=recording.pk).update(status=ProcessingStatus.WAITING, error="")
    enqueue_on_commit("hoinghi.streaming.tasks.recording_process", recording.pk)
    return recording


# --- What players report -----------------------------------------------------------------------------

LIVE_STATES = frozenset({"playing", "buffering", "stalled", "paused", "error", "idle"})
MAX_INTERVALS = 500  # per viewing: a seek every few seconds for hours stays well below


def live_viewer_report(*, token: str, state: str, bitrate: int | None, delay: float | None):
    """An invitee's live player, outside the bridge points (the token is the credential)."""
    from hoinghi.conferences.selectors import invitation_by_token
    from hoinghi.streaming.models import LiveViewer

    invitation = invitation_by_token(token=token)
    LiveViewer.objects.update_or_create(
        invitation=invitation,
        defaults={
            "state": state if state in LIVE_STATES else "error",
            "bitrate": bitrate,
            "delay": delay,
            "reported_at": timezone.now(),
        },
    )


def merge_intervals(intervals: list[list[float]]) -> list[list[float]]:
    """Sorted, disjoint intervals covering the same seconds; touching ones (within 0.5 s, the gap
    between two reports of a playing player) join."""
    merged: list[list[float]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1] + 0.5:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


@transaction.atomic
def watched_report(*, token: str, chapter_id: int, intervals: list[tuple[float, float]]):
    """Seconds of a chapter an invitee played in a visible tab. Merged with what was reported
    before, so watching a part twice counts it once; clipped to the chapter's length."""
    from hoinghi.conferences.selectors import invitation_by_token
    from hoinghi.streaming.models import Viewing
    from hoinghi.streaming.selectors import chapter_for_invitation

    invitation = invitation_by_token(token=token)
    chapter = chapter_for_invitation(invitation=invitation, chapter_id=chapter_id)
    length = chapter.duration or (chapter.end - chapter.start)
    clean = []
    for start, end in intervals:
        start, end = max(0.0, float(start)), min(length, float(end))
        if end - start > 0:
            clean.append([round(start, 2), round(end, 2)])
    viewing, _created = Viewing.objects.select_for_update().get_or_create(
        invitation=invitation, chapter=chapter
    )
    merged = merge_intervals([*viewing.intervals, *clean])
    if len(merged) > MAX_INTERVALS:
        raise StreamError(_("Quá nhiều đoạn xem rời nhau."), code=StreamErrorCode.INVALID)
    viewing.intervals = merged
    viewing.seconds = round(sum(end - start for start, end in merged), 2)
    viewing.save()
    return viewing
