"""The live dashboard's snapshot: one JSON-ready dict per (conference, audience).

A dashboard is a snapshot, then updates (STYLE.md §6): it is the first user of the live layer
(`core.live`). `LIVE_VIEW` registers `snapshot_for` as the builder of the "attendance.dashboard"
view, following the conference's topic (`events.topic`); the broadcaster computes one snapshot per
audience at most once a second and the polling endpoint returns the same dict.

The audience is what decides the content, and nothing else does: who is unrestricted, the unit
paths granted for "conferences.view" (the same rule `core.permissions.scope` applies) and the
points the actor operates (the conference selectors add those to the scope). Two users with the
same audience see the same snapshot, so the broadcaster computes it once for both and sends it to
the channel group of the audience (`core.live.group_name`, from `Audience.key`): a province's
organisers never share a group with the national ones.

Cost: a fixed handful of aggregate queries, whatever the number of points or people.
"""

import math
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import TruncMinute
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.attendance import events
from hoinghi.attendance.models import Attendance, Headcount, Incident, IncidentKind
from hoinghi.conferences.models import BridgePoint, Conference, Invitation, InvitationStatus
from hoinghi.core import extensions, live
from hoinghi.core.permissions import reach
from hoinghi.orgs.selectors import person_ids_under

# A point silent for longer than this is shown as offline (its device or link is down).
OFFLINE_AFTER = timedelta(minutes=5)
# Where a point with no province is drawn (the national host point): Hà Nội.
CAPITAL = (21.0285, 105.8542)
# The spread of the other points of a province around its centre, in degrees of latitude.
SPREAD_MIN, SPREAD_MAX = 0.08, 0.32
TIMELINE_MAX_MINUTES = 600


@dataclass(frozen=True)
class Audience:
    """What a dashboard may show: everything, or the subtrees of `paths` plus the `operated` points."""

    everything: bool
    paths: tuple[str, ...] = ()
    operated: tuple[int, ...] = ()

    @property
    def key(self) -> str:
        if self.everything:
            return "*"
        return ",".join(self.paths) + "|" + ",".join(str(pk) for pk in self.operated)

    def covers(self, conference: Conference) -> bool:
        """Does this audience see all of the conference (a grant on its organising unit or above)?"""
        return self.everything or any(conference.organising_unit.path.startswith(p) for p in self.paths)

    def points_q(self, prefix: str = "") -> Q:
        """Which bridge points this audience sees (`prefix` to reach the point from another model)."""
        if self.everything:
            return Q()
        conditions = [Q(**{f"{prefix}unit__path__under": path}) for path in self.paths]
        if self.operated:
            conditions.append(Q(**{f"{prefix}pk__in" if not prefix else f"{prefix}id__in": self.operated}))
        return reduce(or_, conditions) if conditions else Q(pk__in=[])

    def people_q(self, prefix: str = "") -> Q:
        """Which invitees and attendees: people of the granted subtrees, and the rosters of the
        operated points (as `conferences.selectors.invitation_list` shows them).

        The subtrees' people are a subquery, not a join through person and unit: OR'ed with the
        points, the join made PostgreSQL hash every attendance, person and unit for each query of
        each audience's snapshot, every second (25 ms a query for a province at the morning's end)."""
        if self.everything:
            return Q()
        conditions = (
            [Q(**{f"{prefix}person_id__in": person_ids_under(paths=self.paths)})] if self.paths else []
        )
        if self.operated:
            conditions.append(Q(**{f"{prefix}point_id__in": self.operated}))
        return reduce(or_, conditions) if conditions else Q(pk__in=[])


def audience_for(*, actor, conference: Conference) -> Audience:
    """Where `conferences.view` reaches for the actor, narrowed to this conference's points: the
    same rows `scope` would give, in a form that several actors who see the same share."""
    where = reach(actor, "conferences.view")
    if where.everything:
        return Audience(everything=True)
    operated: tuple[int, ...] = ()
    if ids := where.related_ids("point_operator"):
        operated = tuple(
            sorted(
                BridgePoint.objects.filter(conference=conference, pk__in=sorted(ids)).values_list(
                    "pk", flat=True
                )
            )
        )
    return Audience(everything=False, paths=where.paths, operated=operated)


