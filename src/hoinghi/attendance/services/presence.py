"""A point's presence (heartbeats), headcounts and incidents."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.attendance import events
from hoinghi.attendance.errors import (
    CheckInError,
    CheckInErrorCode,
    IncidentError,
    IncidentErrorCode,
)
from hoinghi.attendance.models import (
    AbsenceReason,
    Headcount,
    Incident,
    IncidentKind,
    PointPresence,
)
from hoinghi.attendance.services.checkin import _require_operator
from hoinghi.conferences import services as conferences
from hoinghi.conferences.models import BridgePoint
from hoinghi.core.models import audit

# --- Presence, headcounts, incidents -------------------------------------------------------------

HEARTBEAT_WRITE_EVERY = timedelta(seconds=10)


@dataclass(frozen=True)
class Playback:
    """What the point's video player reports with the heartbeat."""

    state: str  # one of PLAYBACK_STATES
    bitrate: int | None = None  # bits/s
    delay: float | None = None  # seconds behind the encoder


PLAYBACK_STATES = frozenset({"playing", "buffering", "stalled", "paused", "error", "idle"})
# A player not playing for this long (buffering, stalled, error) opens an incident at its point.
STALLED_INCIDENT_AFTER = timedelta(seconds=30)


@transaction.atomic
def point_heartbeat(
    *, actor, point: BridgePoint, queued_scans: int = 0, playback: Playback | None = None
) -> PointPresence:
    """Record that a page of the point is open. Writes at most every 10 s per point (364 pages
    beating every 15 s would otherwise be a write every 40 ms for nothing), and at once when the
    player changes state. A point whose player has not played for `STALLED_INCIDENT_AFTER` gets
    an incident; the first real playing closes it and marks the point's link as tested
    (`conferences.services.point_link_tested_mark`). Atomic: the presence, the incident and the
    mark are written together or not at all."""
    _require_operator(actor, point)
    now = timezone.now()
    presence = PointPresence.objects.filter(point=point).first()
    if presence is None:
        presence, created = PointPresence.objects.get_or_create(
            point=point, defaults={"last_seen_at": now, "first_seen_at": now, "queued_scans": queued_scans}
        )
        events.presence_changed_on_commit(point.conference_id)
    was_silent = now - presence.last_seen_at > events.ONLINE_WITHIN
    changes: dict = {}
    if (
        was_silent
        or now - presence.last_seen_at >= HEARTBEAT_WRITE_EVERY
        or presence.queued_scans != queued_scans
    ):
        changes.update(last_seen_at=now, queued_scans=queued_scans)
    if playback is not None:
        changes.update(_playback_changes(point, presence, playback, now))
    if changes:
        PointPresence.objects.filter(pk=presence.pk).update(**changes)
        for field, value in changes.items():
            setattr(presence, field, value)
        if was_silent or "playback" in changes:
            events.presence_changed_on_commit(point.conference_id)
    return presence


def _playback_changes(point: BridgePoint, presence: PointPresence, playback: Playback, now: datetime) -> dict:
    state = playback.state if playback.state in PLAYBACK_STATES else "error"
    changes: dict = {}
    if state != presence.playback:
        changes.update(playback=state, playback_since=now)
    since = changes.get("playback_since", presence.playback_since) or now
    if changes or now - (presence.playback_reported_at or since) >= HEARTBEAT_WRITE_EVERY:
        changes.update(
            playback_reported_at=now, playback_bitrate=playback.bitrate, playback_delay=playback.delay
        )
    if state == "playing" and "playback" in changes:  # it just started playing
        conferences.point_link_tested_mark(point=point, at=now)
        incident_system_close(point=point, kind=IncidentKind.STALLED, resolution=_("Hình ảnh đã chạy lại."))
    elif state in ("buffering", "stalled", "error") and now - since >= STALLED_INCIDENT_AFTER:
        incident_system_open(
            point=point,
            kind=IncidentKind.STALLED,
            note=_("Báo tự động: hình ảnh tại điểm cầu không chạy quá %(seconds)s giây.")
            % {"seconds": int(STALLED_INCIDENT_AFTER.total_seconds())},
        )
    return changes


