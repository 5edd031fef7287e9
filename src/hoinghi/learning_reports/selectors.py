"""Reads of learning reports: the assignment, who must write, the reports an actor may read and
their figures, and what a writer sees through their personal link.

Organisers' and viewers' reads start from `core.permissions.scope` with
``learning_reports.view_reports`` (a report belongs to its writer's unit); a report outside it is
not found, exactly like one that does not exist. A writer's reads take the invitation their
token named and reach nothing else.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from hoinghi.attendance.models import Attendance
from hoinghi.conferences import selectors as conferences
from hoinghi.conferences.models import Conference, Invitation, InvitationStatus
from hoinghi.core import extensions
from hoinghi.core.errors import NotFoundError
from hoinghi.core.permissions import reach, scope
from hoinghi.core.printing import Letterhead
from hoinghi.learning_reports import similarity
from hoinghi.learning_reports.models import (
    LIVE_MARKING_STATES,
    Assignment,
    Criterion,
    DraftConflict,
    Marking,
    MarkingState,
    Note,
    Report,
    ReportState,
    ReportVersion,
    SimilarityFlag,
    WhoMustWrite,
)
from hoinghi.learning_reports.texts import document_text

ACTION = "learning_reports.view_reports"


def _not_found() -> NotFoundError:
    return NotFoundError(_("Không tìm thấy."), code="not_found")


def assignment_of(*, conference: Conference) -> Assignment | None:
    """The conference's assignment, or None when it asks for no report."""
    return Assignment.objects.filter(conference=conference).first()


def reports_conference(*, actor, pk: int) -> Conference:
    """The conference, if the actor sees it (`conferences.view`) and may read reports somewhere
    (organisers and viewers); `NotFoundError` otherwise (a point's operator included)."""
    conference = conferences.conference_get(actor=actor, pk=pk)
    if reach(actor, ACTION).is_empty:
        raise _not_found()
    return conference


# --- Who must write ---------------------------------------------------------------------------------


def _watched_invitation_ids(invitation_ids: list[int]) -> set[int]:
    """Those who watched a recording later, from the apps that fill attendance's place
    "attendance.watched_later" (streaming): any minute of any chapter counts."""
    watched: set[int] = set()
    for lookup in extensions.parts("attendance.watched_later"):
        watched.update(pk for pk, items in lookup(invitation_ids).items() if any(items.values()))
    return watched


def required_invitations(*, assignment: Assignment) -> QuerySet[Invitation]:
    """The active invitations whose invitee must write: those present at any point (check-in),
    those present or who watched the recording later, or all invitees, as the assignment says."""
    invitations = Invitation.objects.filter(
        conference_id=assignment.conference_id, status=InvitationStatus.ACTIVE
    )
    if assignment.who_must_write == WhoMustWrite.ALL_INVITEES:
        return invitations
    present = Exists(
        Attendance.objects.filter(conference_id=assignment.conference_id, person_id=OuterRef("person_id"))
    )
    if assignment.who_must_write == WhoMustWrite.PRESENT:
        return invitations.filter(present)
    absent_ids = list(invitations.exclude(present).values_list("pk", flat=True))
    watched = _watched_invitation_ids(absent_ids) if absent_ids else set()
    return invitations.filter(present | Q(pk__in=sorted(watched)))


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
        raise _not_found()
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


# --- The writer, through their personal link ------------------------------------------------------------


def report_of(*, invitation: Invitation, assignment: Assignment) -> Report | None:
    return Report.objects.filter(assignment=assignment, invitation=invitation).first()


def conflicts_open(*, report: Report) -> QuerySet[DraftConflict]:
    return report.conflicts.filter(resolved_at__isnull=True).order_by("-created_at")


def notes_of(*, invitation: Invitation) -> dict[int, Note]:
    """The invitee's notes by programme item id."""
    return {note.item_id: note for note in Note.objects.filter(invitation=invitation)}


