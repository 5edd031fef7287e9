"""What check-in reads of a batch before deciding: the scans (`ScanInput`), those stored before
(retries) and whom the fresh scans name (`Named`), with whether each is present at the point
already."""

import functools
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import router
from django.db.models import Exists, OuterRef

from hoinghi.attendance import selectors
from hoinghi.attendance.models import Attendance, CheckIn, CheckInMethod
from hoinghi.conferences.models import BridgePoint, Invitation
from hoinghi.core.compiled import Compiled
from hoinghi.core.tree import path_is_under
from hoinghi.orgs.models import Person


@dataclass(frozen=True)
class ScanInput:
    id: uuid.UUID
    method: str
    scanned_at: datetime
    token: str = ""
    invitation_id: int | None = None
    person_id: int | None = None
    guest_name: str = ""  # method "guest": the name typed for someone not on the list


# What a retry is compared with (`_same_payload`); a fresh scan finds nothing. In the model's order
# of fields, as `Model.from_db` reads a row.
STORED_FIELDS = tuple(
    field.attname
    for field in CheckIn._meta.concrete_fields
    if field.attname
    in {"id", "point_id", "method", "invitation_id", "person_id", "token", "guest_name", "outcome"}
)
_STORED = Compiled(CheckIn, lambda ids: CheckIn.objects.filter(id__in=ids).values_list(*STORED_FIELDS))


def stored_scans(ids: list[uuid.UUID]) -> list[CheckIn]:
    """The scans of `ids` stored before (retries), with `STORED_FIELDS` only."""
    using = router.db_for_read(CheckIn)
    return [CheckIn.from_db(using, STORED_FIELDS, row) for row in _STORED.rows(ids)]


@dataclass(slots=True)
class Named:
    """Someone a scan names, with what check-in decides and answers by: their invitation to the
    conference (None for a guest without one: then no status and no invited point), their unit's
    path (read when a scan names them by id: whether the point serves them) and whether they are
    present at the point already. Plain values from one row: a batch names a few hundred people,
    and making the invitation, the person, the unit and the point as model instances for each
    cost more than the rest of the decision."""

    person_id: int
    full_name: str
    unit_path: str
    invitation_id: int | None = None
    invitation_status: str = ""
    invited_point_id: int | None = None
    invited_point_name: str = ""
    is_present_here: bool = False

    @classmethod
    def of(cls, invitation: Invitation | None, person: Person) -> "Named":
        """Whom a stored scan names, from its invitation (with its point) and its person."""
        point = invitation.point if invitation is not None else None
        return cls(
            person_id=person.pk,
            full_name=person.full_name,
            unit_path="",
            invitation_id=invitation.pk if invitation is not None else None,
            invitation_status=invitation.status if invitation is not None else "",
            invited_point_id=point.pk if point is not None else None,
            invited_point_name=point.name if point is not None else "",
        )


def _invitations(conference_id: int, point_id: int, by: str, values: list):
    """The conference's invitations whose `by` is among `values`, each with whether its person is
    present at the point already."""
    present_here = Attendance.objects.filter(
        conference_id=conference_id, point_id=point_id, person_id=OuterRef("person_id")
    )
    return Invitation.objects.filter(conference_id=conference_id, **{f"{by}__in": values}).annotate(
        is_present_here=Exists(present_here)
    )


# `Named`'s fields, in its order, as a row of the invitation's query gives them; a QR code's
# invitee is not asked for their unit (a QR code is taken anywhere).
_NAMED_PATHS = (
    "person_id",
    "person__full_name",
    "person__unit__path",
    "pk",
    "status",
    "point_id",
    "point__name",
    "is_present_here",
)

# The invitations a batch names, compiled once per number of values: by QR code (what a handheld
# scanner sends, one a request at the peak) with the token that found each, or by invitation or by
# person (the list, a search, an undo: there the person's unit says whether the point serves them),
# with the value that found each.
_INVITATIONS = {
    by: Compiled(
        Invitation,
        lambda conference_id, point_id, values, by=by, paths=paths: _invitations(
            conference_id, point_id, by, values
        ).values_list(by, *paths),
    )
    for by, paths in (
        ("token", tuple(path for path in _NAMED_PATHS if path != "person__unit__path")),
        ("pk", _NAMED_PATHS),
        ("person_id", _NAMED_PATHS),
    )
}


