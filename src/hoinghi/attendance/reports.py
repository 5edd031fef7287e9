"""Reads for the report after the conference: attendance by point, province and category, and
the absentees. Pure reads, scoped to the actor's subtree (`core.permissions.scope`).

Who reads what: organisers and viewers ("conferences.view") of any unit the conference covers.
A provincial organiser of a national conference gets the points their subtree runs and the
invitees who belong to it; the figures are those of that subtree, not of the nation.

"Present" counts people, not scans: an invitee who checked in at two points is present once in
every figure except the table by point, where each point counts who was there (and the total
row of that table counts people once again). An absentee is an active invitee present nowhere.

Everything is aggregated in the database, a fixed handful of queries whatever the size
(the 2018 conference: 24,814 invitees, 364 points); the absentees are streamed.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.attendance.models import Attendance, CheckIn, CheckInOutcome, Headcount
from hoinghi.conferences import selectors as conferences
from hoinghi.conferences.models import BridgePoint, Conference, Invitation, InvitationStatus
from hoinghi.core import extensions
from hoinghi.core.errors import NotFoundError
from hoinghi.core.permissions import reach, scope
from hoinghi.orgs.models import Unit

ACTION = "attendance.view_reports"


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class PointRow:
    point_id: int
    name: str
    level: str
    invited: int
    present: int  # people checked in at this point, whoever they are
    present_invited: int  # of them: the point's own invitees
    headcount: int | None  # the operator's last reported count
    first_at: datetime | None
    last_at: datetime | None

    @property
    def elsewhere(self) -> int:
        """Present here but invited to another point, or not invited at all (guests)."""
        return self.present - self.present_invited

    @property
    def rate(self) -> float | None:
        """The share of the point's invitees who checked in there."""
        return _rate(self.present_invited, self.invited)


@dataclass(frozen=True)
class GroupRow:
    """Invitees of a province or a category, and how many of them were present anywhere."""

    name: str
    invited: int
    present: int

    @property
    def absent(self) -> int:
        return self.invited - self.present

    @property
    def rate(self) -> float | None:
        return _rate(self.present, self.invited)


@dataclass(frozen=True)
class Absentee:
    code: str
    full_name: str
    unit: str
    point: str
    province: str
    watched: dict[str, float] = field(default_factory=dict)  # programme item -> minutes watched later

    @property
    def watched_minutes(self) -> float:
        return round(sum(self.watched.values()), 1)

    @property
    def watched_text(self) -> str:
        return " · ".join(f"{item}: {minutes:.0f}′" for item, minutes in self.watched.items())


def _watched(ids: list[int]) -> dict[int, dict[str, float]]:
    """Minutes watched later per invitee and programme item, from the apps built on this one
    (streaming) through the extension point "attendance.watched_later"."""
    watched: dict[int, dict[str, float]] = {}
    for lookup in extensions.parts("attendance.watched_later"):
        for invitation_id, items in lookup(ids).items():
            watched.setdefault(invitation_id, {}).update(items)
    return watched


@dataclass(frozen=True)
class UnlistedGuest:
    """Someone from outside the list recorded by the name they gave (khách ngoài danh sách),
    linked to no stored person: the organisers reconcile them by hand."""

    name: str
    point: str
    at: datetime | None


@dataclass
class AttendanceReport:
    conference: Conference
    scope: list[str]  # the units the figures cover; empty: the whole conference
    points: list[PointRow]
    points_total: PointRow
    provinces: list[GroupRow]
    categories: list[GroupRow]
    totals: GroupRow
    uninvited_present: int  # people present who had no active invitation (guests)
    unlisted_guests: list[UnlistedGuest] = field(default_factory=list)  # by name, no person
    generated_at: datetime = field(default_factory=timezone.now)

    @property
    def absent(self) -> int:
        return self.totals.absent


def report_conference(*, actor, pk: int) -> Conference:
    """The conference, if the actor may read its reports (organisers and viewers of a unit it
    covers); `NotFoundError` otherwise, also for a point's operator without such a grant."""
    conference = conferences.conference_get(actor=actor, pk=pk)
    if reach(actor, ACTION).is_empty:
        raise NotFoundError(_("Không tìm thấy."), code="not_found")
    return conference


def _invitations(actor, conference: Conference) -> QuerySet[Invitation]:
    return scope(
        actor, ACTION, Invitation.objects.filter(conference=conference, status=InvitationStatus.ACTIVE)
    )


def _present_anywhere(conference: Conference) -> Exists:
    return Exists(Attendance.objects.filter(conference=conference, person_id=OuterRef("person_id")))


