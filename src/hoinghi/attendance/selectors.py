"""Reads of the live morning for a point's check-in page: its roster, its count, people to find.

Every read starts from `point_for_checkin`: a point's operators (and organisers who may change
the point) reach it; anyone else is told it does not exist (STYLE.md §4).
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils.translation import gettext as _

from hoinghi.attendance.models import Attendance, CheckIn, CheckInOutcome
from hoinghi.conferences import selectors as conferences
from hoinghi.conferences.models import BridgePoint, ConferenceStatus, Invitation, InvitationStatus
from hoinghi.core.compiled import Compiled, CompiledModels
from hoinghi.core.errors import NotFoundError
from hoinghi.core.permissions import reach, require
from hoinghi.orgs.models import Person, Unit
from hoinghi.orgs.vietnamese import fold, search_terms

PEOPLE_SEARCH_LIMIT = 20


def point_for_checkin(*, actor, point_id: int) -> BridgePoint:
    """The point, if `actor` may work there (`attendance.operate`: its operators and the organisers
    of its unit); `NotFoundError` outside what they see, `PermissionDeniedError` inside it.

    Two queries: the point with its conference and unit (compiled once: every request of a
    check-in page starts here), and what the actor holds (read once per request, so the
    services' own `require` costs nothing more)."""
    found = _POINT_FOR_CHECKIN.list(point_id)
    if not found:
        raise NotFoundError(_("Không tìm thấy."), code="not_found")
    point = found[0]
    require(actor, "attendance.operate", point)
    return point


_POINT_FOR_CHECKIN = CompiledModels(
    BridgePoint, lambda pk: BridgePoint.objects.filter(pk=pk), related=("conference", "unit")
)


def points_to_operate(*, actor) -> list[BridgePoint]:
    """The bridge points `actor` operates in conferences whose invitations are out or which are
    live: the check-in pages an operator is looking for after signing in."""
    operated = reach(actor, "attendance.operate").related_ids("point_operator")
    if not operated:
        return []
    return list(
        BridgePoint.objects.filter(
            pk__in=sorted(operated),
            conference__status__in=[ConferenceStatus.INVITATIONS_ISSUED, ConferenceStatus.LIVE],
        )
        .select_related("conference")
        .order_by("conference__starts_at", "name_sort_key", "pk")
    )


def token_digest(token: str) -> str:
    """What the roster carries instead of a token: the page hashes a scanned QR the same way."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class RosterEntry:
    invitation_id: int
    person_id: int
    full_name: str
    folded_name: str
    unit: str
    token_sha256: str
    present_at: datetime | None

    @property
    def is_present(self) -> bool:
        return self.present_at is not None


def point_roster_version(*, point: BridgePoint) -> str:
    """A short tag that changes whenever the roster or anyone's presence at the point changes.

    Two aggregate queries instead of the roster itself, so that a page asking "has anything
    changed?" every minute costs little. Presence at the point changes only through a scan
    stored there (undo included), so the count and latest arrival of its scans cover it.
    """
    invitations = Invitation.objects.filter(conference_id=point.conference_id, point=point).aggregate(
        n=Count("pk"),
        changed=Max("updated_at"),
        person_changed=Max("person__updated_at"),
        unit_changed=Max("person__unit__updated_at"),
    )
    scans = CheckIn.objects.filter(point=point).aggregate(n=Count("pk"), last=Max("received_at"))
    parts = (
        invitations["n"],
        invitations["changed"],
        invitations["person_changed"],
        invitations["unit_changed"],
        scans["n"],
        scans["last"],
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def point_roster(*, actor, point: BridgePoint) -> list[RosterEntry]:
    """The point's active invitees for the page's offline cache, in Vietnamese name order.

    Carries the SHA-256 of each token, never the token: a copy of the cache taken from a lost
    phone cannot be used to check anyone in. Two queries whatever the size.
    """
    invitations = conferences.invitation_list(actor=actor, conference=point.conference, point=point)
    present = dict(
        Attendance.objects.filter(conference_id=point.conference_id, point=point).values_list(
            "person_id", "checked_in_at"
        )
    )
    return [
        RosterEntry(
            invitation_id=pk,
            person_id=person_id,
            full_name=full_name,
            folded_name=fold(full_name),
            unit=short_name or unit_name,
            token_sha256=token_digest(token),
            present_at=present.get(person_id),
        )
        for pk, person_id, full_name, short_name, unit_name, token in invitations.values_list(
            "pk", "person_id", "person__full_name", "person__unit__short_name", "person__unit__name", "token"
        )
    ]


def point_invited_count(*, actor, point: BridgePoint) -> int:
    """The point's active invitees the actor sees: the length of its roster. One query."""
    return conferences.invitation_list(actor=actor, conference=point.conference, point=point).count()


def point_present_count(*, point: BridgePoint) -> int:
    """People present at the point: invitees, people invited elsewhere, guests of the units it
    serves, and the unlisted guests recorded by name.

    One query, written out: every answer to a scan carries it, and the ORM spent more CPU building
    the count of a union than the database running it. Check-in counts it in the statement that
    writes a batch (`point_present_count_sql`)."""
    with connection.cursor() as cursor:
        cursor.execute(*point_present_count_sql(point=point))
        return cursor.fetchone()[0]


def point_present_count_sql(*, point: BridgePoint) -> tuple[str, list]:
    """`point_present_count`'s SQL and parameters. Table and column names come from the models;
    the values are parameters."""
    quote = connection.ops.quote_name
    attendance, checkin = Attendance._meta, CheckIn._meta
    return (
        f"SELECT (SELECT COUNT(*) FROM {quote(attendance.db_table)}"
        f" WHERE {quote(attendance.get_field('conference').column)} = %s"
        f" AND {quote(attendance.get_field('point').column)} = %s)"
        f" + (SELECT COUNT(*) FROM {quote(checkin.db_table)}"
        f" WHERE {quote(checkin.get_field('point').column)} = %s"
        f" AND {quote(checkin.get_field('outcome').column)} = %s)",
        [point.conference_id, point.pk, point.pk, CheckInOutcome.UNLISTED_GUEST.value],
    )


def point_served_paths(*, point: BridgePoint) -> list[str]:
    """The paths of the units the point serves (`BridgePointUnit`): everyone of their subtrees
    may be checked in there as a guest. A point that serves no unit has its invitees only. One
    query, compiled once: every batch of scans by id reads it."""
    return [path for (path,) in _SERVED_PATHS.rows(point.pk)]


_SERVED_PATHS = Compiled(
    Unit, lambda point_id: conferences.units_served(point=BridgePoint(pk=point_id)).values_list("path")
)


@dataclass(frozen=True)
class PersonFound:
    person_id: int
    full_name: str
    unit: str
    invitation_id: int | None
    invited_point: str  # the point the person is invited to, when it is another one
    is_invited_here: bool
    is_present: bool


def people_search(*, actor, point: BridgePoint, q: str) -> list[PersonFound]:
    """People to check in by name, diacritics-insensitive: the point's invitees and everyone of
    the tree in the units the point serves (to record someone invited elsewhere, or a guest).

    Needs at least two letters; returns at most `PEOPLE_SEARCH_LIMIT`, in Vietnamese name order.
    The served subtree, not the actor's grants, bounds it: an operator holds no grant on the
    units their point serves, yet must find the people who walk in from them. It is the bound
    `services.checkins_record` puts on a scan without a QR code (which also lets an undo name
    whoever is present there): whoever this finds can be checked in here by id, nobody else.
    """
    terms = search_terms(q)
    if not terms or len("".join(terms)) < 2:
        return []
    where = Q(
        invitations__conference_id=point.conference_id,
        invitations__point=point,
        invitations__status=InvitationStatus.ACTIVE,
    )
    served_paths = point_served_paths(point=point)
    if served_paths:
        where |= reduce(or_, (Q(unit__path__under=path) for path in served_paths))
    people = Person.objects.filter(where)
    for term in terms:
        people = people.filter(search_text__contains=term)
    found = list(people.select_related("unit").distinct().order_by("sort_key", "pk")[:PEOPLE_SEARCH_LIMIT])
    ids = [person.pk for person in found]
    invitations = {
        invitation.person_id: invitation
        for invitation in Invitation.objects.filter(
            conference_id=point.conference_id, person_id__in=ids, status=InvitationStatus.ACTIVE
        ).select_related("point")
    }
    present = set(
        Attendance.objects.filter(
            conference_id=point.conference_id, point=point, person_id__in=ids
        ).values_list("person_id", flat=True)
    )
    results = []
    for person in found:
        invitation = invitations.get(person.pk)
        elsewhere = invitation is not None and invitation.point_id != point.pk and invitation.point
        results.append(
            PersonFound(
                person_id=person.pk,
                full_name=person.full_name,
                unit=person.unit.short_name or person.unit.name,
                invitation_id=invitation.pk if invitation else None,
                invited_point=elsewhere.name if elsewhere else "",
                is_invited_here=invitation is not None and invitation.point_id == point.pk,
                is_present=person.pk in present,
            )
        )
    return results


# --- Who has not arrived yet, per point (for the operator to call) --------------------------------


def point_for_arrivals(*, actor, point_id: int) -> BridgePoint:
    """The point, if `actor` may see it (`conferences.view`: its operators, and the organisers and
    viewers of its unit's subtree); "not found" outside that, as anything else they cannot see."""
    point = BridgePoint.objects.select_related("conference", "unit", "level").filter(pk=point_id).first()
    if point is None:
        raise NotFoundError(_("Không tìm thấy."), code="not_found")
    require(actor, "conferences.view", point)
    return point


def point_not_arrived(*, actor, point: BridgePoint):
    """The point's active invitees the actor sees who are checked in nowhere yet (someone who
    went to another point has arrived), in Vietnamese name order, with what is needed to call
    them. One query."""
    present = Attendance.objects.filter(conference_id=point.conference_id, person_id=OuterRef("person_id"))
    return (
        conferences.invitation_list(actor=actor, conference=point.conference, point=point)
        .filter(~Exists(present))
        .select_related(None)
        .values("person__full_name", "person__unit__name", "person__phone", "person__email")
    )
