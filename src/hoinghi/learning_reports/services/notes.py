"""Notes an invitee takes during the programme, one per programme item, saved as they type."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hoinghi.conferences.models import Invitation, ProgrammeItem
from hoinghi.learning_reports.errors import NoteError, NoteErrorCode
from hoinghi.learning_reports.models import Note

NOTE_MAX_CHARS = 20_000


@transaction.atomic
def note_save(*, invitation: Invitation, item: ProgrammeItem, text: str, written_at: datetime) -> Note:
    """Keep what the invitee wrote about `item` (the token of their link is the credential).

    `written_at` is the device's time of the text: a save queued offline and sent after a newer
    one changes nothing (the newer text stays). Not audited: these are the writer's keystrokes.
    Raises `NoteError`: `wrong_conference` (an item of another conference), `too_long`."""
    if item.conference_id != invitation.conference_id:
        raise NoteError(_("Mục chương trình không thuộc hội nghị này."), code=NoteErrorCode.WRONG_CONFERENCE)
    if len(text) > NOTE_MAX_CHARS:
        raise NoteError(
            _("Ghi chép dài quá %(limit)s ký tự."),
            code=NoteErrorCode.TOO_LONG,
            params={"limit": NOTE_MAX_CHARS},
        )
    text = text.replace("\x00", "")
    note = Note.objects.select_for_update().filter(invitation=invitation, item=item).first()
    if note is None:
        try:
            with transaction.atomic():
                return Note.objects.create(invitation=invitation, item=item, text=text, written_at=written_at)
        except IntegrityError:  # the first save of this note from another tab got in first
            note = Note.objects.select_for_update().get(invitation=invitation, item=item)
    if note.written_at <= written_at:
        note.text, note.written_at = text, written_at
        note.save(update_fields=["text", "written_at", "updated_at"])
    return note