@transaction.atomic
def headcount_report(
    *,
    actor,
    point: BridgePoint,
    present: int,
    absent: int = 0,
    absent_reasons: dict | None = None,
    note: str = "",
) -> Headcount:
    """An operator's counts for a room where people are not checked in one by one; the absent by
    reason are keyed by `AbsenceReason` codes (CheckInError "malformed" for another key)."""
    _require_operator(actor, point)
    if present < 0 or absent < 0:
        raise CheckInError(_("Số người không hợp lệ."), code=CheckInErrorCode.MALFORMED)
    if not set(absent_reasons or ()) <= set(AbsenceReason.values):
        raise CheckInError(_("Lý do vắng mặt không hợp lệ."), code=CheckInErrorCode.MALFORMED)
    headcount = Headcount.objects.create(
        point=point,
        present=present,
        absent=absent,
        absent_reasons=absent_reasons or {},
        note=note,
        reported_by=actor if getattr(actor, "pk", None) else None,
    )
    audit(
        actor=actor,
        type="attendance.headcount.reported",
        obj=point,
        unit_path=point.unit.path,
        present=present,
        absent=absent,
    )
    events.attendance_changed_on_commit(point.conference_id)
    return headcount


def _require_incident_kind(kind: str) -> None:
    if kind not in IncidentKind.values:
        raise IncidentError(
            _("Loại sự cố không hợp lệ."), code=IncidentErrorCode.UNKNOWN_KIND, params={"kind": kind}
        )


@transaction.atomic
def incident_open(*, actor, point: BridgePoint, kind: str, note: str = "") -> Incident:
    """An operator (or an organiser) reports a problem at the point.

    Raises `IncidentError(unknown_kind)` for a kind that is not one of `IncidentKind`."""
    _require_operator(actor, point)
    _require_incident_kind(kind)
    incident = Incident.objects.create(
        point=point, kind=kind, note=note, opened_by=actor if getattr(actor, "pk", None) else None
    )
    audit(actor=actor, type="attendance.incident.opened", obj=incident, unit_path=point.unit.path, kind=kind)
    events.incidents_changed_on_commit(point.conference_id)
    return incident


@transaction.atomic
def incident_close(*, actor, incident: Incident, resolution: str = "") -> Incident:
    """Organisers (or the point's operators) close an incident with how it was solved."""
    _require_operator(actor, incident.point)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.closed_at is None:
        incident.closed_at, incident.resolution = timezone.now(), resolution
        incident.closed_by = actor if getattr(actor, "pk", None) else None
        incident.save(update_fields=["closed_at", "closed_by", "resolution"])
        audit(
            actor=actor, type="attendance.incident.closed", obj=incident, unit_path=incident.point.unit.path
        )
        events.incidents_changed_on_commit(incident.point.conference_id)
    return incident


def _system_incidents(point: BridgePoint, kind: str):
    """The open incidents of `kind` the system opened at the point (no one opened them by hand)."""
    return Incident.objects.filter(point=point, kind=kind, opened_by__isnull=True, closed_at__isnull=True)


@transaction.atomic
def incident_system_open(*, point: BridgePoint, kind: str, note: str) -> Incident | None:
    """The system reports a problem it saw at the point (a player stalled, the host's stream
    dropped), unless an incident of that kind it opened there is still open. Returns the new
    incident, or None. No actor: the caller has let in whoever set it off (an operator's
    heartbeat, nginx's callback). Raises `IncidentError(unknown_kind)`."""
    _require_incident_kind(kind)
    if _system_incidents(point, kind).exists():
        return None
    incident = Incident.objects.create(point=point, kind=kind, note=note)
    events.incidents_changed_on_commit(point.conference_id)
    return incident


@transaction.atomic
def incident_system_close(*, point: BridgePoint, kind: str, resolution: str) -> int:
    """Close the open incidents of `kind` the system opened at the point, as what set them off is
    over; one an operator opened stays open until someone closes it. Returns how many closed."""
    closed = _system_incidents(point, kind).update(closed_at=timezone.now(), resolution=resolution)
    if closed:
        events.incidents_changed_on_commit(point.conference_id)
    return closed
