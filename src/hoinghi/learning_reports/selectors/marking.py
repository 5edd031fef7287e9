"""Reviewers' reads (their queue and the marking page, within `MARK` on the writer's unit) and
what the writer sees of the marking once it is released or returned.
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import QuerySet

from hoinghi.core.permissions import scope
from hoinghi.learning_reports.models import (
    Assignment,
    Criterion,
    GradeBand,
    Marking,
    MarkingState,
    Report,
    ReportState,
)
from hoinghi.learning_reports.selectors.reports import MARK, not_found
from hoinghi.learning_reports.selectors.similarity import flags_of_version
from hoinghi.learning_reports.selectors.writing import sections_in_order
from hoinghi.learning_reports.texts import word_diff


def marking_queue(*, actor) -> QuerySet[Marking]:
    """The actor's markings within what they may mark (`learning_reports.mark` on the writer's
    unit): open ones first, oldest first; then the done ones, newest first."""
    markings = scope(actor, MARK, Marking.objects.filter(reviewer=actor.pk))
    return markings.select_related(
        "report__invitation__person__unit", "report__assignment__conference", "version"
    ).order_by(
        models.Case(models.When(state=MarkingState.ALLOCATED, then=0), default=1),
        "created_at",
        "pk",
    )


def marking_get(*, actor, pk: int) -> Marking:
    """One of the actor's markings; `NotFoundError` for anyone else's, or outside their subtree."""
    marking = marking_queue(actor=actor).filter(pk=pk).first()
    if marking is None:
        raise not_found()
    return marking


def rubric_of(*, assignment: Assignment) -> list[Criterion]:
    """The criteria in order, each with its levels in `level_list`."""
    criteria = list(
        Criterion.objects.filter(assignment=assignment).prefetch_related("levels").order_by("order")
    )
    for criterion in criteria:
        criterion.level_list = list(criterion.levels.all())
    return criteria


@dataclass
class MarkingPage:
    """What the marking page shows: the version's sections, and for a revised report the
    word-level diff from the previous version, section by section."""

    sections: list[tuple[str, str]]
    changes: list[tuple[str, str]]  # (title, HTML with <ins>/<del>)
    plans: list
    rubric: list[Criterion]
    scores: dict[int, object]  # criterion id -> Score, once marked
    returns: list[Marking]  # earlier versions returned, with the reviewers' comments
    flags: list = field(default_factory=list)  # FlagRow: copied text (flags_of_version)

    @property
    def scored(self) -> list[tuple[Criterion, object]]:
        return [(criterion, self.scores.get(criterion.pk)) for criterion in self.rubric]


def marking_page(*, marking: Marking) -> MarkingPage:
    assignment = marking.report.assignment
    version = marking.version
    sections = sections_in_order(assignment=assignment, sections=version.sections)
    changes = []
    previous = marking.report.versions.filter(number=version.number - 1).first()
    if previous is not None:
        keys = [key for key in assignment.section_keys if key in version.sections or key in previous.sections]
        titles = {section["key"]: section["title"] for section in assignment.sections}
        changes = [
            (titles[key], word_diff(previous.sections.get(key, ""), version.sections.get(key, "")))
            for key in keys
        ]
    returns = list(
        marking.report.markings.filter(state=MarkingState.RETURNED, version__number__lt=version.number)
        .exclude(comment="")
        .select_related("version")
        .order_by("version__number")
    )
    flags = flags_of_version(version=version)
    return MarkingPage(
        flags=flags,
        sections=sections,
        changes=changes,
        plans=list(version.plan_items.all()),
        rubric=rubric_of(assignment=assignment),
        scores={score.criterion_id: score for score in marking.scores.select_related("level")},
        returns=returns,
    )


# --- The writer's results ---------------------------------------------------------------------------------


@dataclass
class WriterResult:
    """What the writer sees of the marking: once released, the result and every mark's levels and
    comments (no reviewer named); when returned, why."""

    report: Report
    released: bool
    markings: list[Marking]
    rubric: list[Criterion]
    return_comment: str = ""

    @property
    def maximum(self) -> int:
        """The rubric's maximum: the most points of each criterion, added."""
        return sum(max((level.points for level in c.level_list), default=0) for c in self.rubric)

    @property
    def band_label(self) -> str:
        return str(GradeBand(self.report.band).label) if self.report.band else ""


def writer_result(*, report: Report | None) -> WriterResult | None:
    if report is None or report.state not in (ReportState.RELEASED, ReportState.RETURNED):
        return None
    if report.state == ReportState.RETURNED:
        returned = (
            report.markings.filter(state=MarkingState.RETURNED).exclude(comment="").order_by("-updated_at")
        )
        comment = returned.values_list("comment", flat=True).first() or ""
        return WriterResult(report=report, released=False, markings=[], rubric=[], return_comment=comment)
    latest = report.versions.order_by("-number").first()
    markings = list(
        report.markings.filter(state=MarkingState.MARKED, version=latest)
        .prefetch_related("scores__level")
        .order_by("round")
    )
    rubric = rubric_of(assignment=report.assignment)
    for marking in markings:
        scores = {score.criterion_id: score for score in marking.scores.all()}
        # (criterion, the score it got, the most it could get), in the rubric's order
        marking.scored = [
            (
                criterion,
                scores[criterion.pk],
                max((level.points for level in criterion.level_list), default=0),
            )
            for criterion in rubric
            if criterion.pk in scores
        ]
    return WriterResult(report=report, released=True, markings=markings, rubric=rubric)