@dataclass(frozen=True)
class NoteEntry:
    """One programme item and what the invitee wrote during it."""

    order: int
    title: str
    starts: datetime | None  # local time
    ends: datetime | None
    text: str


@dataclass(frozen=True)
class NotesSheet:
    """What the export of an invitee's notes shows (documents.notes_docx, notes_text)."""

    letterhead: Letterhead  # the conference's: its organising unit, place and day
    conference_title: str
    starts_at: datetime  # local time
    person: str  # the invitee's full name
    unit: str
    entries: Sequence[NoteEntry]


def notes_sheet(*, invitation: Invitation) -> NotesSheet:
    """What the export of the invitee's notes shows: the conference's header, and each programme
    item they wrote something under, in the programme's order."""
    from django.utils import timezone

    conference = invitation.conference
    notes = notes_of(invitation=invitation)

    def local(moment):
        return timezone.localtime(moment) if moment else None

    entries = [
        NoteEntry(
            item.order, item.title, local(item.planned_start), local(item.planned_end), notes[item.pk].text
        )
        for item in conference.programme.order_by("order", "id")
        if item.pk in notes and notes[item.pk].text.strip()
    ]
    return NotesSheet(
        letterhead=conferences.document_letterhead(conference=conference),
        conference_title=conference.title,
        starts_at=timezone.localtime(conference.starts_at),
        person=invitation.person.full_name,
        unit=invitation.person.unit.name,
        entries=entries,
    )


def writer_assignment(*, token: str) -> tuple[Invitation, Assignment]:
    """The invitation a personal token names and its conference's assignment; `NotFoundError`
    for an unknown, revoked or withdrawn token, or a conference that asks for no report."""
    invitation = conferences.invitation_by_token(token=token)
    assignment = assignment_of(conference=invitation.conference)
    if assignment is None:
        raise NotFoundError(_("Hội nghị này không yêu cầu viết bài thu hoạch."), code="no_assignment")
    return invitation, assignment


def writer_item(*, token: str, item_id: int):
    """The invitation a personal token names and one programme item of its conference."""
    invitation = conferences.invitation_by_token(token=token)
    item = conferences.programme_items(conference=invitation.conference).filter(pk=item_id).first()
    if item is None:
        raise _not_found()
    return invitation, item


def sections_in_order(*, assignment: Assignment, sections: dict[str, str]) -> list[tuple[str, str]]:
    """(title, text) of each section in the assignment's order, then any the assignment no longer
    names. A JSON object's keys come back in no set order (PostgreSQL's jsonb sorts them)."""
    titles = {section["key"]: section["title"] for section in assignment.sections}
    keys = [key for key in assignment.section_keys if key in sections]
    keys += sorted(key for key in sections if key not in titles)
    return [(titles.get(key, key), sections[key]) for key in keys]


# --- Reviewers ------------------------------------------------------------------------------------------

MARK = "learning_reports.mark"


def marking_queue(*, actor) -> QuerySet[Marking]:
    """The actor's markings within what they may mark (`learning_reports.mark` on the writer's
    unit): open ones first, oldest first; then the done ones, newest first."""
    markings = scope(actor, MARK, Marking.objects.filter(reviewer=actor.pk))
    return markings.select_related(
        "report__invitation__person__unit", "report__assignment__conference", "version"
    ).order_by(
        models.Case(models.When(state=MarkingState.ALLOCATED, then=0), default=1),
        "created_at",
        "pk",
    )


def marking_get(*, actor, pk: int) -> Marking:
    """One of the actor's markings; `NotFoundError` for anyone else's, or outside their subtree."""
    marking = marking_queue(actor=actor).filter(pk=pk).first()
    if marking is None:
        raise _not_found()
    return marking