def dashboard_snapshot(*, actor, conference: Conference, now: datetime | None = None) -> dict:
    """The snapshot the actor's dashboard shows (scoped to what they may see)."""
    return snapshot_for(
        audience=audience_for(actor=actor, conference=conference), conference=conference, now=now
    )


def point_state(last_seen_at: datetime | None, now: datetime) -> str:
    """online (beat within `events.ONLINE_WITHIN`), silent, offline (silent over `OFFLINE_AFTER`),
    or never (no page of the point ever opened)."""
    if last_seen_at is None:
        return "never"
    silence = now - last_seen_at
    if silence <= events.ONLINE_WITHIN:
        return "online"
    return "silent" if silence <= OFFLINE_AFTER else "offline"


def _spread(point_id: int, lat: float, lon: float) -> tuple[float, float]:
    """A point placed around its province's centre: angle and distance from a hash of its id,
    so it stays where it is from one snapshot (and one server) to the next."""
    h = zlib.crc32(f"point:{point_id}".encode())
    angle = (h % 3600) / 3600 * 2 * math.pi
    radius = SPREAD_MIN + ((h >> 12) % 1000) / 1000 * (SPREAD_MAX - SPREAD_MIN)
    return (
        round(lat + radius * math.sin(angle), 4),
        round(lon + radius * math.cos(angle) / max(math.cos(math.radians(lat)), 0.2), 4),
    )


def _place(row: dict) -> tuple[float, float]:
    """A point run by the province's own unit (its parent is outside the province) sits on the
    province's centre; a point of a unit below it is spread around the centre; a point without
    a province is at the capital (the national host on it, others around it)."""
    lat, lon = row["unit__province__latitude"], row["unit__province__longitude"]
    if row["unit__province_id"] is None or lat is None or lon is None:
        return CAPITAL if row["is_host"] else _spread(row["id"], *CAPITAL)
    if row["unit__parent__province_id"] == row["unit__province_id"]:
        return _spread(row["id"], lat, lon)
    return round(lat, 4), round(lon, 4)


VIDEO_TROUBLE = frozenset({"buffering", "stalled", "error"})


