"""On the 390 px writing page the writer picks what each plan serves; the choice is saved by
the autosave like every other field, and a plan added on the page gets the same list."""

import time

import pytest

from hoinghi.conftest import screenshot
from hoinghi.learning_reports.models import Report
from hoinghi.learning_reports.tests.test_plans_serving import parts  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _saved(predicate, page):
    deadline = time.monotonic() + 30
    while True:
        report = Report.objects.first()
        if report is not None and predicate(report.draft_plans):
            return report
        assert time.monotonic() < deadline, page.text_content("#save-status")
        page.wait_for_timeout(250)


def test_the_writer_picks_a_target_and_the_autosave_keeps_it(page_for, writing, parts, live_server):  # noqa: F811
    target, task, _hcm = parts
    chi = writing.invitations["Chi"]
    page = page_for(width=390, height=844)
    page.goto(f"{live_server.url}/bai-thu-hoach/moi/{chi.token}/")
    page.fill("[data-plan=action]", "Kết nạp 50 đoàn viên mới ở doanh nghiệp ngoài nhà nước")
    page.select_option("#plans fieldset.plan >> nth=0 >> select[data-plan=serves]", str(target.pk))
    _saved(lambda plans: plans and plans[0].get("serves") == str(target.pk), page)

    page.get_by_role("button", name="Thêm kế hoạch").click()
    second = page.locator("#plans fieldset.plan").nth(1).locator("select[data-plan=serves]")
    assert second.locator("option").count() == 3  # none, the target, the task
    second.select_option(str(task.pk))
    _saved(lambda plans: len(plans) == 2 and plans[1].get("serves") == str(task.pk), page)
    screenshot(page, "learning-report-plan-target-phone")

    page.reload()  # what the server holds comes back chosen
    assert page.locator("#plans fieldset.plan >> nth=1 >> select[data-plan=serves]").input_value() == str(
        task.pk
    )