def rubric_of(*, assignment: Assignment) -> list[Criterion]:
    """The criteria in order, each with its levels in `level_list`."""
    criteria = list(
        Criterion.objects.filter(assignment=assignment).prefetch_related("levels").order_by("order")
    )
    for criterion in criteria:
        criterion.level_list = list(criterion.levels.all())
    return criteria


@dataclass
class MarkingPage:
    """What the marking page shows: the version's sections, and for a revised report the
    word-level diff from the previous version, section by section."""

    sections: list[tuple[str, str]]
    changes: list[tuple[str, str]]  # (title, HTML with <ins>/<del>)
    plans: list
    rubric: list[Criterion]
    scores: dict[int, object]  # criterion id -> Score, once marked
    returns: list[Marking]  # earlier versions returned, with the reviewers' comments
    flags: list = field(default_factory=list)  # FlagRow: copied text (flags_of_version)

    @property
    def scored(self) -> list[tuple[Criterion, object]]:
        return [(criterion, self.scores.get(criterion.pk)) for criterion in self.rubric]


def marking_page(*, marking: Marking) -> MarkingPage:
    from hoinghi.learning_reports.texts import word_diff

    assignment = marking.report.assignment
    version = marking.version
    sections = sections_in_order(assignment=assignment, sections=version.sections)
    changes = []
    previous = marking.report.versions.filter(number=version.number - 1).first()
    if previous is not None:
        keys = [key for key in assignment.section_keys if key in version.sections or key in previous.sections]
        titles = {section["key"]: section["title"] for section in assignment.sections}
        changes = [
            (titles[key], word_diff(previous.sections.get(key, ""), version.sections.get(key, "")))
            for key in keys
        ]
    returns = list(
        marking.report.markings.filter(state=MarkingState.RETURNED, version__number__lt=version.number)
        .exclude(comment="")
        .select_related("version")
        .order_by("version__number")
    )
    flags = flags_of_version(version=version)
    return MarkingPage(
        flags=flags,
        sections=sections,
        changes=changes,
        plans=list(version.plan_items.all()),
        rubric=rubric_of(assignment=assignment),
        scores={score.criterion_id: score for score in marking.scores.select_related("level")},
        returns=returns,
    )


# --- The writer's results ---------------------------------------------------------------------------------


@dataclass
class WriterResult:
    """What the writer sees of the marking: once released, the result and every mark's levels and
    comments (no reviewer named); when returned, why."""

    report: Report
    released: bool
    markings: list[Marking]
    rubric: list[Criterion]
    return_comment: str = ""

    @property
    def maximum(self) -> int:
        """The rubric's maximum: the most points of each criterion, added."""
        return sum(max((level.points for level in c.level_list), default=0) for c in self.rubric)

    @property
    def band_label(self) -> str:
        from hoinghi.learning_reports.models import GradeBand

        return str(GradeBand(self.report.band).label) if self.report.band else ""


def writer_result(*, report: Report | None) -> WriterResult | None:
    if report is None or report.state not in (ReportState.RELEASED, ReportState.RETURNED):
        return None
    if report.state == ReportState.RETURNED:
        returned = (
            report.markings.filter(state=MarkingState.RETURNED).exclude(comment="").order_by("-updated_at")
        )
        comment = returned.values_list("comment", flat=True).first() or ""
        return WriterResult(report=report, released=False, markings=[], rubric=[], return_comment=comment)
    latest = report.versions.order_by("-number").first()
    markings = list(
        report.markings.filter(state=MarkingState.MARKED, version=latest)
        .prefetch_related("scores__level")
        .order_by("round")
    )
    rubric = rubric_of(assignment=report.assignment)
    for marking in markings:
        scores = {score.criterion_id: score for score in marking.scores.all()}
        # (criterion, the score it got, the most it could get), in the rubric's order
        marking.scored = [
            (
                criterion,
                scores[criterion.pk],
                max((level.points for level in criterion.level_list), default=0),
            )
            for criterion in rubric
            if criterion.pk in scores
        ]
    return WriterResult(report=report, released=True, markings=markings, rubric=rubric)


