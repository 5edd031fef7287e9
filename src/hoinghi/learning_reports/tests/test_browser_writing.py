"""An invitee writes their report on a 390 px phone page through their personal link: the draft
saves by itself, survives a dropped link and a closed tab, and is submitted."""

import time
from datetime import date

import pytest

from hoinghi.conftest import screenshot
from hoinghi.learning_reports.models import Report, ReportState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEARNED = "Nghị quyết đặt mục tiêu kết nạp hai triệu đoàn viên mới đến năm 2023"


def test_a_draft_written_offline_survives_a_closed_tab_and_is_submitted(page_for, writing, live_server):
    chi = writing.invitations["Chi"]
    url = f"{live_server.url}/bai-thu-hoach/moi/{chi.token}/"
    page = page_for(width=390, height=844)
    page.goto(url)
    page.fill("#section-learned", LEARNED)
    page.get_by_text("Đã lưu lúc").wait_for(timeout=20_000)
    assert Report.objects.get().draft_sections["learned"] == LEARNED

    page.context.set_offline(True)
    page.fill("#section-plans", "Thành lập công đoàn cơ sở ở các doanh nghiệp có từ 25 lao động")
    page.get_by_text("Mất kết nối").wait_for(timeout=20_000)
    page.close()  # the tab is closed before the link comes back
    page.context.set_offline(False)

    page = page.context.new_page()
    page.goto(url)
    # The copy kept in the browser is sent on the page's next tick: what the server holds says so
    # (the status line can already have moved on to its next message on a slow machine).
    deadline = time.monotonic() + 30
    while not Report.objects.get().draft_sections.get("plans", "").startswith("Thành lập công đoàn cơ sở"):
        assert time.monotonic() < deadline, page.text_content("#save-status")
        page.wait_for_timeout(250)
    assert page.locator("#conflict").is_hidden()  # sent on the revision it was based on: no conflict
    assert "cần 10–200" in page.text_content("#syllables")

    page.fill("[data-plan=action]", "Thành lập 5 công đoàn cơ sở")
    page.fill("[data-plan=deadline]", "30/06/2019")  # typed as every date of the site
    page.fill("[data-plan=measure]", "Số công đoàn cơ sở mới")
    screenshot(page, "learning-report-phone")
    page.get_by_role("button", name="Nộp bài").click()
    page.get_by_text("Đã nộp bài thu hoạch (lần 1).").wait_for(timeout=20_000)
    report = Report.objects.get()
    assert report.state == ReportState.SUBMITTED
    item = report.versions.get().plan_items.get()
    assert item.action == "Thành lập 5 công đoàn cơ sở"
    assert item.deadline == date(2019, 6, 30)