def _video(row: dict, state: str, now: datetime) -> dict:
    """The point's player as last reported, while the page is online (an offline page's last
    report says nothing about the picture now)."""
    reported = row["presence__playback_reported_at"]
    video = row["presence__playback"] or ""
    if state != "online" or reported is None or now - reported > events.ONLINE_WITHIN:
        video = ""
    return {
        "video": video,
        "video_since": _iso(row["presence__playback_since"]) if video else None,
        "video_delay": row["presence__playback_delay"] if video == "playing" else None,
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def snapshot_for(*, audience: Audience, conference: Conference, now: datetime | None = None) -> dict:
    """The snapshot of one audience: its points (`_point_rows`, `_point`), the totals, the points
    by level, present out of invited by province and by category of invitee, the open incidents,
    the arrivals per minute, and the parts the apps built on this one add (the extension point
    "attendance.dashboard_snapshot": streaming adds the stream's state)."""
    now = now or timezone.now()
    point_rows = _point_rows(conference, audience)
    attendances = Attendance.objects.filter(conference=conference)
    point_ids = [row["id"] for row in point_rows]
    attended = _attended_by_point(attendances, audience, point_ids)
    # Everyone this audience may see present: at its points, and its own people wherever they were.
    visible = (
        attendances
        if audience.everything
        else attendances.filter(Q(point_id__in=point_ids) | audience.people_q())
    )
    invitations = _active_invitations(conference, audience)
    provinces = _present_by_province(invitations)
    categories = _present_by_category(invitations)
    incidents = _open_incidents(conference, audience)
    incidents_by_point = Counter(incident["point_id"] for incident in incidents)
    points = [
        _point(row, attended.get(row["id"], {}), incidents_by_point[row["id"]], now) for row in point_rows
    ]
    return {
        "type": "snapshot",
        "conference": {"id": conference.pk, "title": conference.title, "status": conference.status},
        "generated_at": now.isoformat(),
        "scope": "all" if audience.covers(conference) else "subtree",
        "totals": _totals(points, visible, provinces, incidents),
        "levels": _levels(point_rows, points),
        "provinces": provinces,
        "categories": categories,
        "incidents": [_incident(incident) for incident in incidents],
        "timeline": _timeline(visible),
        "points": points,
        **{
            key: build(conference=conference, audience=audience, now=now)
            for key, build in extensions.keyed_parts("attendance.dashboard_snapshot")
        },
    }


def _point_rows(conference: Conference, audience: Audience) -> list[dict]:
    """The audience's points with their unit's province, last heartbeat and player report, the
    number invited there and their last reported headcount: one query."""
    latest = Headcount.objects.filter(point=OuterRef("pk")).order_by("-reported_at", "-id")
    return list(
        BridgePoint.objects.filter(conference=conference)
        .filter(audience.points_q())
        .values(
            "id",
            "name",
            "is_host",
            "level__code",
            "level__name",
            "level__rank",
            "unit__province_id",
            "unit__parent__province_id",
            "unit__province__short_name",
            "unit__province__latitude",
            "unit__province__longitude",
            "presence__last_seen_at",
            "presence__queued_scans",
            "presence__playback",
            "presence__playback_since",
            "presence__playback_reported_at",
            "presence__playback_delay",
        )
        .annotate(
            invited=Count("invitations", filter=Q(invitations__status=InvitationStatus.ACTIVE)),
            reported=Subquery(latest.values("present")[:1]),
            reported_at=Subquery(latest.values("reported_at")[:1]),
        )
        .order_by("-is_host", "level__rank", "name", "id")
    )


def _attended_by_point(attendances, audience: Audience, point_ids: list[int]) -> dict[int, dict]:
    """Point id -> people present there, guests among them, last check-in."""
    at_points = attendances if audience.everything else attendances.filter(point_id__in=point_ids)
    return {
        row["point_id"]: row
        for row in at_points.values("point_id").annotate(
            present=Count("id"), guests=Count("id", filter=Q(is_guest=True)), last=Max("checked_in_at")
        )
    }


def _point(row: dict, attended: dict, incidents: int, now: datetime) -> dict:
    """One point as the map, the lists and the table show it."""
    lat, lon = _place(row)
    state = point_state(row["presence__last_seen_at"], now)
    return {
        "id": row["id"],
        "name": row["name"],
        "host": row["is_host"],
        "level": row["level__code"],
        "province": row["unit__province__short_name"] or "",
        "lat": lat,
        "lon": lon,
        "state": state,
        "last_seen": _iso(row["presence__last_seen_at"]),
        "queued": row["presence__queued_scans"] or 0,
        **_video(row, state, now),
        "present": attended.get("present", 0),
        "guests": attended.get("guests", 0),
        "last_checkin": _iso(attended.get("last")),
        "invited": row["invited"],
        "reported": row["reported"],
        "reported_at": _iso(row["reported_at"]),
        "incidents": incidents,
    }


def _active_invitations(conference: Conference, audience: Audience):
    """The audience's active invitations, each marked present if its person is anywhere."""
    return (
        Invitation.objects.filter(conference=conference, status=InvitationStatus.ACTIVE)
        .filter(audience.people_q())
        .annotate(
            is_present=Exists(
                Attendance.objects.filter(conference=conference, person_id=OuterRef("person_id"))
            )
        )
    )


def _present_by_province(invitations) -> list[dict]:
    return [
        {
            "id": row["person__unit__province_id"],
            "name": row["person__unit__province__short_name"] or _("Trung ương"),
            "invited": row["invited"],
            "present": row["present"],
        }
        for row in invitations.values("person__unit__province_id", "person__unit__province__short_name")
        .annotate(invited=Count("id"), present=Count("id", filter=Q(is_present=True)))
        .order_by("person__unit__province__code")
    ]


def _present_by_category(invitations) -> list[dict]:
    """By eligibility rule (an invitee of two rules counts in both; explicit invitees apart)."""
    return [
        {
            "id": row["rules__id"],
            "name": row["rules__name"] or _("Mời thêm"),
            "invited": row["invited"],
            "present": row["present"],
        }
        for row in invitations.values("rules__id", "rules__name", "rules__order")
        .annotate(invited=Count("id"), present=Count("id", filter=Q(is_present=True)))
        .order_by("rules__order", "rules__id")
    ]


def _open_incidents(conference: Conference, audience: Audience) -> list[dict]:
    return list(
        Incident.objects.filter(point__conference=conference, closed_at__isnull=True)
        .filter(audience.points_q("point__"))
        .values("id", "point_id", "point__name", "kind", "note", "opened_at")
        .order_by("opened_at", "id")
    )


def _incident(incident: dict) -> dict:
    kind = incident["kind"]
    return {
        "id": incident["id"],
        "point_id": incident["point_id"],
        "point": incident["point__name"],
        "kind": kind,
        "kind_label": str(IncidentKind(kind).label) if kind in IncidentKind.values else kind,
        "note": incident["note"],
        "since": _iso(incident["opened_at"]),
    }


def _timeline(visible) -> list[dict]:
    """Check-ins per minute, oldest first, the last TIMELINE_MAX_MINUTES minutes with any."""
    timeline = [
        {"t": _iso(row["minute"]), "n": row["n"]}
        for row in visible.annotate(minute=TruncMinute("checked_in_at"))
        .values("minute")
        .annotate(n=Count("id"))
        .order_by("-minute")[:TIMELINE_MAX_MINUTES]
    ]
    timeline.reverse()
    return timeline


def _totals(points: list[dict], visible, provinces: list[dict], incidents: list[dict]) -> dict:
    people = visible.aggregate(
        people=Count("person_id", distinct=True),
        guests=Count("person_id", distinct=True, filter=Q(is_guest=True)),
    )
    multi_point = (
        visible.values("person_id").annotate(n=Count("point_id", distinct=True)).filter(n__gte=2).count()
    )
    states = {"online": 0, "silent": 0, "offline": 0, "never": 0}
    for point in points:
        states[point["state"]] += 1
    return {
        "points": len(points),
        **states,
        "invited": sum(row["invited"] for row in provinces),
        "present": sum(row["present"] for row in provinces),  # invitees present, each once wherever they were
        "people": people["people"],  # everyone present, guests included
        "guests": people["guests"],
        "multi_point": multi_point,
        "checked_in": sum(p["present"] for p in points),  # rows per point, beside the reports
        "reported": sum(p["reported"] or 0 for p in points),
        "points_reported": sum(1 for p in points if p["reported"] is not None),
        "incidents_open": len(incidents),
        "video_playing": sum(1 for p in points if p["video"] == "playing"),
        "video_trouble": sum(1 for p in points if p["video"] in VIDEO_TROUBLE),
    }


def _levels(point_rows: list[dict], points: list[dict]) -> list[dict]:
    """Points by level (national, provincial, district...): how many, in which state, with their
    people present, invited and reported, in the levels' order."""
    levels: dict[str, dict] = {}
    for row, point in zip(point_rows, points, strict=True):
        level = levels.setdefault(
            row["level__code"],
            {
                "code": row["level__code"],
                "name": row["level__name"],
                "rank": row["level__rank"],
                "total": 0,
                "online": 0,
                "silent": 0,
                "offline": 0,
                "never": 0,
                "present": 0,
                "invited": 0,
                "reported": 0,
            },
        )
        level["total"] += 1
        level[point["state"]] += 1
        level["present"] += point["present"]
        level["invited"] += point["invited"]
        level["reported"] += point["reported"] or 0
    return sorted(levels.values(), key=lambda level: level["rank"])


def _conference_by_id(conference_id: int) -> Conference | None:
    return Conference.objects.select_related("organising_unit").filter(pk=conference_id).first()


LIVE_VIEW = live.LiveView(
    name="attendance.dashboard",
    topic=events.topic,
    load=_conference_by_id,
    snapshot=lambda conference, audience: snapshot_for(audience=audience, conference=conference),
)
