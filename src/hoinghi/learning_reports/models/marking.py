"""Marking: the assignment's rubric (criteria with levels and points, grade bands) and the
markings of reports by reviewers, one per (version, round), with a score per criterion.

The computation is in `grading` (docs/architecture.md, "Marking"): a marking's total is the sum of
its chosen levels' points; the band is the highest whose threshold the percentage of the maximum
reaches.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoinghi.core.models import TimeStampedModel
from hoinghi.learning_reports.models.reports import Assignment, Report, ReportVersion


class GradeBand(models.TextChoices):
    EXCELLENT = "excellent", _("Xuất sắc")
    GOOD = "good", _("Tốt")
    FAIR = "fair", _("Khá")
    PASS = "pass", _("Đạt")
    FAIL = "fail", _("Chưa đạt")


# The bands an assignment gets unless its organiser sets others: the lowest percentage of the
# maximum each needs. "Chưa đạt" needs nothing, so every total has a band.
DEFAULT_BAND_THRESHOLDS = {
    GradeBand.EXCELLENT: 90,
    GradeBand.GOOD: 80,
    GradeBand.FAIR: 65,
    GradeBand.PASS: 50,
    GradeBand.FAIL: 0,
}


class Criterion(models.Model):
    """One criterion of an assignment's rubric ("Nắm được nội dung cơ bản của nghị quyết")."""

    SCOPE_PATH = "assignment__conference__organising_unit__path"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(_("tiêu chí"), max_length=300)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        ordering = ["assignment", "order"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "order"], name="criterion_order_once"),
            models.CheckConstraint(condition=~Q(title=""), name="criterion_has_title"),
        ]

    def __str__(self) -> str:
        return self.title


class CriterionLevel(models.Model):
    """A level a reviewer may choose for a criterion, worth `points`."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="levels")
    order = models.PositiveSmallIntegerField()
    label = models.CharField(_("mức"), max_length=300)
    points = models.PositiveSmallIntegerField(_("điểm"))

    class Meta:
        ordering = ["criterion", "order"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "order"], name="criterion_level_order_once"),
            models.CheckConstraint(condition=~Q(label=""), name="criterion_level_has_label"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.points})"


class BandThreshold(models.Model):
    """The lowest percentage of the rubric's maximum a band needs, for one assignment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="band_thresholds")
    band = models.CharField(_("xếp loại"), max_length=20, choices=GradeBand.choices)
    min_percent = models.PositiveSmallIntegerField(_("từ (% điểm tối đa)"))

    class Meta:
        ordering = ["assignment", "-min_percent"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "band"], name="band_once_per_assignment"),
            models.UniqueConstraint(fields=["assignment", "min_percent"], name="band_threshold_once"),
            models.CheckConstraint(condition=Q(band__in=GradeBand.values), name="band_known"),
            models.CheckConstraint(condition=Q(min_percent__lte=100), name="band_threshold_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.get_band_display()} ≥ {self.min_percent}%"


class MarkingRound(models.IntegerChoices):
    FIRST = 1, _("Chấm lần một")
    SECOND = 2, _("Chấm lần hai")
    THIRD = 3, _("Chấm lần ba")


class MarkingState(models.TextChoices):
    ALLOCATED = "allocated", _("Chờ chấm")
    MARKED = "marked", _("Đã chấm")
    RETURNED = "returned", _("Trả lại để sửa")
    WITHDRAWN = "withdrawn", _("Đã chuyển người khác")


# The markings that count: a withdrawn one (re-allocated) or a returned one (its version was
# sent back) no longer does.
LIVE_MARKING_STATES = (MarkingState.ALLOCATED, MarkingState.MARKED)


class Marking(TimeStampedModel):
    """One reviewer's marking of one version of a report, in one round (second marking: two
    rounds, and a third when they differ too much)."""

    SCOPE_PATH = "report__invitation__person__unit__path"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="markings")
    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="markings")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField(choices=MarkingRound.choices, default=MarkingRound.FIRST)
    state = models.CharField(max_length=20, choices=MarkingState.choices, default=MarkingState.ALLOCATED)
    # The unit whose reviewers it was allocated to (the nearest above the writer's with reviewers).
    unit_path = models.CharField(max_length=255, blank=True)
    points = models.PositiveIntegerField(null=True, blank=True)  # the sum of the chosen levels
    comment = models.TextField(_("nhận xét chung"), blank=True)  # or why it was returned
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "round"],
                condition=Q(state__in=["allocated", "marked"]),
                name="one_live_marking_per_round",
            ),
            models.CheckConstraint(condition=Q(state__in=MarkingState.values), name="marking_state_known"),
            models.CheckConstraint(condition=Q(round__in=[1, 2, 3]), name="marking_round_known"),
            models.CheckConstraint(
                condition=~Q(state="marked") | Q(points__isnull=False, marked_at__isnull=False),
                name="marking_marked_has_points",
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "state"], name="marking_reviewer_state")]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.version_id} r{self.round}"


