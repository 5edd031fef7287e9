"""An invitee on their personal page, reached by the link in their invitation (no login: the
token in the address is the credential), sends a question to the presiding board and switches
the page to English.

Both are forms posted with a CSRF token. While the personal pages said `Referrer-Policy:
no-referrer`, Chromium sent `Origin: null` with them and Django refused both with its English
"CSRF verification failed" (issue 17); `same-origin` keeps the token from other sites and lets
the page's own forms through.
"""

import pytest

from hoinghi.attendance.models import Question
from hoinghi.conferences.models import Invitation
from hoinghi.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_invitee_sends_a_question_and_switches_language_from_the_personal_page(
    page_for, issued, live_server
):
    invitation = Invitation.objects.get(conference=issued.conference, person=issued.people["HN-BD"])
    personal = f"{live_server.url}/moi/{invitation.token}/"
    asking = f"{live_server.url}/truc-tiep/moi/{invitation.token}/cau-hoi/"
    page = page_for()  # nobody logged in

    page.goto(personal)
    page.get_by_role("link", name="Gửi câu hỏi tới đoàn chủ tịch").click()
    page.wait_for_url(asking)
    page.fill("#id_text", "Đề nghị làm rõ chỉ tiêu kết nạp đoàn viên mới của khối doanh nghiệp.")
    page.get_by_role("button", name="Gửi câu hỏi").click()
    page.wait_for_url(asking)
    page.get_by_text("Đã gửi câu hỏi").wait_for()
    question = Question.objects.get()
    assert (question.invitation, question.point) == (invitation, issued.ba_dinh_point)
    screenshot(page, "personal-question-sent")

    page.goto(personal)
    page.click("footer button[value=en]")
    page.wait_for_url(personal)
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Invitation" in page.title()
    page.click("footer button[value=vi]")
    page.wait_for_url(personal)
    assert page.locator("html").get_attribute("lang") == "vi"