def _invitations_by(point: BridgePoint, by: str, values: list) -> dict:
    """value of `by` -> `Named`, of the conference's invitations whose `by` is among `values`."""
    if not values:
        return {}
    rows = _INVITATIONS[by].rows(point.conference_id, point.pk, values)
    if by == "token":  # no unit asked for
        return {row[0]: Named(row[1], row[2], "", *row[3:]) for row in rows}
    return {row[0]: Named(*row[1:]) for row in rows}


def _guests(point: BridgePoint, person_ids: set[int]) -> dict[int, Named]:
    """The people named by id who hold no invitation to the conference, by the ORM's query (built
    only for them: a guest without an invitation is rare at a point)."""
    present_here = Attendance.objects.filter(
        conference_id=point.conference_id, point=point, person_id=OuterRef("pk")
    )
    rows = (
        Person.objects.filter(pk__in=person_ids)
        .annotate(is_present_here=Exists(present_here))
        .values_list("pk", "full_name", "unit__path", "is_present_here")
    )
    return {pk: Named(pk, full_name, path, is_present_here=present) for pk, full_name, path, present in rows}


@dataclass
class People:
    """Who the fresh scans of a batch name, and which of them are present at the point already.

    Whether each person is present here comes with the invitation or person that names them: no
    query of its own. A lookup with nothing to look up is not even built (a device sends one kind
    of scan at a time; building the other queries cost more than running one). A scan that names an
    invitation is looked up by it alone, though the page sends its person too."""

    point: BridgePoint
    by_token: dict[str, Named]
    by_id: dict[int, Named]
    by_person: dict[int, Named]
    present_here: set[int]

    @classmethod
    def load(cls, point: BridgePoint, scans: list[ScanInput]) -> "People":
        tokens = [scan.token for scan in scans if scan.token]
        invitation_ids = [scan.invitation_id for scan in scans if scan.invitation_id]
        person_ids = sorted({scan.person_id for scan in scans if scan.person_id and not scan.invitation_id})
        by_token = _invitations_by(point, "token", tokens)
        by_id = _invitations_by(point, "pk", invitation_ids)
        by_person = _invitations_by(point, "person_id", person_ids)
        if missing := set(person_ids) - set(by_person):
            by_person.update(_guests(point, missing))
        present_here = {
            named.person_id
            for named in (*by_token.values(), *by_id.values(), *by_person.values())
            if named.is_present_here
        }
        return cls(point, by_token, by_id, by_person, present_here)

    @functools.cached_property
    def served_paths(self) -> list[str]:
        """The paths of the units the point serves: read only when a scan without a QR code names
        someone neither invited to nor present at the point (most name the point's own invitees)."""
        return selectors.point_served_paths(point=self.point)

    def named_by(self, scan: ScanInput) -> Named | None:
        if scan.method == CheckInMethod.GUEST:
            return None
        if scan.method == CheckInMethod.QR:
            return self.by_token.get(scan.token)
        if scan.invitation_id:
            return self.by_id.get(scan.invitation_id)
        return self.by_person.get(scan.person_id)

    def may_name(self, scan: ScanInput, named: Named | None, *, present_here: set[int]) -> bool:
        """Whether the point may check in whom `scan` names: anyone a QR code names, and
        without one its invitees, the people it serves and whoever is present there already
        (brought by their QR code, to be undone). An unlisted guest names no one."""
        if scan.method in (CheckInMethod.QR, CheckInMethod.GUEST):
            return True
        if named is None:
            return False
        return (
            (named.invitation_id is not None and named.invited_point_id == self.point.pk)
            or named.person_id in present_here
            or any(path_is_under(named.unit_path, served) for served in self.served_paths)
        )