class Score(models.Model):
    """The level a marking chose for one criterion, with the reviewer's comment on it."""

    marking = models.ForeignKey(Marking, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    level = models.ForeignKey(CriterionLevel, on_delete=models.CASCADE, related_name="+")
    comment = models.TextField(_("nhận xét"), blank=True)

    class Meta:
        ordering = ["marking", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["marking", "criterion"], name="one_score_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.marking_id}/{self.criterion_id}"


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Chờ xem xét")
    CONFIRMED = "confirmed", _("Xác nhận sao chép")
    DISMISSED = "dismissed", _("Không phải sao chép")


class SimilarityFlag(models.Model):
    """A submitted version sharing long passages with another report's version or with a
    reference text of the assignment (similarity/): advice for the reviewer, who confirms or
    dismisses it with a reason (services/similarity.py)."""

    SCOPE_PATH = "version__report__invitation__person__unit__path"

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="similarity_flags")
    # The source: another report's version, or a reference text named here (the resolution, a
    # material): exactly one of the two.
    other_version = models.ForeignKey(
        ReportVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reference = models.CharField(max_length=300, blank=True)
    containment = models.FloatField()  # share of the version's shingles found in the source
    other_containment = models.FloatField()  # and the other way round
    status = models.CharField(max_length=20, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    reason = models.TextField(_("lý do"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "other_version"],
                condition=Q(other_version__isnull=False),
                name="similarity_flag_once",
            ),
            models.UniqueConstraint(
                fields=["version", "reference"],
                condition=~Q(reference=""),
                name="similarity_flag_reference_once",
            ),
            models.CheckConstraint(
                condition=~Q(version=models.F("other_version")), name="similarity_flag_not_itself"
            ),
            models.CheckConstraint(
                condition=(Q(other_version__isnull=False) & Q(reference=""))
                | (Q(other_version__isnull=True) & ~Q(reference="")),
                name="similarity_flag_one_source",
            ),
            models.CheckConstraint(
                condition=Q(status__in=FlagStatus.values), name="similarity_flag_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | (~Q(reason="") & Q(decided_at__isnull=False)),
                name="similarity_flag_decided_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version_id}~{self.other_version_id or self.reference}"


class VersionShingles(models.Model):
    """A submitted version's sample of shingles as the copied-text detector hashes it
    (similarity/hashing.py: its distinct sampled shingle hashes, sorted, 6 bytes each): the
    assignment's index is read back from these rows instead of folding and hashing every report
    again. Made from the text by the check of the version, or of a later one, and by the whole
    pass; a row of another `algorithm` (hashing.SIGNATURE_VERSION) is made again. Versions are
    never changed, so neither is a row of the current algorithm."""

    version = models.OneToOneField(
        ReportVersion, primary_key=True, on_delete=models.CASCADE, related_name="shingles"
    )
    algorithm = models.CharField(max_length=40)
    sample = models.BinaryField()

    def __str__(self) -> str:
        return f"{self.version_id}: {self.algorithm}, {len(self.sample) // 6} shingles"


class SimilarityRunStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang so sánh")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Lỗi")


class SimilarityRun(models.Model):
    """A pass of the copied-text check over every submitted report of an assignment, run as a
    background task (tasks.similarity_run) that reports its progress here."""

    SCOPE_PATH = "assignment__conference__organising_unit__path"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="similarity_runs")
    status = models.CharField(
        max_length=20, choices=SimilarityRunStatus.choices, default=SimilarityRunStatus.QUEUED
    )
    reports = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)  # of `total` steps
    total = models.PositiveIntegerField(default=0)
    flags = models.PositiveIntegerField(default=0)  # new flags
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status__in=["queued", "running"]),
                name="one_similarity_run_at_a_time",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SimilarityRunStatus.values), name="similarity_run_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.status} {self.done}/{self.total}"
