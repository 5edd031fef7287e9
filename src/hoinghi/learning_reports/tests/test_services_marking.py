"""Marking by the hierarchy: allocation by the tree, exclusions, second marking, return and
resubmission, release."""

from decimal import Decimal

import pytest

from hoinghi.core.errors import NotFoundError
from hoinghi.core.permissions import GrantRole
from hoinghi.learning_reports import services
from hoinghi.learning_reports.errors import MarkingError
from hoinghi.learning_reports.models import Marking, MarkingState, Report, ReportState
from hoinghi.learning_reports.tests.conftest import levels_for, submit
from hoinghi.orgs.tests.factories import PersonFactory, PositionFactory

R = GrantRole.REVIEWER


def _report(writing, name) -> Report:
    return Report.objects.get(assignment=writing.assignment, invitation=writing.invitations[name])


def _open(report) -> list[Marking]:
    return list(report.markings.filter(state=MarkingState.ALLOCATED).order_by("round"))


def test_a_report_goes_to_the_nearest_level_above_with_reviewers_balanced_by_load(
    marking, small_tree, make_user
):
    first, second = make_user(R, small_tree.hanoi), make_user(R, small_tree.hanoi)
    national = make_user(R, small_tree.national)
    submit(marking, "Lan")  # CĐCS A: Ba Đình has no reviewer, Hà Nội has two
    submit(marking, "Chi")  # Ba Đình
    submit(marking, "Bình")  # Hà Nội itself: the level above is the nation's
    assert [m.reviewer for m in _open(_report(marking, "Lan"))] == [first]
    assert [m.reviewer for m in _open(_report(marking, "Chi"))] == [second]
    assert [m.reviewer for m in _open(_report(marking, "Bình"))] == [national]
    assert _report(marking, "Lan").state == ReportState.IN_MARKING


def test_nobody_marks_their_own_report_nor_one_of_someone_above_them(
    marking, small_tree, small_conference, make_user
):
    chi = small_conference.people["HN-BD"]
    make_user(R, small_tree.hanoi, person=chi)  # Chi reviews at Hà Nội
    staff = PersonFactory(unit=small_tree.grassroots_a)  # below Ba Đình, where Chi sits on the committee
    PositionFactory(person=staff)
    make_user(R, small_tree.hanoi, person=staff)
    national = make_user(R, small_tree.national)
    submit(marking, "Chi")
    assert [m.reviewer for m in _open(_report(marking, "Chi"))] == [national]


def test_without_an_eligible_reviewer_the_report_waits_submitted(marking):
    submit(marking, "Lan")
    assert _report(marking, "Lan").state == ReportState.SUBMITTED


def test_a_reviewer_of_another_province_cannot_reach_a_report_outside_their_subtree(
    marking, small_tree, make_user
):
    hanoi = make_user(R, small_tree.hanoi)
    submit(marking, "Lan")
    outsider = make_user(R, small_tree.hcm)
    foreign = Marking.objects.filter(reviewer=hanoi).get()
    with pytest.raises(NotFoundError):
        services.marking_save(actor=outsider, marking_id=foreign.pk, levels={}, comments={})
    foreign.reviewer = outsider  # even allocated to them by mistake, the report is out of reach
    foreign.save()
    with pytest.raises(NotFoundError):
        services.marking_save(actor=outsider, marking_id=foreign.pk, levels={}, comments={})


def test_a_marked_report_gets_its_total_and_band(marking, small_tree, make_user):
    reviewer = make_user(R, small_tree.hanoi)
    submit(marking, "Lan")
    mark = Marking.objects.get(reviewer=reviewer)
    with pytest.raises(MarkingError) as refused:
        services.marking_save(actor=reviewer, marking_id=mark.pk, levels={}, comments={})
    assert refused.value.code == "incomplete"
    services.marking_save(
        actor=reviewer,
        marking_id=mark.pk,
        levels=levels_for(marking.assignment, [6, 2]),
        comments={},
        comment="Tốt",
    )
    report = _report(marking, "Lan")
    assert (report.state, report.total, report.band) == (ReportState.MARKED, Decimal("8.00"), "good")
    with pytest.raises(MarkingError) as again:
        services.marking_save(actor=reviewer, marking_id=mark.pk, levels={}, comments={})
    assert again.value.code == "not_open"


def _second_marking(marking, small_tree, make_user):
    marking.assignment.has_second_marking = True
    marking.assignment.third_marker_gap = 20
    marking.assignment.save()
    reviewers = [make_user(R, small_tree.hanoi) for _ in range(3)]
    submit(marking, "Lan")
    return reviewers, _report(marking, "Lan")


def test_second_marking_takes_the_mean_of_two_close_marks(marking, small_tree, make_user):
    _reviewers, report = _second_marking(marking, small_tree, make_user)
    first, second = _open(report)
    assert first.reviewer != second.reviewer
    services.marking_save(
        actor=first.reviewer, marking_id=first.pk, levels=levels_for(marking.assignment, [6, 2]), comments={}
    )
    assert _report(marking, "Lan").state == ReportState.IN_MARKING
    services.marking_save(
        actor=second.reviewer,
        marking_id=second.pk,
        levels=levels_for(marking.assignment, [6, 4]),
        comments={},
    )
    report = _report(marking, "Lan")
    assert (report.state, report.total, report.band) == (ReportState.MARKED, Decimal("9.00"), "excellent")


