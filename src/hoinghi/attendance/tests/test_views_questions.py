"""Questions from the floor through the real URLs: asking, moderating, the presiding board's screen."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import TestCase
from django.urls import reverse

from hoinghi.attendance.models import Question, QuestionStatus
from hoinghi.conferences.models import Invitation, ProgrammeItem
from hoinghi.core.permissions import GrantRole

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def programme(issued):
    start = datetime(2018, 12, 6, 8, 0, tzinfo=ZONE)
    return [
        ProgrammeItem.objects.create(
            conference=issued.conference,
            order=order,
            kind=kind,
            title=title,
            planned_start=start + timedelta(minutes=45 * (order - 1)),
            planned_end=start + timedelta(minutes=45 * order),
        )
        for order, kind, title in (
            (1, "opening", "Khai mạc"),
            (2, "topic", "Chuyên đề 1: Mục tiêu, chỉ tiêu của Nghị quyết"),
        )
    ]


@pytest.fixture
def organiser(make_user, small_tree):
    return make_user(GrantRole.ORGANISER, small_tree.national)


def _urls(conference):
    return {
        "moderation": reverse("attendance:question_moderation", args=[conference.pk]),
        "board": reverse("attendance:question_board", args=[conference.pk]),
        "board_snapshot": reverse("attendance:question_board_snapshot", args=[conference.pk]),
    }


def _on_board(client, conference, item) -> dict[str, dict]:
    """The questions the board shows for `item`, by text, from the snapshot it polls (and its
    socket sends)."""
    snapshot = client.get(_urls(conference)["board_snapshot"]).json()
    return {question["text"]: question for question in snapshot["questions"] if question["item"] == item.pk}


def _ask_from_point(client, operator, point, text, item=None):
    client.force_login(operator)
    with TestCase.captureOnCommitCallbacks(execute=True):  # publishes, as after a real commit
        return client.post(
            reverse("attendance:question_ask_point", args=[point.pk]),
            {"text": text, "item": item.pk if item else ""},
        )


def _moderate(client, conference, question, action, **data):
    url = reverse("attendance:question_moderate", args=[conference.pk, question.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, {"action": action, "trang_thai": "all", **data}, **HTMX)


def test_an_operator_asks_and_the_question_waits_for_moderation(client, issued, ba_dinh_operator, programme):
    response = _ask_from_point(
        client, ba_dinh_operator, issued.ba_dinh_point, "  Chỉ tiêu 2 triệu?  ", programme[1]
    )
    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.status, question.text, question.item, question.point) == (
        QuestionStatus.PENDING,
        "Chỉ tiêu 2 triệu?",
        programme[1],
        issued.ba_dinh_point,
    )
    page = client.get(reverse("attendance:question_ask_point", args=[issued.ba_dinh_point.pk]))
    assert "Chỉ tiêu 2 triệu?" in page.content.decode()


def test_an_empty_question_or_an_item_of_another_conference_is_refused(
    client, issued, ba_dinh_operator, programme
):
    assert _ask_from_point(client, ba_dinh_operator, issued.ba_dinh_point, "   ").status_code == 400
    response = client.post(
        reverse("attendance:question_ask_point", args=[issued.ba_dinh_point.pk]),
        {"text": "Hỏi", "item": 999_999},
    )
    assert response.status_code == 400
    assert not Question.objects.exists()


def test_an_operator_sees_only_the_questions_of_their_own_point(
    client, issued, ba_dinh_operator, make_user, superuser
):
    from hoinghi.conferences import services as conferences

    hcm_operator = make_user()
    conferences.point_operator_add(actor=superuser, point=issued.hcm_point, user=hcm_operator)
    _ask_from_point(client, hcm_operator, issued.hcm_point, "Câu hỏi của Hồ Chí Minh")
    page = _ask_from_point(client, ba_dinh_operator, issued.ba_dinh_point, "Câu hỏi của Ba Đình")
    page = client.get(reverse("attendance:question_ask_point", args=[issued.ba_dinh_point.pk]))
    assert "Câu hỏi của Ba Đình" in page.content.decode()
    assert "Câu hỏi của Hồ Chí Minh" not in page.content.decode()
    # Nor may they ask from, or look at, another point.
    assert client.get(reverse("attendance:question_ask_point", args=[issued.hcm_point.pk])).status_code == 404
    assert (
        client.post(
            reverse("attendance:question_ask_point", args=[issued.hcm_point.pk]), {"text": "x"}
        ).status_code
        == 404
    )
    # Nor moderate, nor watch the board: they see the conference, so that is forbidden.
    for url in _urls(issued.conference).values():
        assert client.get(url).status_code == 403


def test_an_invitee_asks_from_their_personal_link_without_logging_in(client, issued, programme):
    invitation = Invitation.objects.get(conference=issued.conference, person=issued.people["HN-BD"])
    url = reverse("attendance:question_ask_personal", args=[invitation.token])
    assert url == f"/truc-tiep/moi/{invitation.token}/cau-hoi/"
    page = client.get(url)
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    assert page["Referrer-Policy"] == "same-origin"
    assert client.post(url, {"text": "Câu hỏi của đại biểu", "item": programme[0].pk}).status_code == 302
    question = Question.objects.get()
    assert (question.invitation, question.point, question.item) == (
        invitation,
        issued.ba_dinh_point,
        programme[0],
    )
    assert "Câu hỏi của đại biểu" in client.get(url).content.decode()


def test_an_unknown_token_asks_nothing(client, issued):
    url = reverse("attendance:question_ask_personal", args=["khong-co-ma-nay"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "Hỏi"}).status_code == 404
    assert not Question.objects.exists()


def test_approve_shows_the_question_on_the_board_and_merge_hides_the_merged_one(
    client, issued, ba_dinh_operator, programme, organiser
):
    item = programme[1]
    _ask_from_point(client, ba_dinh_operator, issued.ba_dinh_point, "Câu hỏi gốc", item)
    _ask_from_point(client, ba_dinh_operator, issued.ba_dinh_point, "Câu hỏi trùng", item)
    original, duplicate = Question.objects.order_by("pk")
    urls = _urls(issued.conference)
    client.force_login(organiser)

    pending = client.get(urls["moderation"]).content.decode()
    assert "Câu hỏi gốc" in pending and "Câu hỏi trùng" in pending
    assert "Câu hỏi gốc" not in _on_board(client, issued.conference, item)

    response = _moderate(client, issued.conference, original, "approve")
    assert response.status_code == 200
    assert 'id="question-list"' not in response.content.decode()  # a fragment, swapped into the page
    original.refresh_from_db()
    assert original.status == QuestionStatus.APPROVED
    assert "Câu hỏi gốc" in _on_board(client, issued.conference, item)

    _moderate(client, issued.conference, duplicate, "approve")
    response = _moderate(client, issued.conference, duplicate, "merge", merged_into=original.pk)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (QuestionStatus.MERGED, original)
    assert "Đã gộp vào" in response.content.decode()
    board = _on_board(client, issued.conference, item)
    assert set(board) == {"Câu hỏi gốc"}  # the merged one is not on the board
    assert board["Câu hỏi gốc"]["merged_points"] == [issued.ba_dinh_point.name]

    _moderate(client, issued.conference, original, "answer", answer="Đến năm 2023.")
    original.refresh_from_db()
    assert (original.status, original.answer) == (QuestionStatus.ANSWERED, "Đến năm 2023.")
    assert _on_board(client, issued.conference, item)["Câu hỏi gốc"]["answered"] is True
    assert "Đã trả lời" in client.get(urls["board"], {"muc": item.pk}).content.decode()


def test_the_board_follows_the_programme_item_going_on_now(
    client, issued, ba_dinh_operator, programme, organiser, settings
):
    _ask_from_point(client, ba_dinh_operator, issued.ba_dinh_point, "Hỏi về khai mạc", programme[0])
    _ask_from_point(client, ba_dinh_operator, issued.ba_dinh_point, "Hỏi về chuyên đề", programme[1])
    client.force_login(organiser)
    for question in Question.objects.all():
        _moderate(client, issued.conference, question, "approve")
    # Long after the conference, the last item that started is the current one.
    board = client.get(_urls(issued.conference)["board"]).content.decode()
    assert "Hỏi về chuyên đề" in board and "Hỏi về khai mạc" not in board
    assert f"/ws/chu-toa/{issued.conference.pk}/" in board and "hx-trigger" not in board  # no timer
    snapshot = client.get(_urls(issued.conference)["board_snapshot"]).json()
    assert snapshot["current_item"] == programme[1].pk
    assert [item["label"] for item in snapshot["items"]][:2] == [
        f"1. {programme[0].title}",
        f"2. {programme[1].title}",
    ]
    pinned = client.get(_urls(issued.conference)["board"], {"muc": programme[0].pk}).content.decode()
    assert "Hỏi về khai mạc" in pinned and "Hỏi về chuyên đề" not in pinned


def test_a_merge_needs_a_target_of_the_same_conference_and_an_answer_needs_text(
    client, issued, ba_dinh_operator, organiser
):
    _ask_from_point(client, ba_dinh_operator, issued.ba_dinh_point, "Một câu hỏi")
    question = Question.objects.get()
    client.force_login(organiser)
    response = _moderate(client, issued.conference, question, "merge", merged_into=question.pk)
    assert "Hãy chọn câu hỏi để gộp vào" in response.content.decode()
    _moderate(client, issued.conference, question, "answer", answer="  ")
    _moderate(client, issued.conference, question, "nonsense")
    question.refresh_from_db()
    assert question.status == QuestionStatus.PENDING


def test_the_moderation_filters_by_item_and_status(client, issued, ba_dinh_operator, programme, organiser):
    _ask_from_point(client, ba_dinh_operator, issued.ba_dinh_point, "Về khai mạc", programme[0])
    _ask_from_point(client, ba_dinh_operator, issued.ba_dinh_point, "Về chuyên đề", programme[1])
    client.force_login(organiser)
    url = _urls(issued.conference)["moderation"]
    by_item = client.get(url, {"muc": programme[0].pk}).content.decode()
    assert "Về khai mạc" in by_item and "Về chuyên đề" not in by_item
    _moderate(client, issued.conference, Question.objects.get(text="Về khai mạc"), "reject")
    pending = client.get(url).content.decode()
    assert "Về khai mạc" not in pending and "Về chuyên đề" in pending
    rejected = client.get(url, {"trang_thai": "rejected"}, **HTMX).content.decode()
    assert "Về khai mạc" in rejected and "Về chuyên đề" not in rejected


@pytest.mark.parametrize(
    ("role", "unit", "moderation", "board"),
    [
        (GrantRole.ORGANISER, "national", 200, 200),
        (GrantRole.VIEWER, "national", 302, 200),  # sent to the read-only page of the questions
        # A provincial grant sees the national conference: forbidden, not missing.
        (GrantRole.ORGANISER, "hanoi", 403, 403),
        (GrantRole.VIEWER, "hanoi", 403, 403),
        (None, None, 404, 404),
    ],
)
def test_who_moderates_and_who_watches_the_board(
    client, issued, make_user, small_tree, role, unit, moderation, board
):
    user = make_user(role, getattr(small_tree, unit) if unit else None)
    client.force_login(user)
    urls = _urls(issued.conference)
    assert client.get(urls["moderation"]).status_code == moderation
    assert client.get(urls["board"]).status_code == board
    assert client.get(urls["board_snapshot"]).status_code == board


def test_a_provincial_organiser_cannot_moderate_a_question_of_their_own_point(
    client, issued, ba_dinh_operator, make_user, small_tree
):
    _ask_from_point(client, ba_dinh_operator, issued.ba_dinh_point, "Câu hỏi Ba Đình")
    question = Question.objects.get()
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hanoi))
    assert _moderate(client, issued.conference, question, "approve").status_code == 403
    question.refresh_from_db()
    assert question.status == QuestionStatus.PENDING


def test_anonymous_visitors_are_sent_to_log_in(client, issued):
    for url in _urls(issued.conference).values():
        response = client.get(url)
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_screenshots_a_moderator_approves_without_reload_and_the_board_shows_it(
    page_for, live_server, issued, ba_dinh_operator, make_user, small_tree, superuser
):
    from hoinghi.attendance.services import question_ask
    from hoinghi.conftest import screenshot

    start = datetime(2018, 12, 6, 8, 0, tzinfo=ZONE)
    item = ProgrammeItem.objects.create(
        conference=issued.conference,
        order=1,
        kind="topic",
        title="Chuyên đề 1: Mục tiêu, chỉ tiêu và các khâu đột phá của Nghị quyết Đại hội XII",
        planned_start=start,
        planned_end=start + timedelta(hours=1),
    )
    texts = (
        "Chỉ tiêu kết nạp 2 triệu đoàn viên đến năm 2023 được phân bổ cho các tỉnh như thế nào?",
        "Doanh nghiệp từ 25 lao động trở lên chưa có công đoàn cơ sở thì ai chịu trách nhiệm thành lập?",
        "Xin hỏi về chỉ tiêu phát triển đoàn viên: mỗi tỉnh được giao bao nhiêu?",
    )
    for text in texts:
        question_ask(actor=ba_dinh_operator, point=issued.ba_dinh_point, text=text, item=item)
    invitation = Invitation.objects.get(conference=issued.conference, person=issued.people["HCM"])
    question_ask(
        point=issued.hcm_point,
        invitation=invitation,
        text="Tỷ lệ ký thỏa ước lao động tập thể 70% tính trên cơ sở nào?",
        item=item,
    )
    first, second, third, fourth = Question.objects.order_by("pk")
    organiser = make_user(GrantRole.ORGANISER, small_tree.national)

    page = page_for(organiser)
    page.goto(f"{live_server.url}{_urls(issued.conference)['moderation']}")
    page.evaluate("window.notReloaded = true")
    page.locator(f"#question-{first.pk} button[value=approve]").click()
    page.locator(f"#question-{first.pk}").wait_for(state="detached")  # left the pending list
    page.locator(f"#question-{fourth.pk} button[value=approve]").click()
    page.locator(f"#question-{fourth.pk}").wait_for(state="detached")
    page.locator(f"#question-{third.pk} summary", has_text="Gộp").click()
    page.select_option(f"#merge-{third.pk}", str(first.pk))
    page.locator(f"#question-{third.pk} button[value=merge]").click()
    page.locator(f"#question-{third.pk}").wait_for(state="detached")
    assert page.evaluate("window.notReloaded") is True  # htmx swapped the list, no page load
    page.check("input[name=trang_thai][value=all]", force=True)
    page.locator(f"#question-{third.pk}").wait_for()
    page.locator(f"#question-{second.pk} summary", has_text="Trả lời").click()
    screenshot(page, "attendance-question-moderation-1280")

    board = page_for(organiser, width=1280, height=720)
    board.goto(f"{live_server.url}{_urls(issued.conference)['board']}")
    board.locator(f"[data-question='{first.pk}']").wait_for()
    assert board.locator(f"[data-question='{third.pk}']").count() == 0
    # Approved after the screen opened: it appears, in the order asked, with the next poll: the live
    # server speaks WSGI, so the board's socket fails and the page falls back to polling.
    page.goto(f"{live_server.url}{_urls(issued.conference)['moderation']}")
    page.locator(f"#question-{second.pk} button[value=approve]").click()
    page.locator(f"#question-{second.pk}").wait_for(state="detached")
    board.locator(f"[data-question='{second.pk}']").wait_for(timeout=8_000)
    shown = board.locator(".board-list li").evaluate_all("items => items.map(li => li.dataset.question)")
    assert shown == [str(first.pk), str(second.pk), str(fourth.pk)]
    screenshot(board, "attendance-question-board-1280")
