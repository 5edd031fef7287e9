"""Reads of questions from the floor (selectors), for the pages of `views/questions.py`.

Who sees which questions:
- a point's operators: the questions their point sent (`point_questions`);
- an invitee, through their personal link: the questions they sent themselves;
- the conference's organisers ("conferences.change" on the organising unit) moderate all of them;
- organisers and viewers of the organising unit watch the presiding board's screen, and read
  every question, read-only, on the leaders' page (`conference_for_questions`: the "Câu hỏi" tab
  of whoever may not moderate leads there).
A provincial organiser of a national conference is none of these: the pages say "not found".

Kept apart from `selectors.py` (the check-in reads) so that the two can change independently.

The board and the moderators' page follow the questions live (`LIVE_VIEW`, "attendance.questions",
on the topic the question services publish, `events.questions_topic`): the board draws its list
from the snapshot; the moderators' page, whose list is forms, reloads it when a snapshot says that
something changed. Both poll only while their socket is down.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.attendance import events
from hoinghi.attendance.models import Question, QuestionStatus
from hoinghi.conferences import selectors as conferences
from hoinghi.conferences.models import Conference, ProgrammeItem
from hoinghi.core import live
from hoinghi.core.errors import NotFoundError
from hoinghi.core.permissions import can, require

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


def conference_for_questions(*, actor, pk: int) -> tuple[Conference, bool]:
    """The conference and whether the actor moderates its questions, for who may at least read
    them (`attendance.view_board`: the leaders' read-only page); refused as the board is."""
    conference = conferences.conference_get(actor=actor, pk=pk)
    if can(actor, "attendance.moderate", conference):
        return conference, True
    require(actor, "attendance.view_board", conference)
    return conference, False


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
    return item_going_on(programme(conference=conference), now or timezone.now())


def item_going_on(items: list[ProgrammeItem], now: datetime) -> ProgrammeItem | None:
    """`current_item` among `items` (the programme, in order)."""
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
    item_id: int | None = None
    is_general: bool = False  # asked about no programme item in particular ("Chung")


def board_questions(*, conference: Conference, item: ProgrammeItem | None) -> list[BoardQuestion]:
    """Approved (and answered) questions of `item`, and the general ones (of no item, the default
    when asking): those concern the whole conference, so the board has them whatever item is on.
    Oldest first so the newest is at the bottom. Two queries: the questions, and the points of
    those merged into them."""
    of_item = Q(item__isnull=True) if item is None else Q(item__isnull=True) | Q(item=item)
    return _on_board(Question.objects.filter(of_item, conference=conference))


def _on_board(questions: QuerySet[Question]) -> list[BoardQuestion]:
    on_board = list(
        questions.filter(status__in=ON_BOARD)
        .select_related("point", "invitation__person")
        .order_by("asked_at", "id")
    )
    merged: dict[int, list[str]] = {}
    for target_id, point in (
        Question.objects.filter(merged_into__in=on_board, status=QuestionStatus.MERGED)
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
            item_id=question.item_id,
            is_general=question.item_id is None,
        )
        for question in on_board
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


# --- The live view: the board and the moderators' page ---------------------------------------------


@dataclass(frozen=True)
class QuestionsAudience:
    """Who follows the questions: the presiding board ("board": what `conference_for_board` lets
    see), the moderators ("moderation": `conference_for_moderation`) or the leaders' read-only
    page ("overview": `conference_for_board` too). Everyone allowed a screen sees the same on it,
    so the kind is the whole key."""

    kind: str  # "board", "moderation" or "overview"

    @property
    def key(self) -> str:
        return self.kind

    def covers(self, conference: Conference) -> bool:
        return True


@dataclass(frozen=True)
class QuestionFigures:
    """What both screens are cut from (`questions_shared`)."""

    programme: list[ProgrammeItem]
    on_board: list[BoardQuestion]  # every item's
    counts: dict[str, int]  # questions by status
    latest: int | None  # the newest question's id


def questions_shared(conference: Conference) -> QuestionFigures:
    """The conference's programme, the questions on the board (every item's), and the questions
    by status: four queries, for every board and moderator watching."""
    questions = Question.objects.filter(conference=conference)
    return QuestionFigures(
        programme=programme(conference=conference),
        on_board=_on_board(questions),
        counts=status_counts(conference=conference),
        latest=questions.aggregate(latest=Max("pk"))["latest"],
    )


def questions_snapshot(
    conference: Conference, figures: QuestionFigures, audience: QuestionsAudience, *, now=None
) -> dict:
    """The board's snapshot: the programme (`label` as the board's heading writes it), the item
    going on now, and the questions on the board with their item, oldest first; or the moderators':
    the questions by status and the newest one's id (their page reloads its list when a snapshot
    differs from what it shows)."""
    if audience.kind in ("moderation", "overview"):  # pages that reload their list
        return {"type": "snapshot", "counts": figures.counts, "latest": figures.latest}
    going_on = item_going_on(figures.programme, now or timezone.now())
    return {
        "type": "snapshot",
        "conference": {"id": conference.pk, "title": conference.title},
        "current_item": going_on.pk if going_on else None,
        "items": [{"id": item.pk, "label": f"{item.order}. {item.title}"} for item in figures.programme],
        "questions": [
            {
                "id": question.pk,
                "item": question.item_id,
                "text": question.text,
                "asker": question.asker,
                "answered": question.is_answered,
                "merged_points": question.merged_points,
            }
            for question in figures.on_board
        ],
    }


def _conference_by_id(conference_id: int) -> Conference | None:
    return Conference.objects.filter(pk=conference_id).first()


LIVE_VIEW = live.LiveView(
    name="attendance.questions",
    topic=events.questions_topic,
    load=_conference_by_id,
    shared=questions_shared,
    assemble=questions_snapshot,
)