# --- Copied text ---------------------------------------------------------------------------------

# The name a flag gives `Assignment.reference_text` (the materials go by their titles).
REFERENCE_OF_ASSIGNMENT = "văn bản đối chiếu của yêu cầu (nghị quyết)"


def version_text(version: ReportVersion, keys: list[str]) -> str:
    """The text compared and shown: the sections in the assignment's order (`keys`; a stored
    JSON object has no order of its own on PostgreSQL), a blank line between."""
    sections = version.sections
    order = [key for key in keys if key in sections] + sorted(key for key in sections if key not in keys)
    return "\n\n".join(str(sections[key]) for key in order if str(sections[key]).strip())


def _material_text(material) -> str:
    name = material.file.name.lower()
    try:
        with material.file.open("rb") as handle:
            data = handle.read()
        if name.endswith(".txt"):
            return data.decode("utf-8", errors="replace")
        if name.endswith((".pdf", ".docx")):
            return document_text(file_name=material.file_name, data=data)[0]
    except Exception:  # a material that cannot be read is no reference, and no reason to stop
        logging.getLogger(__name__).warning(
            "material %s: no text for the copied-text check", material.pk, exc_info=True
        )
    return ""


def reference_texts(assignment: Assignment) -> dict[str, str]:
    """The texts every report is compared with, by the name a flag shows."""
    texts = {}
    if assignment.reference_text.strip():
        texts[REFERENCE_OF_ASSIGNMENT] = assignment.reference_text
    for material in assignment.conference.materials.all():
        text = _material_text(material)
        if text.strip():
            texts[material.title[:300]] = text
    return texts


def boilerplate(assignment: Assignment) -> list[str]:
    return [assignment.title, assignment.prompt, *(section["title"] for section in assignment.sections)]


def assignment_detector(assignment: Assignment) -> similarity.Detector:
    return similarity.Detector(references=reference_texts(assignment), boilerplate=boilerplate(assignment))


@dataclass
class FlagRow:
    """A flag as one version's page lists it: the share of this version found in the source."""

    flag: SimilarityFlag
    share: int  # per cent
    other_report: Report | None  # None: the source is a reference text
    reference: str


def flags_of_version(*, version: ReportVersion) -> list[FlagRow]:
    """The flags naming the version on either side, the largest share first."""
    rows = SimilarityFlag.objects.filter(Q(version=version) | Q(other_version=version)).select_related(
        "version__report__invitation__person__unit", "other_version__report__invitation__person__unit"
    )
    found = []
    for flag in rows:
        mine = flag.version_id == version.pk
        share = flag.containment if mine else flag.other_containment
        other = flag.other_version if mine else flag.version
        found.append(FlagRow(flag, round(share * 100), other.report if other else None, flag.reference))
    found.sort(key=lambda row: -row.share)
    return found


def flag_get(*, actor, pk: int) -> SimilarityFlag:
    """A flag the actor may read: organisers and viewers of the writer's subtree, and a reviewer
    holding a live marking of either report of the flag. Anything else is not found."""
    flags = SimilarityFlag.objects.select_related(
        "version__report__invitation__person__unit",
        "version__report__assignment__conference",
        "other_version__report__invitation__person__unit",
        "decided_by",
    )
    flag = scope(actor, ACTION, flags).filter(pk=pk).first()
    if flag is None:
        flag = flags.filter(pk=pk).first()
        if flag is None or not is_reviewing_flag(actor=actor, flag=flag):
            raise _not_found()
    return flag


def is_reviewing_flag(*, actor, flag: SimilarityFlag) -> bool:
    """Does the actor hold a live marking, within what they may mark, of a report of the flag?"""
    reports = [flag.version.report_id] + ([flag.other_version.report_id] if flag.other_version_id else [])
    markings = Marking.objects.filter(report_id__in=reports, reviewer=actor.pk, state__in=LIVE_MARKING_STATES)
    return scope(actor, MARK, markings).exists()


