"""A unit's report on its way up: submitted by the unit, returned with a comment or approved by
the level above (only once every child that reports the data set is approved), unlocked again
only with a reason and only while the level above has not approved its own report."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.core.models import audit
from hoinghi.core.permissions import PermissionDeniedError, can, require
from hoinghi.orgs.models import Unit
from hoinghi.resolutions import events
from hoinghi.resolutions.errors import ResolutionsError, ResolutionsErrorCode
from hoinghi.resolutions.models import EntryReopening, Submission, SubmissionState
from hoinghi.resolutions.selectors import dataset_unit_q
from hoinghi.resolutions.services.counts import report_counted
from hoinghi.resolutions.services.values import entry_check, submissions_lock
from hoinghi.resolutions.services.windows import window_check


def _approver_target(unit: Unit) -> str:
    """Where approving `unit` is decided: its parent's path (the level above), or its own at a root."""
    return unit.parent.path if unit.parent_id else unit.path


def _require_approver(actor, submission: Submission | Unit) -> None:
    """A report (or unit) outside what the actor sees is not found; one they see but whose
    unit's level above they may not approve at (their own unit's report) is forbidden."""
    require(actor, "resolutions.view", submission)
    unit = submission if isinstance(submission, Unit) else submission.unit
    if not can(actor, "resolutions.approve", _approver_target(unit)):
        raise PermissionDeniedError(
            _("Chỉ cấp trên của đơn vị mới duyệt, trả lại hoặc mở khóa báo cáo này."), code="forbidden"
        )


def _locked(submission: Submission) -> Submission:
    """The submission's row, locked (`select_for_update`) and read again."""
    # of=("self",): the unit's parent is an outer join (a root has none), which PostgreSQL
    # refuses to lock; the submission's row is the lock anyway.
    related = Submission.objects.select_related("unit", "unit__parent", "dataset", "period")
    return related.select_for_update(of=("self",)).get(pk=submission.pk)


def _wrong_state(submission: Submission) -> ResolutionsError:
    return ResolutionsError(
        _("Báo cáo đang ở trạng thái “%(state)s”: không thực hiện được thao tác này."),
        code=ResolutionsErrorCode.WRONG_STATE,
        params={"state": submission.get_state_display()},
    )


def _record(actor, submission: Submission, verb: str, **data) -> None:
    audit(
        actor=actor,
        type=f"resolutions.submission.{verb}",
        obj=submission.unit,
        unit_path=submission.unit.path,
        dataset=submission.dataset.code,
        period=submission.period.code,
        **data,
    )
    events.values_changed_on_commit(submission.dataset.resolution_id)


@transaction.atomic
def submission_submit(*, actor, dataset, unit: Unit, period) -> Submission:
    """Send a unit's report of a period to the level above; its values are then locked.

    Raises NotFoundError/PermissionDeniedError unless the actor may enter the unit's data, and
    ResolutionsError (wrong_period, not_assigned, not_open_yet or closed outside the period's
    window, wrong_state unless a draft or returned).
    """
    require(actor, "resolutions.enter", unit)
    entry_check(dataset=dataset, unit=unit, period=period)
    window_check(dataset=dataset, unit=unit, period=period)
    submission = submissions_lock(dataset=dataset, period=period, unit_ids=[unit.pk])[unit.pk]
    if not submission.is_open:
        raise _wrong_state(submission)
    before = (submission.state, submission.submitted_at)
    submission.state = SubmissionState.SUBMITTED
    submission.submitted_at, submission.submitted_by = timezone.now(), actor
    submission.save(update_fields=["state", "submitted_at", "submitted_by", "updated_at"])
    report_counted(submission=submission, unit=unit, before=before)
    submission.unit = unit
    _record(actor, submission, "submitted")
    return submission


@transaction.atomic
def submission_return(*, actor, submission: Submission, comment: str) -> Submission:
    """Return a submitted report to its unit with the level above's comment (required).

    Raises NotFoundError/PermissionDeniedError unless the actor may approve at the level above,
    ResolutionsError (comment_required; wrong_state unless submitted).
    """
    submission = _locked(submission)
    _require_approver(actor, submission)
    if not comment.strip():
        raise ResolutionsError(
            _("Hãy ghi lý do trả lại báo cáo."), code=ResolutionsErrorCode.COMMENT_REQUIRED
        )
    if submission.state != SubmissionState.SUBMITTED:
        raise _wrong_state(submission)
    before = (submission.state, submission.submitted_at)
    submission.state, submission.comment = SubmissionState.RETURNED, comment.strip()
    submission.decided_at, submission.decided_by = timezone.now(), actor
    submission.save(update_fields=["state", "comment", "decided_at", "decided_by", "updated_at"])
    report_counted(submission=submission, unit=submission.unit, before=before)
    _record(actor, submission, "returned", comment=submission.comment)
    return submission


