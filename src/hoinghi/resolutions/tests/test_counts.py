"""The counts kept per subtree (units by kind, reports sent and approved by kind and day) and the
roll-ups stay equal to a count from scratch after every kind of change: a report submitted,
returned, approved, unlocked; a unit created, moved, given another kind, deleted; units imported
in bulk. "From scratch" twice: counted here in Python from the units and reports, and rebuilt by
the recompute (`rollups_recompute`), which must leave every stored row as it was."""

from collections import Counter, defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hoinghi.core.tree import path_ids
from hoinghi.orgs import services as orgs_services
from hoinghi.orgs.models import Unit, UnitKind
from hoinghi.orgs.tests.conftest import UNIT_HEADER, apply, hanoi_organiser, upload, xlsx_bytes  # noqa: F401
from hoinghi.resolutions import figures, services
from hoinghi.resolutions.models import ReportCount, RollUp, Submission, SubmissionState, UnitCount


def _stored() -> tuple[dict, dict, dict]:
    units = {(row.unit_id, row.kind_id): row.units for row in UnitCount.objects.all()}
    reports = {
        (row.unit_id, row.dataset_id, row.period_id, row.kind_id, row.submitted_on): (
            row.reported,
            row.approved,
        )
        for row in ReportCount.objects.all()
    }
    values = {
        (row.unit_id, row.period_id, row.element_id, row.option): (row.value, row.reporting)
        for row in RollUp.objects.all()
    }
    return units, reports, values


def _counted() -> tuple[dict, dict]:
    """The counts from the units and reports themselves."""
    units: Counter = Counter()
    for path, kind_id in Unit.objects.values_list("path", "kind_id"):
        for ancestor in path_ids(path):
            units[(ancestor, kind_id)] += 1
    reports: dict = defaultdict(lambda: [0, 0])
    sent = Submission.objects.filter(state__in=(SubmissionState.SUBMITTED, SubmissionState.APPROVED))
    for submission in sent.select_related("unit"):
        day = timezone.localdate(submission.submitted_at, timezone.get_default_timezone())
        for ancestor in path_ids(submission.unit.path):
            row = reports[
                (ancestor, submission.dataset_id, submission.period_id, submission.unit.kind_id, day)
            ]
            row[0] += 1
            row[1] += submission.state == SubmissionState.APPROVED
    return dict(units), {key: tuple(row) for key, row in reports.items()}


def assert_exact():
    units, reports, values = _stored()
    assert (units, reports) == _counted()
    services.rollups_recompute(actor=None)
    assert _stored() == (units, reports, values)


@pytest.fixture
def sent(small_tree, reporting, enter, superuser):
    """Values and sent reports at both grassroots unions and Ba Đình (one approved)."""
    for unit, workers in (
        (small_tree.grassroots_a, 40),
        (small_tree.grassroots_b, 60),
        (small_tree.ba_dinh, 5),
    ):
        enter(unit, {"workers": workers, "strong": 1})
        services.submission_submit(
            actor=superuser, dataset=reporting.dataset, unit=unit, period=reporting.year
        )
    submission = Submission.objects.get(unit=small_tree.grassroots_a, period=reporting.year)
    services.submission_approve(actor=superuser, submission=submission)
    return reporting


def test_counts_follow_every_step_of_a_report(small_tree, reporting, enter, superuser):
    assert_exact()
    enter(small_tree.grassroots_a, {"workers": 40})
    submit = services.submission_submit
    submission = submit(
        actor=superuser, dataset=reporting.dataset, unit=small_tree.grassroots_a, period=reporting.year
    )
    assert_exact()
    national = ReportCount.objects.get(unit=small_tree.national)
    assert (national.reported, national.approved) == (1, 0)
    services.submission_return(actor=superuser, submission=submission, comment="Thiếu số liệu")
    assert_exact()
    assert not ReportCount.objects.exists()  # nothing sent any more: no row, as after a recompute
    submission = submit(
        actor=superuser, dataset=reporting.dataset, unit=small_tree.grassroots_a, period=reporting.year
    )
    services.submission_approve(actor=superuser, submission=submission)
    assert_exact()
    assert ReportCount.objects.get(unit=small_tree.hanoi).approved == 1
    services.submission_unlock(actor=superuser, submission=submission, reason="Sửa số liệu")
    assert_exact()


