"""Reads of learning reports for organisers and viewers: the assignment, who must write, the
reports an actor may read and their figures.

Organisers' and viewers' reads start from `core.permissions.scope` with `ACTION`
(``learning_reports.view_reports``; a report belongs to its writer's unit): a report outside it is
not found, exactly like one that does not exist. Reviewers' reads (marking.py) take `MARK`.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from hoinghi.attendance.models import Attendance
from hoinghi.conferences import selectors as conferences
from hoinghi.conferences.models import Conference, Invitation, InvitationStatus
from hoinghi.core import extensions
from hoinghi.core.errors import NotFoundError
from hoinghi.core.permissions import reach, scope
from hoinghi.learning_reports.models import (
    Assignment,
    Report,
    ReportState,
    ReportVersion,
    WhoMustWrite,
)

ACTION = "learning_reports.view_reports"
MARK = "learning_reports.mark"


def not_found() -> NotFoundError:
    return NotFoundError(_("Không tìm thấy."), code="not_found")


def assignment_of(*, conference: Conference) -> Assignment | None:
    """The conference's assignment, or None when it asks for no report. Its `conference` is the
    one given (callers read it, e.g. its organising unit, without loading it again)."""
    assignment = Assignment.objects.filter(conference=conference).first()
    if assignment is not None:
        assignment.conference = conference
    return assignment


def reports_conference(*, actor, pk: int) -> Conference:
    """The conference, if the actor sees it (`conferences.view`) and may read reports somewhere
    (organisers and viewers); `NotFoundError` otherwise (a point's operator included)."""
    conference = conferences.conference_get(actor=actor, pk=pk)
    if reach(actor, ACTION).is_empty:
        raise not_found()
    return conference


# --- Who must write ---------------------------------------------------------------------------------


def _watched_invitation_ids(invitation_ids: list[int]) -> set[int]:
    """Those who watched a recording later, from the apps that fill attendance's place
    "attendance.watched_later" (streaming): any minute of any chapter counts."""
    watched: set[int] = set()
    for lookup in extensions.parts("attendance.watched_later"):
        watched.update(pk for pk, items in lookup(invitation_ids).items() if any(items.values()))
    return watched


def required_condition(*, assignment: Assignment) -> Q:
    """The condition on the invitations of the assignment's conference that their invitee must
    write: active, and present at any point (check-in), present or watched the recording later,
    or invited at all, as the assignment says. Uncorrelated subqueries only, so that it serves
    both as a filter (`required_invitations`) and inside a count's FILTER (statistics), where
    PostgreSQL hashes each subquery once rather than probing it per row."""
    active = Q(status=InvitationStatus.ACTIVE)
    if assignment.who_must_write == WhoMustWrite.ALL_INVITEES:
        return active
    present = Q(
        person_id__in=Attendance.objects.filter(conference_id=assignment.conference_id).values("person_id")
    )
    if assignment.who_must_write == WhoMustWrite.PRESENT:
        return active & present
    absent = Invitation.objects.filter(Q(conference_id=assignment.conference_id) & active & ~present)
    absent_ids = list(absent.values_list("pk", flat=True))
    watched = _watched_invitation_ids(absent_ids) if absent_ids else set()
    return active & (present | Q(pk__in=sorted(watched)))


def required_invitations(*, assignment: Assignment) -> QuerySet[Invitation]:
    """The invitations whose invitee must write (`required_condition`)."""
    return Invitation.objects.filter(conference_id=assignment.conference_id).filter(
        required_condition(assignment=assignment)
    )


def is_required(*, assignment: Assignment, invitation: Invitation) -> bool:
    return required_invitations(assignment=assignment).filter(pk=invitation.pk).exists()


# --- Organisers and viewers ---------------------------------------------------------------------------


def report_list(*, actor, assignment: Assignment, state: str = "") -> QuerySet[Report]:
    """The reports of the assignment the actor may read, in Vietnamese order of the writers."""
    reports = scope(actor, ACTION, Report.objects.filter(assignment=assignment))
    if state:
        reports = reports.filter(state=state)
    return reports.select_related("invitation__person__unit").order_by(
        "invitation__person__sort_key", "invitation_id"
    )


def report_get(*, actor, assignment: Assignment, pk: int) -> Report:
    """One report of the assignment, if the actor may read it; `NotFoundError` otherwise."""
    report = report_list(actor=actor, assignment=assignment).filter(pk=pk).first()
    if report is None:
        raise not_found()
    return report


@dataclass
class ReportCounts:
    """The figures of the reports page, over what the actor may read."""

    required: int
    started: int
    by_state: dict[str, int] = field(default_factory=dict)
    late: int = 0

    @property
    def submitted(self) -> int:
        """Every report submitted at least once (in marking, marked and released included)."""
        return sum(n for state, n in self.by_state.items() if state != ReportState.DRAFT)

    @property
    def not_submitted(self) -> int:
        return max(self.required - self.submitted, 0)

    def rows(self) -> list[tuple[str, str, int]]:
        return [(state, label, self.by_state.get(state, 0)) for state, label in ReportState.choices]


def report_counts(*, actor, assignment: Assignment) -> ReportCounts:
    """Required writers, reports by state and late ones, within the actor's scope. Three queries."""
    required = scope(actor, ACTION, required_invitations(assignment=assignment)).count()
    rows = (
        scope(actor, ACTION, Report.objects.filter(assignment=assignment))
        .order_by()
        .values("state")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(is_late=True)))
    )
    by_state, late = {}, 0
    for row in rows:
        by_state[row["state"]] = row["n"]
        late += row["late"]
    return ReportCounts(required=required, started=sum(by_state.values()), by_state=by_state, late=late)


def report_versions(*, report: Report) -> QuerySet[ReportVersion]:
    return report.versions.prefetch_related("plan_items").order_by("-number")
