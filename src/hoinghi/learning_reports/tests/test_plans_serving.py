"""Personal plans linked to the parts of a resolution: the writer picks what a plan serves from
the parts of the resolutions their unit carries out, and the page of that part (resolutions)
lists the plans of the unit's subtree to those who may read the reports."""

from datetime import date

import pytest
from django.urls import reverse

from hoinghi.core.permissions import GrantRole
from hoinghi.learning_reports import services
from hoinghi.learning_reports.errors import ReportError, ReportErrorCode
from hoinghi.learning_reports.models import PlanItem, Report, ReportVersion
from hoinghi.learning_reports.tests.conftest import plan, sections
from hoinghi.resolutions import services as resolutions


@pytest.fixture
def parts(small_tree, superuser):
    """The Confederation's resolution (reaching every writer) and one of Hồ Chí Minh's own."""
    national = resolutions.resolution_create(
        actor=superuser,
        owner=small_tree.national,
        code="nq-dh12",
        title="Nghị quyết Đại hội XII",
        adopted_on=date(2018, 9, 26),
        items=[("target", "Phát triển 2 triệu đoàn viên"), ("task", "Đổi mới công tác cán bộ")],
    )
    hcm = resolutions.resolution_create(
        actor=superuser,
        owner=small_tree.hcm,
        code="nq-hcm",
        title="Nghị quyết Đại hội Công đoàn Thành phố Hồ Chí Minh",
        adopted_on=date(2018, 7, 1),
        items=[("target", "Chỉ tiêu riêng của Thành phố")],
    )
    return national.items.get(kind="target"), national.items.get(kind="task"), hcm.items.get()


def _write(writing, name, plans, revision=0):
    return services.report_draft_save(
        invitation=writing.invitations[name],
        assignment=writing.assignment,
        revision=revision,
        sections=sections(),
        plans=plans,
    )


def _submit(writing, name, report):
    return services.report_submit(
        invitation=writing.invitations[name], assignment=writing.assignment, revision=report.revision
    )


def test_a_plan_serves_the_part_the_writer_picked(writing, parts):
    target, task, _hcm = parts
    report = _write(writing, "Chi", [plan(serves=str(target.pk)), plan(serves=str(task.pk)), plan()])
    version = _submit(writing, "Chi", report)
    assert [item.serves for item in version.plan_items.order_by("order")] == [target, task, None]


@pytest.mark.parametrize("chosen", ["hcm", "abc", "999999"])
def test_a_part_the_writers_unit_does_not_carry_out_is_refused_and_nothing_is_stored(writing, parts, chosen):
    serves = str(parts[2].pk) if chosen == "hcm" else chosen  # Chi writes at Ba Đình, in Hà Nội
    report = _write(writing, "Chi", [plan(serves=serves)])
    with pytest.raises(ReportError) as raised:
        _submit(writing, "Chi", report)
    assert raised.value.code == ReportErrorCode.PLAN_INVALID and raised.value.params == {"number": 1}
    assert not ReportVersion.objects.exists() and not PlanItem.objects.exists()


def test_a_draft_saved_before_the_link_still_submits(writing, parts):
    report = _write(writing, "Chi", [plan()])
    old = {key: value for key, value in report.draft_plans[0].items() if key != "serves"}
    Report.objects.filter(pk=report.pk).update(draft_plans=[old])
    version = _submit(writing, "Chi", report)
    assert version.plan_items.get().serves is None


def test_the_write_page_offers_the_parts_of_the_writers_resolutions_only(writing, parts, client):
    target, task, hcm_part = parts
    chi = writing.invitations["Chi"]
    _write(writing, "Chi", [plan(serves=str(task.pk))])
    page = client.get(reverse("learning_reports:write", args=[chi.token])).content.decode()
    assert f'<option value="{task.pk}" selected>' in page
    assert f'<option value="{target.pk}">' in page
    assert f'value="{hcm_part.pk}"' not in page
    assert 'id="plan-serves"' in page  # the list a new plan's row copies


def test_the_target_page_lists_the_latest_plans_of_the_subtree_to_report_readers(
    writing, parts, client, make_user, small_tree, superuser
):
    target = parts[0]
    chi = _submit(
        writing, "Chi", _write(writing, "Chi", [plan(action="Kế hoạch của Chi", serves=str(target.pk))])
    )
    _submit(
        writing, "Dũng", _write(writing, "Dũng", [plan(action="Kế hoạch của Dũng", serves=str(target.pk))])
    )
    # Chi's report is returned and revised: only the plans of the latest version count.
    from hoinghi.learning_reports.models import ReportState

    Report.objects.filter(pk=chi.report_id).update(state=ReportState.RETURNED)
    report = Report.objects.get(pk=chi.report_id)
    revised = _write(
        writing,
        "Chi",
        [plan(action="Kế hoạch sửa của Chi", deadline="31/12/2030", serves=str(target.pk))],
        revision=report.revision,
    )
    _submit(writing, "Chi", revised)

    url = reverse("resolutions:target", args=[target.pk, small_tree.national.pk])
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.national))
    page = client.get(url).content.decode()
    assert "Kế hoạch sửa của Chi" in page and "Kế hoạch của Dũng" in page
    assert "Kế hoạch của Chi<" not in page
    assert "Kế hoạch cá nhân trong bài thu hoạch" in page

    client.force_login(make_user(GrantRole.VIEWER, small_tree.hanoi))
    page = client.get(reverse("resolutions:target", args=[target.pk, small_tree.hanoi.pk])).content.decode()
    assert "Kế hoạch sửa của Chi" in page and "Kế hoạch của Dũng" not in page

    client.force_login(make_user(GrantRole.DATA_REPORTER, small_tree.hanoi))  # reads no reports
    page = client.get(reverse("resolutions:target", args=[target.pk, small_tree.hanoi.pk])).content.decode()
    assert "Kế hoạch cá nhân trong bài thu hoạch" not in page and "Kế hoạch sửa của Chi" not in page
