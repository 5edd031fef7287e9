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

import math
import threading
import time
import zlib
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Count, Func, IntegerField, Max, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.attendance import events
from hoinghi.attendance.models import Attendance, Headcount, Incident, IncidentKind
from hoinghi.conferences.models import BridgePoint, Conference, EligibilityRule, Invitation, InvitationStatus
from hoinghi.core import extensions, live
from hoinghi.core.permissions import reach

# A point silent for longer than this is shown as offline (its device or link is down).
OFFLINE_AFTER = timedelta(minutes=5)
# Where a point with no province is drawn (the national host point): Hà Nội.
CAPITAL = (21.0285, 105.8542)
# The spread of the other points of a province around its centre, in degrees of latitude.
SPREAD_MIN, SPREAD_MAX = 0.08, 0.32
TIMELINE_MAX_MINUTES = 600
# Who is invited where changes rarely during the morning; the figures kept of it are checked
# against the invitations' count and last change at every computation, and made again at least
# this often for what that check cannot see (a person moved to another unit, a unit renamed).
INVITATIONS_KEPT_FOR = 300.0  # seconds


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

    def sees_path(self, path: str) -> bool:
        """Is the unit at `path` in a granted subtree?"""
        return self.everything or any(path.startswith(granted) for granted in self.paths)

    def ranges(self, paths: list[str]) -> list[tuple[int, int]]:
        """Where the granted subtrees are in `paths`, sorted: [start, end) ranges, one a subtree
        (a path holds digits and "/", which sort below "~")."""
        return [(bisect_left(paths, granted), bisect_left(paths, granted + "~")) for granted in self.paths]


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


# --- What every audience shares, computed once ------------------------------------------------------


@dataclass
class _Rows:
    """Rows of figures sorted by the unit path they belong to, found by subtree (bisection on
    `paths`) and by point (`by_point`)."""

    paths: list[str]
    point_ids: list[int | None]
    by_point: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for index, point_id in enumerate(self.point_ids):
            self.by_point.setdefault(point_id, []).append(index)

    def seen(self, audience: Audience, point_ids: Iterable[int]) -> Iterable[int]:
        """The indices of the rows `audience` sees: those of its subtrees and of `point_ids`."""
        if audience.everything:
            return range(len(self.paths))
        seen: set[int] = set()
        for start, end in audience.ranges(self.paths):
            seen.update(range(start, end))
        for point_id in point_ids:
            seen.update(self.by_point.get(point_id, ()))
        return sorted(seen)


@dataclass
class InvitationFigures:
    """Who is invited, by (unit of the person, point): the people of each group and of each of its
    categories. Kept per process (`_invitation_figures`) while `fingerprint` holds."""

    fingerprint: tuple
    made_at: float  # time.monotonic()
    rows: _Rows  # one row a (unit path, point)
    provinces: list[tuple]  # a row's province: (id, short name, code)
    people: list[frozenset[int]]  # a row's invitees (person ids)
    by_category: list[dict[int | None, frozenset[int]]]  # a row's invitees by rule (None: invited by name)
    invited_at_point: Counter  # point id -> active invitations
    rule_ids: set[int]  # the categories named


@dataclass
class ConferenceFigures:
    """What every audience's snapshot is cut from (`snapshot_assemble`); made by `conference_figures`."""

    conference: Conference
    points: list[dict]  # every point, as `_point_rows` gives them, in the order the lists show
    points_by_path: _Rows  # the same, by their unit's path
    attended: dict[int, dict]  # point id -> present, guests, last check-in
    attendance: _Rows  # one row a (unit path of the person, point, minute)
    arrivals: list[tuple[int, int, int]]  # a row's (minute since 1970, people, guests)
    multi: dict[int, tuple[str, list[tuple[int, bool]]]]  # people present at 2+ points: path, (point, guest)
    incidents: list[dict]  # open, oldest first
    invitations: InvitationFigures
    present: list[int]  # an invitation row's invitees present anywhere
    present_by_category: list[dict[int | None, int]]
    categories: dict[int, tuple[str, int]]  # rule id -> (name, order)
    parts: dict  # the parts other apps add ("attendance.dashboard_snapshot"), the same for everyone


