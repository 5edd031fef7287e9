"""Allocation in bulk (services/allocation.py): the same rules as one report at a time, balanced
over the whole batch, in a number of queries that does not grow with the reports, and nothing
half-done when a report of the batch is refused."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoinghi.core.models import AuditEntry
from hoinghi.core.permissions import GrantRole
from hoinghi.learning_reports import services
from hoinghi.learning_reports.errors import MarkingError
from hoinghi.learning_reports.models import Marking, MarkingState, Report, ReportState
from hoinghi.learning_reports.tests.conftest import submit

R = GrantRole.REVIEWER
EVERYONE = ("An", "Bình", "Chi", "Dũng", "Hà", "Lan")


def _report(writing, name) -> Report:
    return Report.objects.get(assignment=writing.assignment, invitation=writing.invitations[name])


def _reviewers(writing, name) -> list:
    report = _report(writing, name)
    return [m.reviewer for m in report.markings.filter(state=MarkingState.ALLOCATED).order_by("round")]


def _waiting(writing, names=EVERYONE) -> None:
    """Everyone of `names` submits while nobody reviews: the reports wait."""
    for name in names:
        submit(writing, name)
    assert not Marking.objects.exists()


def test_a_bulk_allocation_follows_the_tree_balances_over_the_batch_and_audits_each_marking(
    marking, small_tree, make_user, superuser
):
    _waiting(marking)
    first, second = make_user(R, small_tree.hanoi), make_user(R, small_tree.hanoi)
    national, hcm = make_user(R, small_tree.national), make_user(R, small_tree.hcm)
    assert services.reports_allocate(actor=superuser, assignment=marking.assignment) == 5
    assert {_reviewers(marking, "Chi")[0], _reviewers(marking, "Lan")[0]} == {first, second}
    assert _reviewers(marking, "Bình") == [national] and _reviewers(marking, "Dũng") == [national]
    assert _reviewers(marking, "Hà") == [hcm]
    assert _report(marking, "An").state == ReportState.SUBMITTED  # nobody above the nation
    assert _report(marking, "Lan").state == ReportState.IN_MARKING
    audits = AuditEntry.objects.filter(type="learning_reports.report.allocated", actor=superuser)
    assert sorted((a.unit_path, a.data["reviewer"], a.data["round"]) for a in audits) == sorted(
        [
            (small_tree.ba_dinh.path, _reviewers(marking, "Chi")[0].pk, 1),
            (small_tree.grassroots_a.path, _reviewers(marking, "Lan")[0].pk, 1),
            (small_tree.hanoi.path, national.pk, 1),
            (small_tree.hcm.path, national.pk, 1),
            (small_tree.district_1.path, hcm.pk, 1),
        ]
    )
    assert {a.object_repr for a in audits} == {str(_report(marking, n)) for n in EVERYONE if n != "An"}
    assert services.reports_allocate(actor=superuser, assignment=marking.assignment) == 0  # done


def test_the_queries_of_a_bulk_allocation_do_not_grow_with_the_reports(
    marking, small_tree, make_user, superuser
):
    _waiting(marking)
    make_user(R, small_tree.hanoi), make_user(R, small_tree.national), make_user(R, small_tree.hcm)
    lan = _report(marking, "Lan")
    with CaptureQueriesContext(connection) as one:
        assert services.reports_allocate(actor=superuser, assignment=marking.assignment, report_ids=[lan.pk])
    with CaptureQueriesContext(connection) as five:
        assert services.reports_allocate(actor=superuser, assignment=marking.assignment) == 4
    assert len(five) == len(one) <= 14, [q["sql"] for q in five]
    # Re-allocating all five withdraws their markings in one statement (and moves no report).
    ids = list(Report.objects.filter(state=ReportState.IN_MARKING).values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as again:
        services.reports_allocate(actor=superuser, assignment=marking.assignment, report_ids=ids)
    assert len(again) == len(five)
    assert Marking.objects.filter(state=MarkingState.WITHDRAWN).count() == 5


def test_second_marking_in_bulk_takes_two_different_reviewers_balanced(
    marking, small_tree, make_user, superuser
):
    marking.assignment.has_second_marking = True
    marking.assignment.save()
    _waiting(marking, ["Chi", "Lan"])
    reviewers = {make_user(R, small_tree.hanoi) for _ in range(3)}
    assert services.reports_allocate(actor=superuser, assignment=marking.assignment) == 2
    chi, lan = _reviewers(marking, "Chi"), _reviewers(marking, "Lan")
    assert len(set(chi)) == len(set(lan)) == 2 and set(chi + lan) == reviewers  # loads 2, 1, 1
    rounds = Marking.objects.filter(report=_report(marking, "Chi")).values_list("round", flat=True)
    assert sorted(rounds) == [1, 2]


def test_a_reviewer_refused_for_one_report_leaves_the_whole_reallocation_undone(
    marking, small_tree, make_user, superuser
):
    first, national = make_user(R, small_tree.hanoi), make_user(R, small_tree.national)
    for name in ("Lan", "Chi", "Dũng"):
        submit(marking, name)
    second = make_user(R, small_tree.hanoi)
    ids = [_report(marking, name).pk for name in ("Lan", "Chi", "Dũng")]
    before = AuditEntry.objects.count()
    with pytest.raises(MarkingError) as refused:
        services.reports_allocate(
            actor=superuser, assignment=marking.assignment, report_ids=ids, reviewer=second
        )
    assert refused.value.code == "ineligible_reviewer"  # Dũng's report is outside Hà Nội
    assert refused.value.params == {"report": ids[2]}
    assert not Marking.objects.exclude(state=MarkingState.ALLOCATED).exists()
    assert _reviewers(marking, "Dũng") == [national] and _reviewers(marking, "Lan") == [first]
    assert AuditEntry.objects.count() == before
    assert (
        services.reports_allocate(
            actor=superuser, assignment=marking.assignment, report_ids=ids[:2], reviewer=second
        )
        == 2
    )
    assert _reviewers(marking, "Lan") == [second] and _reviewers(marking, "Chi") == [second]
    assert Marking.objects.filter(reviewer=first, state=MarkingState.WITHDRAWN).count() == 2