def test_counts_follow_units_created_moved_rekinded_and_deleted(small_tree, sent, superuser):
    grassroots = UnitKind.objects.get(code="grassroots")
    assert_exact()
    new = orgs_services.unit_create(
        actor=superuser,
        parent=small_tree.district_1,
        code="HCM-Q1-002",
        name="Công đoàn mới",
        kind=grassroots,
    )
    assert_exact()
    assert UnitCount.objects.get(unit=small_tree.hcm, kind=grassroots).units == 2
    # Ba Đình (with its reports, values and its grassroots union) moves to Hồ Chí Minh.
    orgs_services.unit_move(actor=superuser, unit=small_tree.ba_dinh, new_parent=small_tree.hcm)
    assert_exact()
    assert UnitCount.objects.get(unit=small_tree.hcm, kind=grassroots).units == 3
    assert not UnitCount.objects.filter(unit=small_tree.hanoi, kind=grassroots).exists()
    assert RollUp.objects.get(unit=small_tree.hcm, element__code="workers").value == 105
    small_tree.grassroots_a.refresh_from_db()
    orgs_services.unit_update(actor=superuser, unit=small_tree.grassroots_a, kind=small_tree.ba_dinh.kind)
    assert_exact()
    orgs_services.unit_delete(actor=superuser, unit=new)
    assert_exact()
    assert UnitCount.objects.get(unit=small_tree.hcm, kind=grassroots).units == 1


def test_counts_follow_units_imported_and_moved_in_bulk(small_tree, sent, hanoi_organiser, upload, apply):  # noqa: F811
    assert_exact()
    rows = [
        ["HN-CG", "Liên đoàn Lao động quận Cầu Giấy", "", "HN", "district", "", 100, "", "01"],
        ["HN-CG-001", "Công đoàn Trường Dịch Vọng", "", "HN-CG", "grassroots", "", 45, 60, "01"],
    ]
    assert apply(upload("units", xlsx_bytes(UNIT_HEADER, rows), small_tree.hanoi).job).status == "applied"
    assert_exact()
    moved = [["HN-BD", small_tree.ba_dinh.name, "", "HN-CG", "district", "", 100, "", ""]]
    assert apply(upload("units", xlsx_bytes(UNIT_HEADER, moved), small_tree.hanoi).job).status == "applied"
    assert Unit.objects.get(code="HN-BD").path.startswith(Unit.objects.get(code="HN-CG").path)
    assert_exact()
    assert RollUp.objects.get(unit=Unit.objects.get(code="HN-CG"), element__code="workers").value == 45


def test_completeness_reads_the_counts_by_level(small_tree, sent, superuser):
    levels = figures.completeness(
        actor=superuser, dataset=sent.dataset, unit=small_tree.national, period=sent.year
    )
    by_rank = {level.rank: (level.expected, level.reported, level.approved) for level in levels}
    assert by_rank == {0: (1, 0, 0), 1: (2, 0, 0), 2: (2, 1, 0), 3: (2, 2, 1)}


def test_a_national_dashboard_reads_as_many_rows_whatever_the_tree(small_tree, sent, superuser):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            figures.dashboard_get(
                actor=superuser, resolution=sent.resolution, unit=small_tree.national, period=sent.year
            )
            figures.completeness(
                actor=superuser, dataset=sent.dataset, unit=small_tree.national, period=sent.year
            )
        return len(captured)

    before = queries()
    grassroots = UnitKind.objects.get(code="grassroots")
    for number in range(5):
        orgs_services.unit_create(
            actor=superuser,
            parent=small_tree.ba_dinh,
            code=f"HN-BD-1{number}",
            name=f"CĐ {number}",
            kind=grassroots,
        )
    assert queries() == before


def test_children_are_ranked_by_the_database_one_page_at_a_time(small_tree, sent, enter, superuser):
    grassroots = UnitKind.objects.get(code="grassroots")
    made = [
        orgs_services.unit_create(
            actor=superuser,
            parent=small_tree.ba_dinh,
            code=f"HN-BD-00{n}",
            name=f"Công đoàn {n}",
            kind=grassroots,
        )
        for n in (2, 3, 4)
    ]
    enter(made[0], {"strong": 0})
    enter(made[2], {"strong": 2})  # made[1] reports nothing: ranked last

    def page(number):
        return figures.children_ranked(
            indicator=sent.strong_share,
            children=small_tree.ba_dinh.children.all(),
            period=sent.year,
            size=2,
            page=number,
        )

    first, second = page(1), page(2)
    assert [(unit.pk, value.value) for unit, value in first.children] == [
        (made[2].pk, 200),
        (small_tree.grassroots_a.pk, 100),
    ]
    assert [(unit.pk, value.value) for unit, value in second.children] == [
        (made[0].pk, 0),
        (made[1].pk, None),
    ]
    assert (first.total, first.pages, first.offset, second.offset, second.page) == (4, 2, 0, 2, 2)
    assert page(9).offset == 2  # past the last page: the last one
    whole = figures.children_ranked(
        indicator=sent.strong_share, children=small_tree.ba_dinh.children.all(), period=sent.year, size=None
    )
    assert [unit for unit, _value in whole.children] == [
        unit for unit, _value in first.children + second.children
    ]
    # The values are those of the unit's own dashboard figures.
    values = figures.indicator_values(indicator=sent.strong_share, units=made, period=sent.year)
    assert {unit.pk: value for unit, value in whole.children if unit in made} == values