def conference_figures(conference: Conference, *, now: datetime | None = None) -> ConferenceFigures:
    """The conference's figures every audience's snapshot is cut from: the points, the attendance
    by (unit of the person, point, minute), the people present at several points one by one, the
    open incidents, the invitees present by (unit, point, category). Six queries and the stream's
    (two more when the invitations changed), whatever the size: the attendance is counted as it
    arrives (`_attendance_tally`), who is invited where kept (`_invitation_figures`)."""
    now = now or timezone.now()
    categories = {
        pk: (name, order)
        for pk, name, order in EligibilityRule.objects.filter(conference=conference).values_list(
            "pk", "name", "order"
        )
    }
    invitations = _invitation_figures(conference, rules=categories.keys())
    points = _point_rows(conference)
    for row in points:
        row["invited"] = invitations.invited_at_point[row["id"]]
    by_path = sorted((row["unit__path"], row["id"]) for row in points)
    with _tallies_lock:
        tally = _attendance_tally(conference)
        # Sorted here, by code point: the database's collation may not sort "/" before the digits.
        groups = sorted(tally.groups.items())
        attended = {point_id: dict(counts) for point_id, counts in tally.at_point.items()}
        multi = {person: (tally.visits[person][0], list(tally.visits[person][1])) for person in tally.multi}
        present = set(tally.visits)
    return ConferenceFigures(
        conference=conference,
        points=points,
        points_by_path=_Rows([path for path, _pk in by_path], [pk for _path, pk in by_path]),
        attended=attended,
        attendance=_Rows(
            [path for (path, _p, _m), _c in groups], [point for (_path, point, _m), _c in groups]
        ),
        arrivals=[(minute, n, guests) for (_path, _point, minute), (n, guests) in groups],
        multi=multi,
        incidents=list(
            Incident.objects.filter(point__conference=conference, closed_at__isnull=True)
            .values("id", "point_id", "point__name", "kind", "note", "opened_at")
            .order_by("opened_at", "id")
        ),
        invitations=invitations,
        present=[len(people & present) for people in invitations.people],
        present_by_category=[
            {rule: len(people & present) for rule, people in categories.items()}
            for categories in invitations.by_category
        ],
        categories=categories,
        parts={
            key: build(conference=conference, now=now)
            for key, build in extensions.keyed_parts("attendance.dashboard_snapshot")
        },
    )


class _EpochMinute(Func):
    """The minute of a date and time, counted from 1970 (UTC): what the arrivals are grouped by."""

    output_field = IntegerField()
    POSTGRESQL = "FLOOR(EXTRACT(EPOCH FROM %(expressions)s) / 60)::bigint"
    # Stored as UTC text ("2018-12-06 01:02:03.456789"), whose seconds from 1970 strftime's %s
    # gives; "%" doubled twice: once for this template, once for the query's parameters.
    SQLITE = "CAST(strftime('%%%%s', %(expressions)s) AS INTEGER) / 60"

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template=self.POSTGRESQL, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template=self.SQLITE, **extra)


# --- The attendance, counted as it arrives ----------------------------------------------------------

# Rows are only ever added or deleted (check-in; undo, a replay's reset). Each round reads the rows
# above the highest id counted minus TALLY_LOOKBACK (a row whose transaction commits after one
# with a higher id) and checks the count and the sum of the ids against the table's, read in the
# same statement: a row deleted, or one that committed later still, makes it count again from
# nothing, as it does every TALLY_KEPT_FOR (a person moved to another unit).
TALLY_LOOKBACK = 1000  # ids
TALLY_KEPT_FOR = 300.0  # seconds
_TALLY_ROW = (
    "pk",
    "person_id",
    "person__unit__path",
    "point_id",
    # The minute as a number: dates for some 25,000 rows would cost Django a time zone look-up each.
    _EpochMinute("checked_in_at"),
    "is_guest",
    "checked_in_at",
)


@dataclass
class _Tally:
    """A conference's attendance as this process counted it (`_attendance_tally`)."""

    made_at: float  # time.monotonic() of the count from nothing
    ids: set[int] = field(default_factory=set)
    id_sum: int = 0
    top: int = 0  # the highest id counted
    # (unit path of the person, point, minute) -> [people, guests]
    groups: dict[tuple[str, int, int], list[int]] = field(default_factory=dict)
    at_point: dict[int, dict] = field(default_factory=dict)  # point -> present, guests, last check-in
    # person -> (unit path, [(point, is guest there)])
    visits: dict[int, tuple[str, list[tuple[int, bool]]]] = field(default_factory=dict)
    multi: set[int] = field(default_factory=set)  # people present at two points or more

    def add(self, rows) -> None:
        for pk, person_id, path, point_id, minute, is_guest, checked_in_at in rows:
            self.ids.add(pk)
            self.id_sum += pk
            self.top = max(self.top, pk)
            counts = self.groups.setdefault((path, point_id, minute), [0, 0])
            counts[0] += 1
            counts[1] += is_guest
            point = self.at_point.setdefault(point_id, {"present": 0, "guests": 0, "last": checked_in_at})
            point["present"] += 1
            point["guests"] += is_guest
            point["last"] = max(point["last"], checked_in_at)
            visits = self.visits.setdefault(person_id, (path, []))[1]
            visits.append((point_id, is_guest))
            if len(visits) > 1:
                self.multi.add(person_id)


_tallies: dict[tuple, _Tally] = {}  # (conference pk, creation time) -> its tally
_tallies_lock = threading.Lock()


