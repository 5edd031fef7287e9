"""Questions from the floor: sending, moderation, the presiding board's screen (live-operations issue).

- A point's operator sends questions from `diem-cau/<point>/cau-hoi/` (the point's page: who
  may check people in there may ask there, see `selectors.point_for_checkin`).
- An invitee sends them from `moi/<token>/cau-hoi/`: no login, the token is the credential, as
  on the personal page; a question goes to the invitee's own point.
- Organisers moderate at `hoi-nghi/<pk>/cau-hoi/`: every action posts with htmx and gets back
  the list (with the counts by status), so a merge also updates the question merged into. The
  page follows the questions' live view (/ws/cau-hoi/<pk>/) and reloads its list when another
  moderator or a point changed something.
- Leaders who may watch the board but not moderate (`attendance.view_board`) read every question
  at `hoi-nghi/<pk>/cau-hoi/xem/`, with its number and programme item and no controls; the page
  follows its own socket (/ws/cau-hoi-xem/<pk>/) and reloads its list as the moderators' does.
  The moderators' address sends them there: the conference's "Câu hỏi" tab is that address.
- The presiding board's screen `hoi-nghi/<pk>/chu-toa/` draws the questions its socket sends
  (/ws/chu-toa/<pk>/, `questions.LIVE_VIEW`). Without `?muc=` it follows the programme: the item
  going on now (`questions.current_item`).
- Both poll (the board its snapshot, `board_snapshot`; the moderators their list) every
  FALLBACK_POLL_SECONDS only while their socket is down, as the live dashboard does.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hoinghi.attendance import events, questions, selectors, services
from hoinghi.attendance.errors import CheckInError, QuestionError
from hoinghi.attendance.models import QuestionStatus
from hoinghi.conferences import selectors as conferences
from hoinghi.conferences.decorators import personal_page
from hoinghi.core import live
from hoinghi.core.errors import NotFoundError

FALLBACK_POLL_SECONDS = 5  # the board's and the moderators' pages, while their socket is down


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _ask(request, *, point, programme, invitation=None) -> tuple[str, str, int | None]:
    """Send the posted question; return (error, text kept for the form, item kept)."""
    text = request.POST.get("text", "")
    item_id = _int(request.POST.get("item"))
    item = None
    if item_id is not None:
        item = next((candidate for candidate in programme if candidate.pk == item_id), None)
        if item is None:
            return _("Mục chương trình không hợp lệ."), text, None
    try:
        services.question_ask(
            point=point,
            text=text,
            item=item,
            invitation=invitation,
            actor=None if invitation else request.user,
        )
    except (QuestionError, CheckInError) as error:  # shown on the form, with the text kept
        return error.message, text, item_id
    return "", "", item_id


@login_required
@require_http_methods(["GET", "POST"])
def point_questions(request, point_pk: int):
    """The operator's page: send a question tied to a programme item, follow what became of it."""
    point = selectors.point_for_checkin(actor=request.user, point_id=point_pk)
    conference = point.conference
    programme = questions.programme(conference=conference)
    error, text, item_id = "", "", None
    if request.method == "POST":
        error, text, item_id = _ask(request, point=point, programme=programme)
        if not error:
            messages.success(request, _("Đã gửi câu hỏi; ban tổ chức sẽ duyệt trước khi chuyển lên chủ tọa."))
            return redirect("attendance:question_ask_point", point_pk=point.pk)
    if item_id is None:
        current = questions.current_item(conference=conference)
        item_id = current.pk if current else None
    return render(
        request,
        "attendance/question_ask.html",
        {
            "conference": conference,
            "point": point,
            "programme": programme,
            "item_id": item_id,
            "text": text,
            "error": error,
            "sent": questions.point_questions(point=point),
            "action": reverse("attendance:question_ask_point", args=[point.pk]),
        },
        status=400 if error else 200,
    )