def _children_not_approved(submission: Submission) -> list[str]:
    """The names of the unit's direct children that report the data set and are not approved."""
    children = Unit.objects.filter(dataset_unit_q(submission.dataset), parent=submission.unit_id)
    approved = Submission.objects.filter(
        dataset=submission.dataset, period=submission.period, state=SubmissionState.APPROVED
    ).values("unit_id")
    return list(children.exclude(pk__in=approved).order_by("name_sort_key").values_list("name", flat=True))


@transaction.atomic
def submission_approve(*, actor, submission: Submission) -> Submission:
    """Approve a submitted report; approval locks the unit's values for the period.

    A unit is approved only after every child of it that reports the data set is.
    Raises NotFoundError/PermissionDeniedError unless the actor may approve at the level above,
    ResolutionsError (wrong_state unless submitted; children_not_approved naming them).
    """
    submission = _locked(submission)
    _require_approver(actor, submission)
    if submission.state != SubmissionState.SUBMITTED:
        raise _wrong_state(submission)
    waiting = _children_not_approved(submission)
    if waiting:
        raise ResolutionsError(
            _("Chưa duyệt được: %(count)s đơn vị trực thuộc chưa được duyệt (%(names)s)."),
            code=ResolutionsErrorCode.CHILDREN_NOT_APPROVED,
            params={
                "count": len(waiting),
                "names": ", ".join(waiting[:5]) + ("…" if len(waiting) > 5 else ""),
            },
        )
    before = (submission.state, submission.submitted_at)
    submission.state, submission.is_locked = SubmissionState.APPROVED, True
    submission.decided_at, submission.decided_by = timezone.now(), actor
    submission.save(update_fields=["state", "is_locked", "decided_at", "decided_by", "updated_at"])
    report_counted(submission=submission, unit=submission.unit, before=before)
    _record(actor, submission, "approved")
    return submission


@transaction.atomic
def submission_unlock(*, actor, submission: Submission, reason: str) -> Submission:
    """Reopen an approved report for correction: it goes back to its unit as returned, with the
    reason as the comment. Refused while the level above's own report is approved (unlock that
    first: an approved total must not change under it).

    Raises NotFoundError/PermissionDeniedError, ResolutionsError (reason_required, wrong_state,
    parent_approved).
    """
    submission = _locked(submission)
    _require_approver(actor, submission)
    if not reason.strip():
        raise ResolutionsError(_("Hãy ghi lý do mở khóa báo cáo."), code=ResolutionsErrorCode.REASON_REQUIRED)
    if submission.state != SubmissionState.APPROVED:
        raise _wrong_state(submission)
    if (
        submission.unit.parent_id
        and Submission.objects.filter(
            dataset=submission.dataset,
            period=submission.period,
            unit=submission.unit.parent_id,
            state=SubmissionState.APPROVED,
        ).exists()
    ):
        raise ResolutionsError(
            _("Báo cáo của cấp trên (%(parent)s) đã được duyệt; hãy mở khóa báo cáo đó trước."),
            code=ResolutionsErrorCode.PARENT_APPROVED,
            params={"parent": submission.unit.parent.name},
        )
    before = (submission.state, submission.submitted_at)
    submission.state, submission.is_locked = SubmissionState.RETURNED, False
    submission.comment = reason.strip()
    submission.decided_at, submission.decided_by = timezone.now(), actor
    submission.save(update_fields=["state", "is_locked", "comment", "decided_at", "decided_by", "updated_at"])
    report_counted(submission=submission, unit=submission.unit, before=before)
    _record(actor, submission, "unlocked", reason=submission.comment)
    return submission


@transaction.atomic
def entry_reopen(*, actor, dataset, unit: Unit, period, reason: str) -> EntryReopening:
    """Let a unit enter and submit a period's report outside its window (after the close, or
    before the opening), for a reason; the level above decides, as for an approval. A second
    call replaces the reason. Audited.

    Raises NotFoundError/PermissionDeniedError unless the actor may approve at the unit's
    level above, ResolutionsError (wrong_period, not_assigned, reason_required).
    """
    _require_approver(actor, unit)
    entry_check(dataset=dataset, unit=unit, period=period)
    if not reason.strip():
        raise ResolutionsError(
            _("Hãy ghi lý do cho phép đơn vị nhập ngoài thời hạn."), code=ResolutionsErrorCode.REASON_REQUIRED
        )
    reopening, _created = EntryReopening.objects.update_or_create(
        dataset=dataset,
        period=period,
        unit=unit,
        defaults={"reason": reason.strip(), "created_by": actor},
    )
    audit(
        actor=actor,
        type="resolutions.entry.reopened",
        obj=unit,
        unit_path=unit.path,
        dataset=dataset.code,
        period=period.code,
        reason=reopening.reason,
    )
    return reopening