def _attendance_tally(conference: Conference) -> _Tally:
    """The conference's attendance, brought up to date with one query (the caller holds
    `_tallies_lock`)."""
    key = (conference.pk, conference.created_at)
    attendances = Attendance.objects.filter(conference=conference)
    tally = _tallies.get(key)
    if tally is not None and time.monotonic() - tally.made_at < TALLY_KEPT_FOR:
        totals = attendances.order_by().values("conference")
        recent = list(
            attendances.filter(pk__gt=tally.top - TALLY_LOOKBACK)
            .annotate(
                total=Subquery(totals.annotate(n=Count("id")).values("n")),
                total_ids=Subquery(totals.annotate(n=Sum("id")).values("n")),
            )
            .values_list(*_TALLY_ROW, "total", "total_ids")
        )
        if recent:
            total, total_ids = recent[0][-2:]
            new = [row[:-2] for row in recent if row[0] not in tally.ids]
            if len(tally.ids) + len(new) == total and tally.id_sum + sum(row[0] for row in new) == total_ids:
                tally.add(new)
                return tally
        elif not tally.ids and not attendances.exists():
            return tally
    tally = _tallies[key] = _Tally(made_at=time.monotonic())
    tally.add(attendances.values_list(*_TALLY_ROW).iterator(chunk_size=5000))
    return tally


def _point_rows(conference: Conference) -> list[dict]:
    """Every point with its unit's path and province, last heartbeat and player report and its
    last reported headcount (the number invited there comes from the invitations' figures)."""
    latest = Headcount.objects.filter(point=OuterRef("pk")).order_by("-reported_at", "-id")
    return list(
        BridgePoint.objects.filter(conference=conference)
        .values(
            "id",
            "name",
            "is_host",
            "level__code",
            "level__name",
            "level__rank",
            "unit__path",
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
            reported=Subquery(latest.values("present")[:1]),
            reported_at=Subquery(latest.values("reported_at")[:1]),
        )
        .order_by("-is_host", "level__rank", "name_sort_key", "id")
    )


_invitations: dict[tuple, InvitationFigures] = {}  # (conference pk, creation time) -> figures
_invitations_lock = threading.Lock()


def _invitation_figures(conference: Conference, *, rules: Iterable[int]) -> InvitationFigures:
    """Who is invited where: kept while the conference's invitations keep their count and last
    change (the services stamp `updated_at` on every change, bulk ones included) and its `rules`
    (ids) still include every category they name, and for at most INVITATIONS_KEPT_FOR. One query
    to check; two more to make them."""
    fingerprint = tuple(
        Invitation.objects.filter(conference=conference)
        .aggregate(n=Count("id"), changed=Max("updated_at"))
        .values()
    )
    key = (conference.pk, conference.created_at)
    with _invitations_lock:
        kept = _invitations.get(key)
        if (
            kept is not None
            and kept.fingerprint == fingerprint
            and time.monotonic() - kept.made_at < INVITATIONS_KEPT_FOR
            and kept.rule_ids <= set(rules)
        ):
            return kept
    active = Invitation.objects.filter(conference=conference, status=InvitationStatus.ACTIVE)
    rules_of: dict[int, list[int]] = {}
    for invitation_id, rule_id in Invitation.rules.through.objects.filter(
        invitation__in=active.values("pk")
    ).values_list("invitation_id", "eligibilityrule_id"):
        rules_of.setdefault(invitation_id, []).append(rule_id)
    groups: dict[tuple[str, int | None], tuple[tuple, list[int], dict]] = {}
    for pk, person_id, path, point_id, *province in active.values_list(
        "pk",
        "person_id",
        "person__unit__path",
        "point_id",
        "person__unit__province_id",
        "person__unit__province__short_name",
        "person__unit__province__code",
    ):
        _province, people, categories = groups.setdefault((path, point_id), (tuple(province), [], {}))
        people.append(person_id)
        for rule_id in rules_of.get(pk) or (None,):
            categories.setdefault(rule_id, []).append(person_id)
    ordered = sorted(groups.items(), key=lambda item: (item[0][0], item[0][1] or 0))
    invited_at_point: Counter = Counter()
    for (_path, point_id), (_province, people, _categories) in ordered:
        if point_id is not None:
            invited_at_point[point_id] += len(people)
    figures = InvitationFigures(
        fingerprint=fingerprint,
        made_at=time.monotonic(),
        rows=_Rows([path for (path, _point), _group in ordered], [point for (_path, point), _g in ordered]),
        provinces=[province for _key, (province, _people, _categories) in ordered],
        people=[frozenset(people) for _key, (_province, people, _categories) in ordered],
        by_category=[
            {rule: frozenset(people) for rule, people in categories.items()}
            for _key, (_province, _people, categories) in ordered
        ],
        invited_at_point=invited_at_point,
        rule_ids={rule for rules in rules_of.values() for rule in rules},
    )
    with _invitations_lock:
        _invitations[key] = figures
    return figures


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
