"""One audience's snapshot, cut from the conference's shared figures (see the package's docstring)."""

import math
import zlib
from collections import Counter
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.attendance import events
from hoinghi.attendance.dashboard.audiences import Audience
from hoinghi.attendance.dashboard.figures import ConferenceFigures, conference_figures
from hoinghi.attendance.models import IncidentKind
from hoinghi.conferences.models import Conference

# A point silent for longer than this is shown as offline (its device or link is down).
OFFLINE_AFTER = timedelta(minutes=5)
# Where a point with no province is drawn (the national host point): Hà Nội.
CAPITAL = (21.0285, 105.8542)
# The spread of the other points of a province around its centre, in degrees of latitude.
SPREAD_MIN, SPREAD_MAX = 0.08, 0.32
TIMELINE_MAX_MINUTES = 600


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


# --- One audience's snapshot, cut from them -------------------------------------------------------


def snapshot_assemble(
    figures: ConferenceFigures, audience: Audience, *, conference: Conference | None = None, now=None
) -> dict:
    """The snapshot of one audience, cut from the conference's figures without a query: its points
    (those of its subtrees and the ones it operates), the totals, the points by level, present out
    of invited by province and by category of invitee (the invitees of its subtrees and of the
    points it operates), the open incidents at its points, the arrivals per minute of everyone it
    may see present (at its points, and its own people wherever they were), and the parts the apps
    built on this one add (the extension point "attendance.dashboard_snapshot": streaming adds the
    stream's state)."""
    conference = conference or figures.conference
    now = now or timezone.now()
    if audience.everything:
        point_rows = figures.points
    else:
        index = figures.points_by_path
        seen = {index.point_ids[row] for row in index.seen(audience, audience.operated)}
        point_rows = [row for row in figures.points if row["id"] in seen]
    point_ids = {row["id"] for row in point_rows}
    incidents = [incident for incident in figures.incidents if incident["point_id"] in point_ids]
    incidents_by_point = Counter(incident["point_id"] for incident in incidents)
    points = [
        _point(row, figures.attended.get(row["id"], {}), incidents_by_point[row["id"]], now)
        for row in point_rows
    ]
    people = _people(figures, audience, point_ids)
    provinces, categories = _invitees(figures, audience)
    return {
        "type": "snapshot",
        "conference": {"id": conference.pk, "title": conference.title, "status": conference.status},
        "generated_at": now.isoformat(),
        "scope": "all" if audience.covers(conference) else "subtree",
        "totals": _totals(points, people, provinces, incidents),
        "levels": _levels(point_rows, points),
        "provinces": provinces,
        "categories": categories,
        "incidents": [_incident(incident) for incident in incidents],
        "timeline": people.pop("timeline"),
        "points": points,
        **figures.parts,
    }


def snapshot_for(*, audience: Audience, conference: Conference, now: datetime | None = None) -> dict:
    """The snapshot of one audience, fresh (the live view keeps the figures a second, see LIVE_VIEW)."""
    now = now or timezone.now()
    return snapshot_assemble(conference_figures(conference, now=now), audience, now=now)


def _people(figures: ConferenceFigures, audience: Audience, point_ids: set[int]) -> dict:
    """Everyone the audience may see present (at its points, and its own people wherever they
    were): how many, guests among them, how many at two of its points or more, and the arrivals
    per minute (rows, as a person at two points arrived twice), the last TIMELINE_MAX_MINUTES
    minutes with any."""
    people = guests = multi_point = 0
    minutes: Counter = Counter()
    for index in figures.attendance.seen(audience, point_ids):
        minute, n, n_guests = figures.arrivals[index]
        people += n
        guests += n_guests
        minutes[minute] += n
    # A row counts people, each once, except those present at several points: count them apart.
    for path, visits in figures.multi.values():
        seen = [
            is_guest
            for point_id, is_guest in visits
            if audience.everything or point_id in point_ids or audience.sees_path(path)
        ]
        people -= len(seen) - (1 if seen else 0)
        guests -= sum(seen) - (1 if any(seen) else 0)
        multi_point += len(seen) >= 2
    latest = sorted(minutes, reverse=True)[:TIMELINE_MAX_MINUTES]
    zone = timezone.get_current_timezone()  # dates in the current zone, as TruncMinute gives them
    return {
        "people": people,
        "guests": guests,
        "multi_point": multi_point,
        "timeline": [
            {"t": datetime.fromtimestamp(minute * 60, zone).isoformat(), "n": minutes[minute]}
            for minute in reversed(latest)
        ],
    }


def _nulls_last(value) -> tuple:
    """A sort key placing None where the database does in ascending order (PostgreSQL last,
    SQLite first), so that the figures keep the order the queries gave before issue 13."""
    return (value is None) == connection.features.nulls_order_largest, value or 0


def _invitees(figures: ConferenceFigures, audience: Audience) -> tuple[list[dict], list[dict]]:
    """Present out of invited by province and by category, of the audience's invitees: the people
    of its subtrees and the rosters of the points it operates (as `invitation_list` shows them). An
    invitee of two categories counts in both; invited by name apart ("Mời thêm")."""
    invitations = figures.invitations
    by_province: dict[tuple, list[int]] = {}
    by_category: dict[int | None, list[int]] = {}
    for index in invitations.rows.seen(audience, audience.operated):
        counts = by_province.setdefault(invitations.provinces[index], [0, 0])
        counts[0] += len(invitations.people[index])
        counts[1] += figures.present[index]
        for rule, people in invitations.by_category[index].items():
            counts = by_category.setdefault(rule, [0, 0])
            counts[0] += len(people)
            counts[1] += figures.present_by_category[index][rule]
    provinces = [
        {"id": pk, "name": name or _("Trung ương"), "invited": invited, "present": present}
        for (pk, name, _code), (invited, present) in sorted(
            by_province.items(), key=lambda item: _nulls_last(item[0][2])
        )
    ]
    categories = []
    for rule, (invited, present) in sorted(
        by_category.items(),
        key=lambda item: (_nulls_last(figures.categories.get(item[0], (None, None))[1]), item[0] or 0),
    ):
        name = figures.categories[rule][0] if rule in figures.categories else None
        categories.append({"id": rule, "name": name or _("Mời thêm"), "invited": invited, "present": present})
    return provinces, categories


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


def _totals(points: list[dict], people: dict, provinces: list[dict], incidents: list[dict]) -> dict:
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
        "multi_point": people["multi_point"],
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
