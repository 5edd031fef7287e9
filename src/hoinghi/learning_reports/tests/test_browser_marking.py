"""A reviewer marks a revised report in Chromium: the changes since the returned version are
highlighted, the rubric's levels are radio buttons, and the result is saved."""

import pytest

from hoinghi.conftest import screenshot
from hoinghi.core.permissions import GrantRole
from hoinghi.learning_reports import services
from hoinghi.learning_reports.models import Marking, MarkingState, Report, ReportState
from hoinghi.learning_reports.tests.conftest import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_marks_a_revised_report_with_the_rubric(
    page_for, marking, small_tree, make_user, live_server
):
    reviewer = make_user(GrantRole.REVIEWER, small_tree.hanoi)
    submit(marking, "Lan", text="Công đoàn cơ sở cần chăm lo đời sống đoàn viên " * 3)
    first = Marking.objects.get(reviewer=reviewer)
    services.report_return(
        actor=reviewer, marking_id=first.pk, comment="Nêu giải pháp cụ thể cho doanh nghiệp."
    )
    submit(marking, "Lan", text="Công đoàn cơ sở cần chăm lo đời sống và việc làm của đoàn viên " * 3)
    second = Marking.objects.get(reviewer=reviewer, state=MarkingState.ALLOCATED)

    page = page_for(reviewer)
    page.goto(f"{live_server.url}/bai-thu-hoach/cham/")
    page.get_by_role("link", name="Lan").first.click()
    page.wait_for_selector("#changes ins")
    assert "và việc làm của" in page.text_content("#changes ins")
    page.get_by_label("Nắm vững").check()
    page.get_by_role("radio", name="Cụ thể 2 điểm", exact=True).check()
    page.fill("#overall-comment", "Bài đã sửa đạt yêu cầu.")
    screenshot(page, "learning-report-marking")
    page.get_by_role("button", name="Lưu kết quả chấm").click()
    page.get_by_text("Đã lưu kết quả chấm.").wait_for()
    report = Report.objects.get(pk=second.report_id)
    assert (report.state, report.band) == (ReportState.MARKED, "good")