@personal_page
@require_http_methods(["GET", "POST"])
def personal_questions(request, token: str):
    """The invitee's page: their question goes to their own point; they see their own questions."""
    try:
        invitation = conferences.invitation_by_token(token=token)
    except NotFoundError:
        return render(request, "conferences/invitation_page_missing.html", status=404)
    conference, point = invitation.conference, invitation.point
    programme = questions.programme(conference=conference)
    error, text, item_id = "", "", None
    if request.method == "POST":
        if point is None:
            error = _("Đồng chí chưa được xếp điểm cầu; đề nghị báo ban tổ chức.")
        else:
            error, text, item_id = _ask(request, point=point, programme=programme, invitation=invitation)
        if not error:
            messages.success(request, _("Đã gửi câu hỏi; ban tổ chức sẽ duyệt trước khi chuyển lên chủ tọa."))
            return redirect("attendance:question_ask_personal", token=token)
    if item_id is None:
        current = questions.current_item(conference=conference)
        item_id = current.pk if current else None
    return render(
        request,
        "attendance/question_ask.html",
        {
            "conference": conference,
            "point": point,
            "person": invitation.person,
            "programme": programme,
            "item_id": item_id,
            "text": text,
            "error": error,
            "sent": questions.invitation_questions(invitation=invitation),
            "action": reverse("attendance:question_ask_personal", args=[token]),
            "is_personal": True,
        },
        status=400 if error else 200,
    )


def _filters(data) -> tuple[str, int | None]:
    status = data.get("trang_thai", QuestionStatus.PENDING)
    if status not in QuestionStatus.values:
        status = ""  # "all"
    return status, _int(data.get("muc"))


def _moderation_list_context(conference, data, *, error: str = "", may_moderate: bool = True) -> dict:
    """What the questions' list shows; the leaders' (`may_moderate` false) has no control, so no
    merge targets are read for it."""
    status, item_id = _filters(data)
    return {
        "conference": conference,
        "may_moderate": may_moderate,
        "questions": questions.question_list(conference=conference, status=status, item_id=item_id),
        "targets": questions.merge_targets(conference=conference) if may_moderate else {},
        "counts": questions.status_counts(conference=conference, item_id=item_id),
        "status": status,
        "item_id": item_id,
        "statuses": QuestionStatus.choices,
        "programme": questions.programme(conference=conference),
        "error": error,
        # Read before the list: a change the list misses has a later version, which reloads it.
        "version": live.version(events.questions_topic(conference.pk)),
    }


def _questions_page(request, context: dict):
    """The questions' page, or its list alone for htmx (a filter changed, the live view said so)."""
    page = (
        "attendance/question_moderation_list.html"
        if _is_htmx(request)
        else "attendance/question_moderation.html"
    )
    return render(request, page, context)


@login_required
def moderation(request, pk: int):
    """The moderators' page: the questions (pending by default), filters, htmx actions. Who may
    read the questions but not moderate them is sent to the leaders' page."""
    conference, may_moderate = questions.conference_for_questions(actor=request.user, pk=pk)
    if not may_moderate:
        return redirect("attendance:question_overview", pk=conference.pk)
    context = _moderation_list_context(conference, request.GET)
    context["config"] = {
        "socket": f"/ws/cau-hoi/{conference.pk}/",
        "list": reverse("attendance:question_moderation", args=[conference.pk]),
        "every": FALLBACK_POLL_SECONDS * 1000,
    }
    return _questions_page(request, context)


@login_required
def overview(request, pk: int):
    """The leaders' page: every question (all statuses by default), read-only, following the live
    view; the moderators' script reloads its list (`question_moderation.js`, the same ids)."""
    conference = questions.conference_for_board(actor=request.user, pk=pk)
    data = request.GET.copy()
    data.setdefault("trang_thai", "all")
    context = _moderation_list_context(conference, data, may_moderate=False)
    context["config"] = {
        "socket": f"/ws/cau-hoi-xem/{conference.pk}/",
        "list": reverse("attendance:question_overview", args=[conference.pk]),
        "every": FALLBACK_POLL_SECONDS * 1000,
    }
    return _questions_page(request, context)


MODERATION_ACTIONS = {
    "approve": QuestionStatus.APPROVED,
    "reject": QuestionStatus.REJECTED,
    "answer": QuestionStatus.ANSWERED,
    "merge": QuestionStatus.MERGED,
    "reopen": QuestionStatus.PENDING,
}


