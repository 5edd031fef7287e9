"""The presiding board and the moderators' page in Chromium, following the questions' live view
over a real WebSocket (the `asgi_server` of conftest.py), without a timer."""

from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from hoinghi.attendance.models import Question
from hoinghi.attendance.services import question_ask, question_moderate
from hoinghi.conferences.models import ProgrammeItem
from hoinghi.conftest import screenshot
from hoinghi.core.permissions import GrantRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def _login(page, base_url, user):
    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "mat-khau-thu-nghiem")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/to-chuc/")


@pytest.fixture
def item(issued):
    start = datetime(2018, 12, 6, 8, 0, tzinfo=ZONE)
    return ProgrammeItem.objects.create(
        conference=issued.conference,
        order=1,
        kind="topic",
        title="Chuyên đề 1: Mục tiêu, chỉ tiêu và các khâu đột phá",
        planned_start=start,
        planned_end=start + timedelta(hours=1),
    )


def _requests_after_load(page) -> list[str]:
    """Every request the page makes from now on (the socket's handshake is not one)."""
    made: list[str] = []
    page.on("request", lambda request: made.append(request.url))
    return made


def test_the_board_shows_an_approved_question_from_its_socket_without_polling(
    page_for, asgi_server, issued, item, ba_dinh_operator, make_user, small_tree
):
    organiser = make_user(GrantRole.ORGANISER, small_tree.national)
    ask = partial(question_ask, actor=ba_dinh_operator, point=issued.ba_dinh_point, item=item)
    first = ask(text="Câu hỏi đã duyệt")
    question_moderate(actor=organiser, question=first, status="approved")
    waiting = ask(text="Chỉ tiêu 2 triệu đoàn viên chia thế nào?")

    board = page_for(None, width=1280, height=720)
    _login(board, asgi_server, organiser)
    board.goto(f"{asgi_server}/truc-tiep/hoi-nghi/{issued.conference.pk}/chu-toa/")
    expect(board.locator("#board-status")).to_have_attribute("data-state", "live")
    expect(board.locator(f"[data-question='{first.pk}']")).to_be_visible()
    made = _requests_after_load(board)

    question_moderate(actor=organiser, question=waiting, status="approved")
    expect(board.locator(f"[data-question='{waiting.pk}']")).to_be_visible(timeout=3000)
    shown = board.locator(".board-list li").evaluate_all("items => items.map(li => li.dataset.question)")
    assert shown == [str(first.pk), str(waiting.pk)]
    assert board.locator("#board-item").inner_text() == f"1. {item.title}"

    # Answered: it stays, marked; merged into it: the asking point is named beside it.
    duplicate = ask(text="Trùng")
    question_moderate(actor=organiser, question=duplicate, status="merged", merged_into=waiting)
    question_moderate(actor=organiser, question=first, status="answered", answer="Đã trả lời tại hội nghị.")
    expect(board.locator(f"[data-question='{first.pk}'] .done")).to_be_visible(timeout=3000)
    expect(board.locator(f"[data-question='{waiting.pk}'] .who")).to_contain_text("1 câu hỏi tương tự")
    assert made == []  # no poll, no fetch: everything came over the socket
    screenshot(board, "attendance-question-board-live-1280")


def test_the_moderators_list_reloads_when_a_point_sends_a_question(
    page_for, asgi_server, issued, item, ba_dinh_operator, make_user, small_tree
):
    organiser = make_user(GrantRole.ORGANISER, small_tree.national)
    ask = partial(question_ask, actor=ba_dinh_operator, point=issued.ba_dinh_point, item=item)
    ask(text="Câu hỏi đầu tiên")
    page = page_for(None)
    _login(page, asgi_server, organiser)
    page.goto(f"{asgi_server}/truc-tiep/hoi-nghi/{issued.conference.pk}/cau-hoi/")
    page.evaluate("window.notReloaded = true")
    page.wait_for_timeout(500)  # the socket's opening snapshot: nothing newer than the list
    made = _requests_after_load(page)

    sent = ask(text="Câu hỏi mới gửi")
    expect(page.locator(f"#question-{sent.pk}")).to_be_visible(timeout=3000)
    assert [url for url in made if "/cau-hoi/" in url] != [] and len(made) == 1  # one reload, no timer
    assert page.evaluate("window.notReloaded") is True

    # A moderator in the middle of an answer is not interrupted: the list waits until it is closed.
    first = Question.objects.order_by("pk").first()
    page.locator(f"#question-{first.pk} summary", has_text="Trả lời").click()
    page.fill(f"#answer-{first.pk}", "Đang soạn")
    later = question_ask(
        actor=ba_dinh_operator, point=issued.ba_dinh_point, text="Câu hỏi sau nữa", item=item
    )
    page.wait_for_timeout(1500)
    assert page.locator(f"#question-{later.pk}").count() == 0
    assert page.input_value(f"#answer-{first.pk}") == "Đang soạn"
    page.locator(f"#question-{first.pk} summary", has_text="Trả lời").click()  # closed
    expect(page.locator(f"#question-{later.pk}")).to_be_visible(timeout=3000)