def attendance_report(*, actor, conference: Conference) -> AttendanceReport:
    """The four tables' figures and the unlisted guests (the absentees are read by
    `absentee_rows`). Eight queries."""
    points = scope(actor, ACTION, BridgePoint.objects.filter(conference=conference))
    latest = Headcount.objects.filter(point=OuterRef("pk")).order_by("-reported_at", "-id")
    point_rows = list(
        points.annotate(headcount=Subquery(latest.values("present")[:1]))
        .order_by("-is_host", "level__rank", "name_sort_key", "id")
        .values_list("pk", "name", "level__name", "headcount")
    )
    point_ids = [row[0] for row in point_rows]
    invited_at = dict(
        Invitation.objects.filter(
            conference=conference, status=InvitationStatus.ACTIVE, point_id__in=points.values("pk")
        )
        .order_by()
        .values("point_id")
        .annotate(n=Count("pk"))
        .values_list("point_id", "n")
    )
    presence = {
        row["point_id"]: row
        for row in Attendance.objects.filter(conference=conference, point_id__in=points.values("pk"))
        .order_by()
        .values("point_id")
        .annotate(
            n=Count("person_id", distinct=True),
            invited_here=Count("pk", filter=Q(is_guest=False, is_other_point=False)),
            first=Min("checked_in_at"),
            last=Max("checked_in_at"),
        )
    }
    rows = []
    for pk, name, level, headcount in point_rows:
        seen = presence.get(pk, {})
        rows.append(
            PointRow(
                point_id=pk,
                name=name,
                level=level,
                invited=invited_at.get(pk, 0),
                present=seen.get("n", 0),
                present_invited=seen.get("invited_here", 0),
                headcount=headcount,
                first_at=seen.get("first"),
                last_at=seen.get("last"),
            )
        )
    everyone = Attendance.objects.filter(conference=conference, point_id__in=point_ids).aggregate(
        n=Count("person_id", distinct=True), first=Min("checked_in_at"), last=Max("checked_in_at")
    )
    reported = [row.headcount for row in rows if row.headcount is not None]
    points_total = PointRow(
        point_id=0,
        name=_("Tổng cộng"),
        level="",
        invited=sum(row.invited for row in rows),
        present=everyone["n"],
        present_invited=sum(row.present_invited for row in rows),  # one point per invitee
        headcount=sum(reported) if reported else None,
        first_at=everyone["first"],
        last_at=everyone["last"],
    )

    invitations = _invitations(actor, conference).annotate(is_present=_present_anywhere(conference))
    grouped = invitations.order_by()
    provinces = [
        GroupRow(name=short or full or _("Trung ương, ngành"), invited=invited, present=present)
        for short, full, invited, present in grouped.values(
            "person__unit__province__code",
            "person__unit__province__short_name",
            "person__unit__province__name",
        )
        .annotate(invited=Count("pk"), present=Count("pk", filter=Q(is_present=True)))
        .order_by(F("person__unit__province__code").asc(nulls_first=True))  # the centre first
        .values_list(
            "person__unit__province__short_name", "person__unit__province__name", "invited", "present"
        )
    ]
    categories = [
        GroupRow(name=name or _("Mời thêm (ngoài các nhóm đối tượng)"), invited=invited, present=present)
        for name, invited, present in grouped.values("rules__pk", "rules__name", "rules__order")
        .annotate(invited=Count("pk"), present=Count("pk", filter=Q(is_present=True)))
        .order_by(F("rules__order").asc(nulls_last=True), "rules__pk")  # explicit invitations last
        .values_list("rules__name", "invited", "present")
    ]
    totals = GroupRow(
        name=_("Tổng cộng"),
        invited=sum(row.invited for row in provinces),
        present=sum(row.present for row in provinces),
    )
    uninvited = (
        scope(actor, ACTION, Attendance.objects.filter(conference=conference))
        .exclude(
            person_id__in=Invitation.objects.filter(
                conference=conference, status=InvitationStatus.ACTIVE
            ).values("person_id")
        )
        .aggregate(n=Count("person_id", distinct=True))["n"]
    )
    unlisted = [
        UnlistedGuest(name, point, at)
        for name, point, at in scope(
            actor,
            ACTION,
            CheckIn.objects.filter(conference=conference, outcome=CheckInOutcome.UNLISTED_GUEST),
        )
        .order_by("point__name_sort_key", "scanned_at", "id")
        .values_list("guest_name", "point__name", "scanned_at")
    ]
    return AttendanceReport(
        conference=conference,
        scope=report_scope(actor=actor),
        points=rows,
        points_total=points_total,
        provinces=provinces,
        categories=categories,
        totals=totals,
        uninvited_present=uninvited,
        unlisted_guests=unlisted,
    )


def report_scope(*, actor) -> list[str]:
    """The names of the units whose subtrees the actor's figures cover; empty when unrestricted."""
    where = reach(actor, ACTION)
    if where.everything:
        return []
    return list(
        Unit.objects.filter(path__in=where.paths)
        .order_by("depth", "name_sort_key")
        .values_list("name", flat=True)
    )


def absentee_list(*, actor, conference: Conference) -> QuerySet[Invitation]:
    """Active invitees of the actor's subtree present at no point, in Vietnamese name order."""
    return (
        _invitations(actor, conference)
        .filter(~_present_anywhere(conference))
        .order_by("person__sort_key", "person_id")
    )


def absentee_rows(invitations: QuerySet[Invitation], *, chunk_size: int = 2000) -> Iterator[Absentee]:
    """Stream the absentees of `absentee_list` (or a slice of it) as rows, one query per chunk
    (and one for what each chunk watched later)."""
    values = invitations.values_list(
        "id",
        "person__code",
        "person__full_name",
        "person__unit__name",
        "point__name",
        "person__unit__province__short_name",
    )
    chunk: list[tuple] = []

    def rows() -> Iterator[Absentee]:
        watched = _watched([row[0] for row in chunk]) if chunk else {}
        for invitation_id, code, full_name, unit, point, province in chunk:
            yield Absentee(
                code=code,
                full_name=full_name,
                unit=unit or "",
                point=point or "",
                province=province or "",
                watched=watched.get(invitation_id, {}),
            )

    for row in values.iterator(chunk_size=chunk_size):
        chunk.append(row)
        if len(chunk) >= chunk_size:
            yield from rows()
            chunk = []
    yield from rows()