def test_marks_further_apart_than_the_gap_call_a_third_marker(marking, small_tree, make_user):
    reviewers, report = _second_marking(marking, small_tree, make_user)
    first, second = _open(report)
    services.marking_save(
        actor=first.reviewer, marking_id=first.pk, levels=levels_for(marking.assignment, [0, 2]), comments={}
    )
    services.marking_save(
        actor=second.reviewer,
        marking_id=second.pk,
        levels=levels_for(marking.assignment, [6, 4]),
        comments={},
    )
    (third,) = _open(report)
    assert third.round == 3 and third.reviewer not in (first.reviewer, second.reviewer)
    assert _report(marking, "Lan").state == ReportState.IN_MARKING
    services.marking_save(
        actor=third.reviewer, marking_id=third.pk, levels=levels_for(marking.assignment, [6, 2]), comments={}
    )
    report = _report(marking, "Lan")
    assert (report.total, report.band) == (
        Decimal("9.00"),
        "excellent",
    )  # (8 + 10) / 2: 10 is nearer to 8 than 2


def test_return_revise_resubmit_keeps_every_version_and_goes_back_to_the_same_reviewer(
    marking, small_tree, make_user
):
    make_user(R, small_tree.hanoi), make_user(R, small_tree.hanoi)
    submit(marking, "Lan", text="Đoàn viên cần được bảo vệ quyền lợi " * 3)
    (mark,) = _open(_report(marking, "Lan"))
    with pytest.raises(MarkingError) as refused:
        services.report_return(actor=mark.reviewer, marking_id=mark.pk, comment=" ")
    assert refused.value.code == "comment_required"
    services.report_return(actor=mark.reviewer, marking_id=mark.pk, comment="Cần nêu giải pháp cụ thể hơn.")
    assert _report(marking, "Lan").state == ReportState.RETURNED
    submit(marking, "Lan", text="Đoàn viên cần được bảo vệ và chăm lo quyền lợi " * 3)
    report = _report(marking, "Lan")
    assert report.versions.count() == 2 and report.state == ReportState.IN_MARKING
    (again,) = _open(report)
    assert again.reviewer == mark.reviewer and again.version.number == 2


def test_organiser_reallocates_in_bulk_to_someone_else(marking, small_tree, make_user, superuser):
    first = make_user(R, small_tree.hanoi)
    submit(marking, "Lan")
    submit(marking, "Chi")
    second = make_user(R, small_tree.hanoi)
    ids = list(Report.objects.filter(assignment=marking.assignment).values_list("pk", flat=True))
    assert services.reports_allocate(actor=superuser, assignment=marking.assignment, report_ids=ids) == 2
    assert set(Marking.objects.filter(state=MarkingState.ALLOCATED).values_list("reviewer", flat=True)) == {
        second.pk
    }
    assert Marking.objects.filter(reviewer=first, state=MarkingState.WITHDRAWN).count() == 2
    outsider = make_user(R, small_tree.hcm)
    with pytest.raises(MarkingError) as refused:
        services.reports_allocate(
            actor=superuser, assignment=marking.assignment, report_ids=ids, reviewer=outsider
        )
    assert refused.value.code == "ineligible_reviewer"


def test_results_are_released_per_unit(marking, small_tree, make_user, superuser):
    reviewer = make_user(R, small_tree.national)
    submit(marking, "Lan")
    submit(marking, "Dũng")
    for mark in Marking.objects.filter(reviewer=reviewer):
        services.marking_save(
            actor=reviewer, marking_id=mark.pk, levels=levels_for(marking.assignment, [3, 2]), comments={}
        )
    assert (
        services.results_release(actor=superuser, assignment=marking.assignment, unit=small_tree.hanoi) == 1
    )
    assert _report(marking, "Lan").state == ReportState.RELEASED
    assert _report(marking, "Dũng").state == ReportState.MARKED


def test_a_copied_report_is_flagged_for_its_reviewer_and_an_honest_one_is_not(
    marking, small_tree, make_user, client, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from hoinghi.learning_reports.models import SimilarityFlag

    reviewer = make_user(R, small_tree.hanoi)
    original = (
        "Công đoàn cơ sở cần chăm lo đời sống việc làm thu nhập của đoàn viên và người lao động "
        "tại doanh nghiệp ngoài nhà nước trong giai đoạn mới, thương lượng thoả ước lao động tập thể"
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit(marking, "Chi", text=original)
    copied = original.replace("thoả ước", "thỏa ước").upper() + " và tôi sẽ thực hiện ngay"  # tone mark, case
    with django_capture_on_commit_callbacks(execute=True):
        submit(marking, "Lan", text=copied)
    honest = (
        "Tôi tâm đắc mục tiêu “kết nạp hai triệu đoàn viên mới đến năm 2023” và sẽ cùng ban chấp hành "
        "khảo sát các doanh nghiệp trên địa bàn quận để thành lập công đoàn cơ sở mới"
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit(marking, "Bình", text=honest)
    flag = SimilarityFlag.objects.get()
    assert {
        flag.version.report.invitation.person.given_name,
        flag.other_version.report.invitation.person.given_name,
    } == {"Chi", "Lan"}
    assert flag.containment > 0.7
    client.force_login(reviewer)
    lan = Marking.objects.get(report__invitation=marking.invitations["Lan"])
    page = client.get(reverse("learning_reports:mark", args=[lan.pk])).content.decode()
    assert 'id="similarity-flags"' in page and marking.invitations["Chi"].person.full_name in page