def _move(request, conference, question) -> str:
    """Tie the question to the programme item chosen ("" for a general question); the error to
    show above the list, or ""."""
    chosen = request.POST.get("item", "")
    item = None
    if chosen:
        try:
            item = questions.programme_item_get(conference=conference, pk=_int(chosen) or 0)
        except NotFoundError:
            return _("Mục chương trình không hợp lệ.")
    try:
        services.question_item_move(actor=request.user, question=question, item=item)
    except QuestionError as error:
        return error.message
    return ""


@login_required
@require_POST
def moderate(request, pk: int, question_pk: int):
    """One moderation action; answers with the list as filtered (htmx) or goes back to the page."""
    conference = questions.conference_for_moderation(actor=request.user, pk=pk)
    question = questions.question_get(conference=conference, pk=question_pk)
    action = request.POST.get("action", "")
    status = MODERATION_ACTIONS.get(action)
    answer = request.POST.get("answer", "").strip()
    error = ""
    target = None
    if action == "move":
        error = _move(request, conference, question)
    elif status is None:
        error = _("Thao tác không hợp lệ.")
    elif status == QuestionStatus.ANSWERED and not answer:
        error = _("Hãy nhập nội dung trả lời.")
    elif status == QuestionStatus.MERGED:
        target_pk = _int(request.POST.get("merged_into"))
        try:
            target = questions.merge_target_get(conference=conference, pk=target_pk or 0, question=question)
        except NotFoundError:
            error = _("Hãy chọn câu hỏi để gộp vào.")
    if not error and status is not None:
        try:
            services.question_moderate(
                actor=request.user, question=question, status=status, answer=answer, merged_into=target
            )
        except QuestionError as error_raised:  # shown above the list, like the checks above
            error = error_raised.message
    if not _is_htmx(request):
        if error:
            messages.error(request, error)
        status, item_id = _filters(request.POST)
        query = urlencode({"trang_thai": status, "muc": "" if item_id is None else item_id})
        return redirect(f"{reverse('attendance:question_moderation', args=[conference.pk])}?{query}")
    context = _moderation_list_context(conference, request.POST, error=error)
    return render(request, "attendance/question_moderation_list.html", context)


def _board_item(request, conference):
    item_id = _int(request.GET.get("muc"))
    if item_id is not None:
        return questions.programme_item_get(conference=conference, pk=item_id), True
    return questions.current_item(conference=conference), False


@login_required
def board(request, pk: int):
    """The presiding board's screen: big type, the current item's approved questions."""
    conference = questions.conference_for_board(actor=request.user, pk=pk)
    item, is_pinned = _board_item(request, conference)
    return render(
        request,
        "attendance/question_board.html",
        {
            "conference": conference,
            "item": item,
            "is_pinned": is_pinned,
            "programme": questions.programme(conference=conference),
            "questions": questions.board_questions(conference=conference, item=item),
            "config": {
                "socket": f"/ws/chu-toa/{conference.pk}/",
                "poll": reverse("attendance:question_board_snapshot", args=[conference.pk]),
                "every": FALLBACK_POLL_SECONDS * 1000,
                "pinned": item.pk if is_pinned else None,
            },
        },
    )


@login_required
def board_snapshot(request, pk: int):
    """What the board's screen polls while its socket is down: the snapshot the socket sends."""
    conference = questions.conference_for_board(actor=request.user, pk=pk)
    snapshot = live.polled_message(questions.LIVE_VIEW, conference, questions.QuestionsAudience("board"))
    response = JsonResponse(snapshot)
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("diem-cau/<int:point_pk>/cau-hoi/", point_questions, name="question_ask_point"),
    path("moi/<str:token>/cau-hoi/", personal_questions, name="question_ask_personal"),
    path("hoi-nghi/<int:pk>/cau-hoi/", moderation, name="question_moderation"),
    path("hoi-nghi/<int:pk>/cau-hoi/<int:question_pk>/", moderate, name="question_moderate"),
    path("hoi-nghi/<int:pk>/cau-hoi/xem/", overview, name="question_overview"),
    path("hoi-nghi/<int:pk>/chu-toa/", board, name="question_board"),
    path("hoi-nghi/<int:pk>/chu-toa/cau-hoi/", board_snapshot, name="question_board_snapshot"),
]
