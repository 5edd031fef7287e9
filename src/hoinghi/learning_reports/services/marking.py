"""Marking by the hierarchy: allocation, the reviewer's marks, return for revision, release.

States of a report: submitted → in marking (allocated) → marked (the result reconciled) →
released (per unit, by an organiser); returned for revision is a branch back to the writer, whose
next submission is a new version allocated again (to the reviewer who returned it when still
eligible). Every change is audited.

**Races.** Two reviewers of one report (second marking) may save at the same moment, and an
organiser may re-allocate while a reviewer saves: each service locks the report's row
(`select_for_update`) before reading its markings, so the result is concluded once, from every
mark, and a withdrawn marking cannot be saved.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.core import live
from hoinghi.core.errors import NotFoundError
from hoinghi.core.models import audit
from hoinghi.core.permissions import can, require, scope
from hoinghi.learning_reports import grading
from hoinghi.learning_reports.errors import MarkingError, MarkingErrorCode
from hoinghi.learning_reports.events import topic
from hoinghi.learning_reports.models import (
    DEFAULT_BAND_THRESHOLDS,
    Assignment,
    BandThreshold,
    Criterion,
    CriterionLevel,
    Marking,
    MarkingRound,
    MarkingState,
    Report,
    ReportState,
    Score,
)
from hoinghi.learning_reports.services import allocation

MARK, ALLOCATE, RELEASE = "learning_reports.mark", "learning_reports.allocate", "learning_reports.release"
COMMENT_MAX = 5000


def _path(report: Report) -> str:
    return report.invitation.person.unit.path


def _locked_report(pk: int) -> Report:
    return (
        Report.objects.select_for_update().select_related("invitation__person__unit", "assignment").get(pk=pk)
    )


def report_allocate_on_submit(*, report: Report) -> list[Marking]:
    """Allocate a report just submitted (inside report_submit's transaction, its row locked):
    a resubmission goes first to whoever returned it. The bulk allocation with one report."""
    made = allocation.allocate(
        actor=None,
        assignment=report.assignment,
        reports=Report.objects.filter(pk=report.pk),
        prefer_returned=True,
    )
    if made and report.state == ReportState.SUBMITTED:
        report.state = ReportState.IN_MARKING
    return made


@transaction.atomic
def reports_allocate(*, actor, assignment: Assignment, report_ids=None, reviewer=None) -> int:
    """(Re-)allocate reports of the assignment in the actor's scope: those submitted and waiting
    (`report_ids` None), or the given ones in marking, whose open markings are withdrawn and
    allocated anew — to `reviewer` when given (who must be eligible), else by the tree, to
    someone else than before. Returns how many were allocated. Raises `MarkingError`
    (`ineligible_reviewer`: then nothing changes).

    In bulk (services/allocation.py): the reports' rows are locked and everything is read and
    written in a number of queries that does not grow with the number of reports."""
    reports = scope(actor, ALLOCATE, Report.objects.filter(assignment=assignment))
    if report_ids is None:
        reports = reports.filter(state=ReportState.SUBMITTED)
    else:
        reports = reports.filter(
            pk__in=list(report_ids), state__in=[ReportState.SUBMITTED, ReportState.IN_MARKING]
        )
    made = allocation.allocate(actor=actor, assignment=assignment, reports=reports, reviewer=reviewer)
    live.publish_on_commit(topic(assignment.conference_id))
    return len({marking.report_id for marking in made})


def _rubric(assignment: Assignment) -> dict[int, dict[int, CriterionLevel]]:
    levels: dict[int, dict[int, CriterionLevel]] = {}
    for criterion in Criterion.objects.filter(assignment=assignment):
        levels[criterion.pk] = {}
    for level in CriterionLevel.objects.filter(criterion__assignment=assignment):
        levels[level.criterion_id][level.pk] = level
    return levels


def band_thresholds(*, assignment: Assignment) -> list[tuple[str, int]]:
    rows = list(BandThreshold.objects.filter(assignment=assignment).values_list("band", "min_percent"))
    return rows or [(str(band), n) for band, n in DEFAULT_BAND_THRESHOLDS.items()]


def rubric_maximum(*, assignment: Assignment) -> int:
    levels = _rubric(assignment)
    return grading.maximum({c: [lv.points for lv in by_id.values()] for c, by_id in levels.items()})


def _open_marking(actor, marking_id: int) -> tuple[Report, Marking]:
    """The actor's marking, its report locked; not found outside what they may mark."""
    marking = Marking.objects.filter(pk=marking_id, reviewer=actor.pk).first() if actor else None
    if marking is None:
        raise NotFoundError(_("Không tìm thấy."), code="not_found")
    report = _locked_report(marking.report_id)
    require(actor, MARK, report)
    marking = Marking.objects.select_for_update().get(pk=marking.pk)
    if marking.state != MarkingState.ALLOCATED:
        raise MarkingError(
            _("Lượt chấm này đã kết thúc (“%(state)s”)."),
            code=MarkingErrorCode.NOT_OPEN,
            params={"state": marking.get_state_display()},
        )
    return report, marking


@transaction.atomic
def marking_save(
    *, actor, marking_id: int, levels: dict[int, int], comments: dict[int, str], comment: str = ""
) -> Marking:
    """Record the actor's marks: a level for every criterion of the rubric (`levels`:
    criterion id → level id), a comment per criterion, an overall comment. Then conclude the
    report when its marks are all in (second marking: a third marker when they differ too much).
    Locks the report (two markers may save at once). Raises `NotFoundError`, `MarkingError`
    (`not_open`, `no_rubric`, `incomplete`, `wrong_level`)."""
    report, marking = _open_marking(actor, marking_id)
    rubric = _rubric(report.assignment)
    if not rubric:
        raise MarkingError(_("Yêu cầu viết bài chưa có thang điểm."), code=MarkingErrorCode.NO_RUBRIC)
    missing = [c for c in rubric if c not in levels]
    if missing:
        raise MarkingError(
            _("Hãy chọn một mức cho mọi tiêu chí (còn %(n)s tiêu chí chưa chọn)."),
            code=MarkingErrorCode.INCOMPLETE,
            params={"n": len(missing)},
        )
    if any(levels[c] not in rubric[c] for c in rubric) or set(levels) - set(rubric):
        raise MarkingError(_("Mức đã chọn không thuộc tiêu chí."), code=MarkingErrorCode.WRONG_LEVEL)
    now = timezone.now()
    Score.objects.bulk_create(
        Score(
            marking=marking,
            criterion_id=c,
            level_id=levels[c],
            comment=str(comments.get(c, ""))[:COMMENT_MAX],
        )
        for c in rubric
    )
    marking.points = sum(rubric[c][levels[c]].points for c in rubric)
    marking.comment, marking.marked_at, marking.state = comment[:COMMENT_MAX], now, MarkingState.MARKED
    marking.save(update_fields=["points", "comment", "marked_at", "state", "updated_at"])
    audit(
        actor=actor,
        type="learning_reports.report.marked",
        obj=report,
        unit_path=_path(report),
        marking=marking.pk,
        round=marking.round,
        points=marking.points,
    )
    _conclude(report, actor=actor, now=now)
    live.publish_on_commit(topic(report.assignment.conference_id))
    return marking


def _conclude(report: Report, *, actor, now) -> None:
    """The result when every mark of the latest version is in (the report's row is locked)."""
    assignment = report.assignment
    live_markings = list(
        report.markings.filter(
            state__in=[MarkingState.ALLOCATED, MarkingState.MARKED], version__number=report.versions.count()
        ).order_by("round")
    )
    if any(m.state == MarkingState.ALLOCATED for m in live_markings):
        return
    marks = [m.points for m in live_markings]
    maximum = rubric_maximum(assignment=assignment)
    if assignment.has_second_marking and len(marks) == 1:
        return  # the second round is not allocated yet (no eligible reviewer): wait for an organiser
    if (
        assignment.has_second_marking
        and len(marks) == 2
        and grading.needs_third_marker(marks[0], marks[1], maximum, assignment.third_marker_gap)
    ):
        # The two who marked are excluded: they marked the latest version.
        made = allocation.allocate(
            actor=actor,
            assignment=assignment,
            reports=Report.objects.filter(pk=report.pk),
            rounds=[MarkingRound.THIRD],
        )
        audit(
            actor=actor,
            type="learning_reports.report.third_marker_called",
            obj=report,
            unit_path=_path(report),
            marks=marks,
            allocated=bool(made),
        )
        return
    report.total = grading.reconcile(marks)
    report.band = grading.band_for(report.total, maximum, band_thresholds(assignment=assignment))
    report.state, report.marked_at = ReportState.MARKED, now
    report.save(update_fields=["total", "band", "state", "marked_at", "updated_at"])
    audit(
        actor=actor,
        type="learning_reports.report.result_concluded",
        obj=report,
        unit_path=_path(report),
        marks=marks,
        total=str(report.total),
        band=report.band,
    )


@transaction.atomic
def report_return(*, actor, marking_id: int, comment: str) -> Report:
    """Return the report to its writer for revision, saying why: every open or done marking of
    this version ends (returned), the writer may change the draft and submit a new version.
    Raises `NotFoundError`, `MarkingError` (`not_open`, `comment_required`)."""
    report, marking = _open_marking(actor, marking_id)
    comment = comment.strip()
    if not comment:
        raise MarkingError(_("Hãy ghi rõ những gì cần sửa."), code=MarkingErrorCode.COMMENT_REQUIRED)
    marking.comment = comment[:COMMENT_MAX]
    marking.save(update_fields=["comment", "updated_at"])
    report.markings.filter(
        version=marking.version, state__in=[MarkingState.ALLOCATED, MarkingState.MARKED]
    ).update(state=MarkingState.RETURNED, updated_at=timezone.now())
    report.state = ReportState.RETURNED
    report.save(update_fields=["state", "updated_at"])
    audit(
        actor=actor,
        type="learning_reports.report.returned",
        obj=report,
        unit_path=_path(report),
        marking=marking.pk,
        version=marking.version.number,
    )
    live.publish_on_commit(topic(report.assignment.conference_id))
    return report


@transaction.atomic
def results_release(*, actor, assignment: Assignment, unit) -> int:
    """Release the results of the marked reports of `unit`'s subtree: their writers see marks
    and comments. Reports not yet marked stay as they are. Returns how many were released.
    Raises `NotFoundError`/`PermissionDeniedError` outside the actor's reach."""
    require(actor, RELEASE, unit)
    now = timezone.now()
    reports = scope(
        actor,
        RELEASE,
        Report.objects.select_for_update().filter(
            assignment=assignment, state=ReportState.MARKED, invitation__person__unit__path__under=unit.path
        ),
    )
    ids = list(reports.values_list("pk", flat=True))
    Report.objects.filter(pk__in=ids).update(state=ReportState.RELEASED, released_at=now, updated_at=now)
    audit(
        actor=actor,
        type="learning_reports.results.released",
        obj=assignment,
        unit_path=unit.path,
        reports=len(ids),
    )
    live.publish_on_commit(topic(assignment.conference_id))
    return len(ids)


def may_allocate(*, actor, assignment: Assignment) -> bool:
    return can(actor, ALLOCATE, assignment.conference.organising_unit.path)
