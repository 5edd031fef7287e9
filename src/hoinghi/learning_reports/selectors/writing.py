"""What a writer reads through their personal link: their report, drafts in conflict, their notes
and the export of them, the assignment and the programme item the token reaches. These reads take
the invitation their token named and reach nothing else.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.conferences import selectors as conferences
from hoinghi.conferences.models import Invitation
from hoinghi.core.errors import NotFoundError
from hoinghi.core.printing import Letterhead
from hoinghi.learning_reports.models import Assignment, DraftConflict, Note, Report
from hoinghi.learning_reports.selectors.reports import assignment_of, not_found


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
        raise not_found()
    return invitation, item


def sections_in_order(*, assignment: Assignment, sections: dict[str, str]) -> list[tuple[str, str]]:
    """(title, text) of each section in the assignment's order, then any the assignment no longer
    names. A JSON object's keys come back in no set order (PostgreSQL's jsonb sorts them)."""
    titles = {section["key"]: section["title"] for section in assignment.sections}
    keys = [key for key in assignment.section_keys if key in sections]
    keys += sorted(key for key in sections if key not in titles)
    return [(titles.get(key, key), sections[key]) for key in keys]
