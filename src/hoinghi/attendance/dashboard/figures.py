"""What every audience of a conference's dashboard shares, computed once a tick (see the package's
docstring): the points, the attendance tally, and who is invited where (kept per process)."""

import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Func, IntegerField, Max, OuterRef, Subquery, Sum
from django.utils import timezone

from hoinghi.attendance.dashboard.audiences import Audience
from hoinghi.attendance.models import Attendance, Headcount, Incident
from hoinghi.conferences.models import BridgePoint, Conference, EligibilityRule, Invitation, InvitationStatus
from hoinghi.core import extensions

# Who is invited where changes rarely during the morning; the figures kept of it are checked
# against the invitations' count and last change at every computation, and made again at least
# this often for what that check cannot see (a person moved to another unit, a unit renamed).
INVITATIONS_KEPT_FOR = 300.0  # seconds


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
