import pytest

from hoinghi.core.errors import NotFoundError
from hoinghi.core.models import AuditEntry
from hoinghi.core.permissions import PermissionDeniedError
from hoinghi.resolutions import services
from hoinghi.resolutions.errors import ResolutionsError, ResolutionsErrorCode
from hoinghi.resolutions.models import SubmissionState


@pytest.fixture
def submit(reporting, superuser):
    def send(unit, actor=None):
        return services.submission_submit(
            actor=actor or superuser, dataset=reporting.dataset, unit=unit, period=reporting.year
        )

    return send


def code_of(call) -> str:
    with pytest.raises(ResolutionsError) as refused:
        call()
    return refused.value.code


def test_a_parent_is_not_approvable_before_all_its_children(small_tree, reporting, enter, submit, superuser):
    enter(small_tree.ba_dinh, {"workers": 5})
    district = submit(small_tree.ba_dinh)
    assert code_of(lambda: services.submission_approve(actor=superuser, submission=district)) == (
        ResolutionsErrorCode.CHILDREN_NOT_APPROVED
    )
    child = submit(small_tree.grassroots_a)
    services.submission_approve(actor=superuser, submission=child)
    approved = services.submission_approve(actor=superuser, submission=district)
    assert approved.state == SubmissionState.APPROVED and approved.is_locked


def test_approval_locks_entry_and_unlocking_needs_a_reason(small_tree, reporting, enter, submit, superuser):
    enter(small_tree.grassroots_a, {"workers": 5})
    submission = services.submission_approve(actor=superuser, submission=submit(small_tree.grassroots_a))
    assert code_of(lambda: enter(small_tree.grassroots_a, {"workers": 6})) == ResolutionsErrorCode.LOCKED
    assert code_of(
        lambda: services.submission_unlock(actor=superuser, submission=submission, reason=" ")
    ) == (ResolutionsErrorCode.REASON_REQUIRED)
    reopened = services.submission_unlock(actor=superuser, submission=submission, reason="Sai số lao động")
    assert reopened.state == SubmissionState.RETURNED and not reopened.is_locked
    assert reopened.comment == "Sai số lao động"
    enter(small_tree.grassroots_a, {"workers": 6})
    assert AuditEntry.objects.filter(
        type="resolutions.submission.unlocked", data__reason="Sai số lao động"
    ).exists()


def test_a_submitted_report_is_locked_until_returned_with_a_comment(
    small_tree, reporting, enter, submit, superuser
):
    submission = submit(small_tree.grassroots_a)
    assert code_of(lambda: enter(small_tree.grassroots_a, {"workers": 6})) == ResolutionsErrorCode.LOCKED
    assert code_of(
        lambda: services.submission_return(actor=superuser, submission=submission, comment="")
    ) == (ResolutionsErrorCode.COMMENT_REQUIRED)
    returned = services.submission_return(actor=superuser, submission=submission, comment="Thiếu số liệu")
    assert returned.state == SubmissionState.RETURNED
    enter(small_tree.grassroots_a, {"workers": 6})
    assert submit(small_tree.grassroots_a).state == SubmissionState.SUBMITTED


def test_a_child_cannot_be_unlocked_under_an_approved_parent(small_tree, reporting, submit, superuser):
    child = services.submission_approve(actor=superuser, submission=submit(small_tree.grassroots_a))
    services.submission_approve(actor=superuser, submission=submit(small_tree.ba_dinh))
    assert code_of(lambda: services.submission_unlock(actor=superuser, submission=child, reason="Sửa")) == (
        ResolutionsErrorCode.PARENT_APPROVED
    )


def test_the_level_above_approves_and_a_unit_never_approves_itself(small_tree, reporting, submit, reporter):
    district_reporter = reporter(small_tree.ba_dinh)
    own = submit(small_tree.ba_dinh, actor=district_reporter)
    child = submit(small_tree.grassroots_a, actor=district_reporter)
    services.submission_approve(actor=district_reporter, submission=child)
    with pytest.raises(PermissionDeniedError):
        services.submission_approve(actor=district_reporter, submission=own)
    with pytest.raises(NotFoundError):  # another province's report is not even there
        services.submission_approve(actor=district_reporter, submission=submit(small_tree.grassroots_b))
