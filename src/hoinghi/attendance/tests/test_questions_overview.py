"""The leaders' read-only page of the questions (issue 17): who may watch the presiding board
but not moderate (`attendance.view_board`) reads every question with its number and programme
item, without a control, and the list follows the questions' live view; the conference's
"Câu hỏi" tab, which led such a leader to a refusal, leads there."""

from functools import partial

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from hoinghi.attendance.models import QuestionStatus
from hoinghi.attendance.services import question_ask, question_moderate
from hoinghi.conftest import screenshot
from hoinghi.core.permissions import GrantRole

from .test_browser_questions import item  # noqa: F401
from .test_views_questions import ZONE  # noqa: F401


def _login(page, base_url, user):
    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "mat-khau-thu-nghiem")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/to-chuc/")


def _requests_after_load(page) -> list[str]:
    made: list[str] = []
    page.on("request", lambda request: made.append(request.url))
    return made


@pytest.fixture
def asked(issued, item, ba_dinh_operator, make_user, small_tree):  # noqa: F811
    organiser = make_user(GrantRole.ORGANISER, small_tree.national)
    ask = partial(question_ask, actor=ba_dinh_operator, point=issued.ba_dinh_point)
    first = ask(text="Chỉ tiêu 2 triệu đoàn viên chia thế nào?", item=item)
    general = ask(text="Tài liệu có bản in không?")
    question_moderate(actor=organiser, question=first, status=QuestionStatus.ANSWERED, answer="Theo tỉnh.")
    return first, general


def test_a_leader_reads_every_question_with_its_number_and_item_and_no_control(
    client,
    issued,
    asked,
    item,  # noqa: F811
    make_user,
    small_tree,
):
    first, general = asked
    client.force_login(make_user(GrantRole.VIEWER, small_tree.national))
    response = client.get(reverse("attendance:question_overview", args=[issued.conference.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert [question.pk for question in response.context["questions"]] == [first.pk, general.pk]
    for question in (first, general):
        assert f"#{question.number}" in content and question.text in content
    assert f"1. {item.title}" in content and "Theo tỉnh." in content
    assert "hx-post" not in content and 'name="action"' not in content  # no control
    for question in (first, general):
        assert (
            reverse("attendance:question_moderate", args=[issued.conference.pk, question.pk]) not in content
        )
    assert "/ws/cau-hoi-xem/" in content


def test_the_questions_tab_leads_a_leader_to_the_read_only_page(client, issued, make_user, small_tree):
    client.force_login(make_user(GrantRole.VIEWER, small_tree.national))
    detail = client.get(reverse("conferences:detail", args=[issued.conference.pk])).content.decode()
    tab = reverse("attendance:question_moderation", args=[issued.conference.pk])
    assert f'href="{tab}"' in detail
    response = client.get(tab)
    assert response.status_code == 302
    assert response["Location"] == reverse("attendance:question_overview", args=[issued.conference.pk])
    organiser = make_user(GrantRole.ORGANISER, small_tree.national)
    client.force_login(organiser)
    assert client.get(tab).status_code == 200  # a moderator stays on the moderators' page


@pytest.mark.parametrize(
    ("role", "unit", "status"),
    [
        (GrantRole.ORGANISER, "national", 200),
        (GrantRole.VIEWER, "national", 200),
        (GrantRole.VIEWER, "hanoi", 403),  # sees the national conference, not its questions
        (None, None, 404),
    ],
)
def test_who_reads_the_questions(client, issued, make_user, small_tree, role, unit, status):
    client.force_login(make_user(role, getattr(small_tree, unit) if unit else None))
    response = client.get(reverse("attendance:question_overview", args=[issued.conference.pk]))
    assert response.status_code == status


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_leaders_list_follows_the_questions_live(
    page_for,
    asgi_server,
    issued,
    asked,
    item,  # noqa: F811
    ba_dinh_operator,
    make_user,
    small_tree,
):
    viewer = make_user(GrantRole.VIEWER, small_tree.national)
    page = page_for(None)
    _login(page, asgi_server, viewer)
    page.goto(f"{asgi_server}/hoi-nghi/{issued.conference.pk}/")
    page.get_by_role("link", name="Câu hỏi", exact=True).click()
    page.wait_for_url(f"{asgi_server}/truc-tiep/hoi-nghi/{issued.conference.pk}/cau-hoi/xem/")
    page.evaluate("window.notReloaded = true")
    page.wait_for_timeout(500)  # the socket's opening snapshot: nothing newer than the list
    made = _requests_after_load(page)
    assert page.locator(".question button, .question form").count() == 0
    sent = question_ask(actor=ba_dinh_operator, point=issued.ba_dinh_point, text="Câu hỏi mới", item=item)
    expect(page.locator(f"#question-{sent.pk}")).to_be_visible(timeout=3000)
    expect(page.locator(f"#question-{sent.pk} .num")).to_have_text(f"#{sent.number}")
    assert len(made) == 1 and page.evaluate("window.notReloaded") is True  # one fetch, no timer
    screenshot(page, "attendance-questions-leaders")
