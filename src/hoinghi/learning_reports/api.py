"""The writer's endpoints, reached from their personal page: the draft saved as they type, and
their notes per programme item. The invitation token is the credential (no session, hence no
CSRF check, as attendance's self check-in): each endpoint reaches that invitation's own report
and notes only. Refusals come back as {"code", "message", "params"} (hoinghi.api); a draft
conflict is a 409 whose params hold the stored draft.
"""

from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import AwareDatetime

from hoinghi.learning_reports import selectors, services
from hoinghi.learning_reports.texts import syllable_count

router = Router(tags=["learning_reports"])

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class PlanIn(Schema):
    action: str = Field("", max_length=2000)
    deadline: str = Field("", max_length=10, description="yyyy-mm-dd, or empty while writing")
    measure: str = Field("", max_length=500)
    target_reference: str = Field("", max_length=300)
    serves: str = Field(
        "", max_length=20, description="The id of the part of a resolution it serves, or empty"
    )


class DraftIn(Schema):
    revision: int = Field(ge=0, le=2**31, description="The stored revision this text was based on (0: none).")
    sections: dict[str, str] = Field(description="{section key: text}")
    plans: list[PlanIn] = Field(default_factory=list, max_length=services.PLANS_MAX)


class DraftOut(Schema):
    revision: int
    saved_at: AwareDatetime
    syllables: int


@router.put(
    "/invitations/{token}/report",
    auth=None,
    response={200: DraftOut},
    summary="Save the draft of the invitee's learning report (autosave); 409 on a conflict",
)
def draft_save(request: HttpRequest, token: str, payload: DraftIn):
    invitation, assignment = selectors.writer_assignment(token=token)
    report = services.report_draft_save(
        invitation=invitation,
        assignment=assignment,
        revision=payload.revision,
        sections=payload.sections,
        plans=[plan.model_dump() for plan in payload.plans],
    )
    syllables = sum(syllable_count(report.draft_sections.get(key, "")) for key in assignment.section_keys)
    return {"revision": report.revision, "saved_at": report.draft_saved_at, "syllables": syllables}


class NoteIn(Schema):
    text: str = Field(max_length=services.NOTE_MAX_CHARS)
    written_at: AwareDatetime = Field(description="The device's time of this text.")


class NoteOut(Schema):
    item: int
    written_at: AwareDatetime


@router.put(
    "/invitations/{token}/notes/{item_id}",
    auth=None,
    response={200: NoteOut},
    summary="Save the invitee's note on one programme item (as they type)",
)
def note_save(request: HttpRequest, token: str, item_id: Id, payload: NoteIn):
    invitation, item = selectors.writer_item(token=token, item_id=item_id)
    note = services.note_save(
        invitation=invitation, item=item, text=payload.text, written_at=payload.written_at
    )
    return {"item": note.item_id, "written_at": note.written_at}
