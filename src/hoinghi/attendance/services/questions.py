"""Questions from the floor: asked from a point or a personal page, moderated by the organisers."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.attendance import events
from hoinghi.attendance.errors import (
    QuestionError,
    QuestionErrorCode,
)
from hoinghi.attendance.models import (
    Question,
    QuestionStatus,
)
from hoinghi.attendance.services.checkin import _require_operator
from hoinghi.conferences.models import BridgePoint, Conference, Invitation, ProgrammeItem
from hoinghi.core.models import audit
from hoinghi.core.permissions import require

# --- Questions from the floor --------------------------------------------------------------------


@transaction.atomic
def question_ask(
    *, point: BridgePoint, text: str, item=None, invitation: Invitation | None = None, actor=None
) -> Question:
    """A question sent by a point's operator (actor) or by an invitee from their page (invitation).

    Raises `QuestionError`: `text_length` (empty or over 2,000 characters), `wrong_conference` (a
    programme item of another conference), `wrong_point` (an invitee asking from a point they are
    not invited to)."""
    if invitation is None:
        _require_operator(actor, point)
    elif invitation.point_id != point.pk:
        raise QuestionError(
            _("Đồng chí chỉ gửi được câu hỏi từ điểm cầu của mình."), code=QuestionErrorCode.WRONG_POINT
        )
    text = text.strip()
    if not text or len(text) > 2000:
        raise QuestionError(_("Câu hỏi cần từ 1 đến 2.000 ký tự."), code=QuestionErrorCode.TEXT_LENGTH)
    if item is not None and item.conference_id != point.conference_id:
        raise QuestionError(
            _("Mục chương trình không thuộc hội nghị này."), code=QuestionErrorCode.WRONG_CONFERENCE
        )
    # Numbered within the conference: the conference's row is locked (PostgreSQL) so that two
    # questions sent at once take two numbers; SQLite runs one writer at a time anyway.
    Conference.objects.select_for_update().filter(pk=point.conference_id).values_list("pk").first()
    last = Question.objects.filter(conference_id=point.conference_id).aggregate(last=Max("number"))["last"]
    question = Question.objects.create(
        conference=point.conference,
        point=point,
        item=item,
        invitation=invitation,
        text=text,
        number=(last or 0) + 1,
    )
    events.questions_changed_on_commit(point.conference_id)
    return question


@transaction.atomic
def question_moderate(
    *, actor, question: Question, status: str, answer: str = "", merged_into: Question | None = None
) -> Question:
    """Approve, reject, answer or merge a question; moderators are the conference's organisers.

    Raises `QuestionError`: `unknown_status`, `merge_target` (merged without a question to merge
    into, or into itself), `wrong_conference` (into a question of another conference)."""
    require(actor, "attendance.moderate", question.conference)
    if status not in QuestionStatus.values:
        raise QuestionError(_("Thao tác không hợp lệ."), code=QuestionErrorCode.UNKNOWN_STATUS)
    if status == QuestionStatus.MERGED:
        if merged_into is None or merged_into.pk == question.pk:
            raise QuestionError(_("Hãy chọn câu hỏi khác để gộp vào."), code=QuestionErrorCode.MERGE_TARGET)
        if merged_into.conference_id != question.conference_id:
            raise QuestionError(
                _("Câu hỏi gộp vào không thuộc hội nghị này."), code=QuestionErrorCode.WRONG_CONFERENCE
            )
    question.status, question.moderated_at = status, timezone.now()
    question.moderated_by = actor if getattr(actor, "pk", None) else None
    question.merged_into = merged_into if status == QuestionStatus.MERGED else None
    if answer:
        question.answer = answer
    question.save()
    audit(
        actor=actor,
        type="attendance.question.moderated",
        obj=question,
        unit_path=question.conference.organising_unit.path,
        status=status,
    )
    events.questions_changed_on_commit(question.conference_id)
    return question


@transaction.atomic
def question_item_move(*, actor, question: Question, item: ProgrammeItem | None) -> Question:
    """Tie a question to another programme item, or to none (`item` None: a general question);
    moderators do it when a question was sent under the wrong item, or under none. Its status
    stays: an approved question shows on the board with its new item.

    Raises `QuestionError(wrong_conference)` for an item of another conference."""
    require(actor, "attendance.moderate", question.conference)
    if item is not None and item.conference_id != question.conference_id:
        raise QuestionError(
            _("Mục chương trình không thuộc hội nghị này."), code=QuestionErrorCode.WRONG_CONFERENCE
        )
    previous = question.item_id
    if previous == (item.pk if item is not None else None):
        return question
    question.item = item
    question.save(update_fields=["item"])
    audit(
        actor=actor,
        type="attendance.question.moved",
        obj=question,
        unit_path=question.conference.organising_unit.path,
        from_item=previous,
        to_item=question.item_id,
    )
    events.questions_changed_on_commit(question.conference_id)
    return question