@dataclass
class SideBySide:
    """The two texts of a flag with the shared passages marked: each text as a list of
    (piece, is_shared) in order, for the template to wrap the shared pieces in <mark>."""

    flag: SimilarityFlag
    report: Report
    pieces: list[tuple[str, bool]]
    source_report: Report | None
    source_name: str
    source_pieces: list[tuple[str, bool]]
    share: int  # per cent of the report found in the source
    source_share: int
    shared_syllables: int


def _pieces(text: str, passages) -> list[tuple[str, bool]]:
    pieces, last = [], 0
    for passage in passages:
        if passage.start > last:
            pieces.append((text[last : passage.start], False))
        pieces.append((text[passage.start : passage.end], True))
        last = passage.end
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


def flag_side_by_side(*, flag: SimilarityFlag) -> SideBySide:
    """Both texts of a flag, the passages they share marked on each side (the same detector
    as the check: similarity.Detector.passages)."""
    assignment = flag.version.report.assignment
    detector = assignment_detector(assignment)
    text = similarity.nfc(version_text(flag.version, assignment.section_keys))
    if flag.other_version is not None:
        source_text = similarity.nfc(version_text(flag.other_version, assignment.section_keys))
        source_name = ""
        mine = detector.passages(text, source_text)
        theirs = detector.passages(source_text, text)
    else:
        source_name = flag.reference
        source_text = similarity.nfc(detector.reference_texts.get(flag.reference, ""))
        mine = detector.passages(text, flag.reference) if source_text else []
        theirs = detector.passages(source_text, text, of_reference=True) if source_text else []
    return SideBySide(
        flag=flag,
        report=flag.version.report,
        pieces=_pieces(text, mine),
        source_report=flag.other_version.report if flag.other_version else None,
        source_name=source_name,
        source_pieces=_pieces(source_text, theirs),
        share=round(flag.containment * 100),
        source_share=round(flag.other_containment * 100),
        shared_syllables=sum(passage.syllables for passage in mine),
    )


def may_read_reports(*, actor, flag: SimilarityFlag) -> bool:
    """Organisers and viewers read names even on a blind assignment; reviewers do not."""
    from hoinghi.core.permissions import can

    return can(actor, ACTION, flag)


def similarity_run_latest(*, actor, conference: Conference):
    """The latest copied-text pass of the conference's assignment, if the actor reads its reports."""
    from hoinghi.learning_reports.models import SimilarityRun

    return scope(actor, ACTION, SimilarityRun.objects.filter(assignment__conference=conference)).first()


@dataclass
class SimilarityOverview:
    """The copied-text part of the organiser's page: the latest pass and the flags in scope."""

    run: object  # SimilarityRun | None
    open_flags: int
    decided_flags: int
    flags: list  # the largest open flags first, a few
    may_run: bool


def similarity_overview(*, actor, assignment: Assignment, shown: int = 10) -> SimilarityOverview:
    from hoinghi.core.permissions import can
    from hoinghi.learning_reports.models import FlagStatus, SimilarityRun

    flags = scope(actor, ACTION, SimilarityFlag.objects.filter(version__report__assignment=assignment))
    by_status = dict(flags.values_list("status").annotate(n=Count("pk")).order_by())
    open_flags = by_status.get(FlagStatus.OPEN, 0)
    return SimilarityOverview(
        run=SimilarityRun.objects.filter(assignment=assignment).first(),
        open_flags=open_flags,
        decided_flags=sum(by_status.values()) - open_flags,
        flags=list(
            flags.filter(status=FlagStatus.OPEN)
            .select_related(
                "version__report__invitation__person__unit", "other_version__report__invitation__person"
            )
            .order_by("-containment", "pk")[:shown]
        ),
        may_run=can(actor, "learning_reports.allocate", assignment.conference.organising_unit),
    )
