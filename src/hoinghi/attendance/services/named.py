"""What check-in reads of a batch before deciding: the scans (`ScanInput`), those stored before
(retries) and who the fresh scans name, with whether each is present at the point already."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import router
from django.db.models import Exists, OuterRef

from hoinghi.attendance import selectors
from hoinghi.attendance.models import Attendance, CheckIn, CheckInMethod
from hoinghi.conferences.models import BridgePoint, Invitation
from hoinghi.core.compiled import Compiled, CompiledModels
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


# What a scan's decision and answer read of the invitation that names someone, its person, their
# unit and the invitation's point (the rest deferred, as `only` does).
INVITATION_FIELDS = {
    "": ("conference_id", "person_id", "point_id", "token", "status"),
    "person": ("full_name", "unit_id"),
    "person__unit": ("path",),
    "point": ("conference_id", "name"),
}


def _invitations(conference_id: int, point_id: int, by: str, values: list):
    """The conference's invitations whose `by` is among `values`, each with whether its person is
    present at the point already."""
    present_here = Attendance.objects.filter(
        conference_id=conference_id, point_id=point_id, person_id=OuterRef("person_id")
    )
    return Invitation.objects.filter(conference_id=conference_id, **{f"{by}__in": values}).annotate(
        is_present_here=Exists(present_here)
    )


# The invitations a batch names, compiled once per number of values: by QR code (what a handheld
# scanner sends, one a request at the peak), by invitation or by person (the list, a search, an
# undo: there the person's unit says whether the point serves them).
_INVITATIONS = {
    by: CompiledModels(
        Invitation,
        lambda conference_id, point_id, values, by=by: _invitations(conference_id, point_id, by, values),
        related=related,
        annotations=("is_present_here",),
        only=INVITATION_FIELDS,
    )
    for by, related in (
        ("token", ("person", "point")),
        ("pk", ("person", "person__unit", "point")),
        ("person_id", ("person", "person__unit", "point")),
    )
}


def _invitations_by(point: BridgePoint, by: str, values: list) -> list[Invitation]:
    return _INVITATIONS[by].list(point.conference_id, point.pk, values) if values else []


def _named_by_id(point: BridgePoint, invitation_ids: list[int], person_ids: set[int]):
    """The invitations and people named by id, with whether each is present at the point; people
    without an invitation (guests) by the ORM's query, built only for them."""
    by_id = {invitation.pk: invitation for invitation in _invitations_by(point, "pk", invitation_ids)}
    by_person = {
        invitation.person_id: invitation
        for invitation in _invitations_by(point, "person_id", sorted(person_ids))
    }
    guest_ids = person_ids - set(by_person)
    guests = {}
    if guest_ids:
        present_here_of = Attendance.objects.filter(conference_id=point.conference_id, point=point)
        guests = {
            person.pk: person
            for person in Person.objects.filter(pk__in=guest_ids)
            .select_related("unit")
            .annotate(is_present_here=Exists(present_here_of.filter(person_id=OuterRef("pk"))))
        }
    return by_id, by_person, guests


@dataclass
class People:
    """Who the fresh scans of a batch name, and which of them are present at the point already.

    Whether each person is present here comes with the invitation or person that names them: no
    query of its own. A lookup with nothing to look up is not even built (a device sends one kind
    of scan at a time; building the other three queries cost more than running one)."""

    by_token: dict[str, Invitation]
    by_id: dict[int, Invitation]
    by_person: dict[int, Invitation]
    guests: dict[int, Person]
    present_here: set[int]
    served_paths: list[str]  # read only when a scan names someone by id

    @classmethod
    def load(cls, point: BridgePoint, scans: list[ScanInput]) -> "People":
        tokens = [scan.token for scan in scans if scan.token]
        invitation_ids = [scan.invitation_id for scan in scans if scan.invitation_id]
        person_ids = {scan.person_id for scan in scans if scan.person_id}
        by_token = {invitation.token: invitation for invitation in _invitations_by(point, "token", tokens)}
        by_id, by_person, guests, served_paths = {}, {}, {}, []
        if invitation_ids or person_ids:  # from the list or a search: built only then
            by_id, by_person, guests = _named_by_id(point, invitation_ids, person_ids)
            served_paths = selectors.point_served_paths(point=point)
        present_here = {
            i.person_id
            for i in (*by_token.values(), *by_id.values(), *by_person.values())
            if i.is_present_here
        } | {person.pk for person in guests.values() if person.is_present_here}
        return cls(by_token, by_id, by_person, guests, present_here, served_paths)

    def named_by(self, scan: ScanInput) -> tuple[Invitation | None, Person | None]:
        if scan.method == CheckInMethod.GUEST:
            return None, None
        if scan.method == CheckInMethod.QR:
            invitation = self.by_token.get(scan.token)
        elif scan.invitation_id:
            invitation = self.by_id.get(scan.invitation_id)
        else:
            invitation = self.by_person.get(scan.person_id)
        return invitation, invitation.person if invitation else self.guests.get(scan.person_id)

    def may_name(
        self,
        point: BridgePoint,
        scan: ScanInput,
        invitation: Invitation | None,
        person: Person | None,
        *,
        present_here: set[int],
    ) -> bool:
        """Whether the point may check in whom `scan` names: anyone a QR code names, and
        without one its invitees, the people it serves and whoever is present there already
        (brought by their QR code, to be undone). An unlisted guest names no one."""
        if scan.method in (CheckInMethod.QR, CheckInMethod.GUEST):
            return True
        if person is None:
            return False
        return (
            (invitation is not None and invitation.point_id == point.pk)
            or person.pk in present_here
            or any(path_is_under(person.unit.path, served) for served in self.served_paths)
        )
