"""Reads of questions from the floor (selectors), for the pages of `views/questions.py`.

Who sees which questions:
- a point's operators: the questions their point sent (`point_questions`);
- an invitee, through their personal link: the questions they sent themselves;
- the conference's organisers ("conferences.change" on the organising unit) moderate all of them;
- organisers and viewers of the organising unit watch the presiding board's screen.
A provincial organiser of a national conference is none of these: the pages say "not found".

Kept apart from `selectors.py` (the check-in reads) so that the two can change independently.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.attendance.models import Question, QuestionStatus
from hoinghi.conferences import selectors as conferences
from hoinghi.conferences.models import Conference, ProgrammeItem
from hoinghi.core.errors import NotFoundError
from hoinghi.core.permissions import require

# What the presiding board sees: approved questions, and answered ones (dimmed) so that the
# board knows what was dealt with. Merged and rejected questions never reach the screen.
ON_BOARD = (QuestionStatus.APPROVED, QuestionStatus.ANSWERED)


def _not_found() -> NotFoundError:
    return NotFoundError(_("Không tìm thấy."), code="not_found")


def conference_for_moderation(*, actor, pk: int) -> Conference:
    """The conference if the actor moderates its questions (its organisers); not found otherwise."""
    conference = conferences.conference_get(actor=actor, pk=pk)
    require(actor, "attendance.moderate", conference)
    return conference


def conference_for_board(*, actor, pk: int) -> Conference:
    """The conference if the actor may watch the presiding board's screen (organisers and
    viewers of the organising unit)."""
    conference = conferences.conference_get(actor=actor, pk=pk)
    require(actor, "attendance.view_board", conference)
    return conference


def _questions(conference: Conference) -> QuerySet[Question]:
    return (
        Question.objects.filter(conference=conference)
        .select_related("point", "item", "invitation__person", "merged_into")
        .annotate(merged_count=Count("merged", filter=Q(merged__status=QuestionStatus.MERGED)))
    )


def question_list(
    *, conference: Conference, status: str = "", item_id: int | None = None
) -> QuerySet[Question]:
    """The moderators' list: oldest first, narrowed by status and programme item (0: no item)."""
    questions = _questions(conference)
    if status:
        questions = questions.filter(status=status)
    if item_id == 0:
        questions = questions.filter(item__isnull=True)
    elif item_id is not None:
        questions = questions.filter(item_id=item_id)
    return questions.order_by("asked_at", "id")


def question_get(*, conference: Conference, pk: int) -> Question:
    question = Question.objects.select_related("conference__organising_unit").filter(
        conference=conference, pk=pk
    )
    found = question.first()
    if found is None:
        raise _not_found()
    return found


def status_counts(*, conference: Conference, item_id: int | None = None) -> dict[str, int]:
    questions = Question.objects.filter(conference=conference)
    if item_id == 0:
        questions = questions.filter(item__isnull=True)
    elif item_id is not None:
        questions = questions.filter(item_id=item_id)
    counts = dict(questions.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {status: counts.get(status, 0) for status in QuestionStatus.values}


def merge_targets(*, conference: Conference) -> dict[int | None, list[Question]]:
    """Questions another one may be merged into, by programme item: those still standing."""
    targets: dict[int | None, list[Question]] = {}
    for question in (
        Question.objects.filter(
            conference=conference,
            status__in=(QuestionStatus.PENDING, QuestionStatus.APPROVED, QuestionStatus.ANSWERED),
        )
        .select_related("point")
        .order_by("asked_at", "id")
    ):
        targets.setdefault(question.item_id, []).append(question)
    return targets


def merge_target_get(*, conference: Conference, pk: int, question: Question) -> Question:
    target = (
        Question.objects.filter(conference=conference, pk=pk)
        .exclude(pk=question.pk)
        .exclude(status__in=(QuestionStatus.MERGED, QuestionStatus.REJECTED))
        .first()
    )
    if target is None:
        raise _not_found()
    return target


def programme(*, conference: Conference) -> list[ProgrammeItem]:
    return list(conference.programme.order_by("order", "id"))


def programme_item_get(*, conference: Conference, pk: int) -> ProgrammeItem:
    item = conference.programme.filter(pk=pk).first()
    if item is None:
        raise _not_found()
    return item


def current_item(*, conference: Conference, now: datetime | None = None) -> ProgrammeItem | None:
    """The programme item going on now: the one whose planned time holds `now`, else the last
    one that started, else the first one."""
    now = now or timezone.now()
    items = programme(conference=conference)
    started = [item for item in items if item.planned_start and item.planned_start <= now]
    for item in reversed(started):
        if item.planned_end is None or now < item.planned_end:
            return item
    if started:
        return started[-1]
    return items[0] if items else None


@dataclass(frozen=True)
class BoardQuestion:
    pk: int
    text: str
    asker: str  # "Nguyễn Văn An — Điểm cầu Ba Đình", or the point alone
    is_answered: bool
    answer: str
    merged_points: list[str]  # the points of the questions merged into this one
    is_general: bool = False  # asked about no programme item in particular ("Chung")


def board_questions(*, conference: Conference, item: ProgrammeItem | None) -> list[BoardQuestion]:
    """Approved (and answered) questions of `item`, and the general ones (of no item, the default
    when asking): those concern the whole conference, so the board has them whatever item is on.
    Oldest first so the newest is at the bottom. Two queries: the questions, and the points of
    those merged into them."""
    of_item = Q(item__isnull=True) if item is None else Q(item__isnull=True) | Q(item=item)
    questions = list(
        Question.objects.filter(of_item, conference=conference, status__in=ON_BOARD)
        .select_related("point", "invitation__person")
        .order_by("asked_at", "id")
    )
    merged: dict[int, list[str]] = {}
    for target_id, point in (
        Question.objects.filter(merged_into__in=questions, status=QuestionStatus.MERGED)
        .order_by("asked_at", "id")
        .values_list("merged_into_id", "point__name")
    ):
        merged.setdefault(target_id, []).append(point)
    return [
        BoardQuestion(
            pk=question.pk,
            text=question.text,
            asker=asker_label(question),
            is_answered=question.status == QuestionStatus.ANSWERED,
            answer=question.answer,
            merged_points=merged.get(question.pk, []),
            is_general=question.item_id is None,
        )
        for question in questions
    ]


def asker_label(question: Question) -> str:
    if question.invitation_id and question.invitation.person_id:
        return f"{question.invitation.person.full_name} — {question.point.name}"
    return question.point.name


def point_questions(*, point) -> QuerySet[Question]:
    """What a point sent, newest first (the operator's page)."""
    return (
        Question.objects.filter(point=point)
        .select_related("item", "invitation__person")
        .order_by("-asked_at", "-id")
    )


def invitation_questions(*, invitation) -> QuerySet[Question]:
    """What an invitee sent from their personal page, newest first."""
    return Question.objects.filter(invitation=invitation).select_related("item").order_by("-asked_at", "-id")
