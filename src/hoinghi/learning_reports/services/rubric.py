"""The rubric of an assignment and its grade bands: set by whoever organises the conference."""

from django.db import transaction
from django.utils.translation import gettext as _

from hoinghi.core.models import audit
from hoinghi.core.permissions import require
from hoinghi.learning_reports.errors import RubricError, RubricErrorCode
from hoinghi.learning_reports.models import (
    DEFAULT_BAND_THRESHOLDS,
    Assignment,
    BandThreshold,
    Criterion,
    CriterionLevel,
    GradeBand,
    Marking,
)


def _invalid() -> RubricError:
    return RubricError(
        _("Mỗi tiêu chí cần tên và ít nhất hai mức, mỗi mức có tên và số điểm (0–1000)."),
        code=RubricErrorCode.INVALID,
    )


def _clean_criteria(criteria: list[dict]) -> list[dict]:
    cleaned = []
    for criterion in criteria:
        title = " ".join(str(criterion.get("title", "")).split())
        levels = criterion.get("levels") or []
        if not title or len(title) > 300 or len(levels) < 2:
            raise _invalid()
        rows = []
        for level in levels:
            label = " ".join(str(level.get("label", "")).split())
            points = level.get("points")
            if not label or len(label) > 300 or not isinstance(points, int) or not 0 <= points <= 1000:
                raise _invalid()
            rows.append({"label": label, "points": points})
        cleaned.append({"title": title, "description": str(criterion.get("description", "")), "levels": rows})
    if not cleaned:
        raise _invalid()
    return cleaned


def _clean_bands(bands: dict[str, int] | None) -> dict[str, int]:
    bands = dict(DEFAULT_BAND_THRESHOLDS if bands is None else bands)
    values = list(bands.values())
    if (
        set(bands) != set(GradeBand.values)
        or any(not isinstance(v, int) or not 0 <= v <= 100 for v in values)
        or len(set(values)) != len(values)
        or bands[GradeBand.FAIL] != 0
        or [bands[b] for b in GradeBand.values] != sorted(values, reverse=True)
    ):
        raise RubricError(
            _("Mỗi xếp loại cần một ngưỡng riêng từ 0 đến 100, giảm dần từ “Xuất sắc” đến “Chưa đạt” (0)."),
            code=RubricErrorCode.BANDS,
        )
    return bands


@transaction.atomic
def rubric_set(
    *, actor, assignment: Assignment, criteria: list[dict], bands: dict[str, int] | None = None
) -> None:
    """Replace the assignment's rubric: `criteria` is [{"title", "description", "levels":
    [{"label", "points"}]}] in order; `bands` maps every `GradeBand` to its lowest percentage
    (None: the defaults). Refused once any report has been marked with it (the marks would no
    longer add up). Raises `RubricError` (`invalid`, `bands`) and `MarkingError`."""
    require(actor, "conferences.change", assignment.conference)
    cleaned, thresholds = _clean_criteria(criteria), _clean_bands(bands)
    if Marking.objects.filter(report__assignment=assignment, scores__isnull=False).exists():
        raise RubricError(
            _("Đã có bài được chấm theo thang điểm này: không sửa được nữa."), code=RubricErrorCode.IN_USE
        )
    Criterion.objects.filter(assignment=assignment).delete()
    BandThreshold.objects.filter(assignment=assignment).delete()
    for order, criterion in enumerate(cleaned, start=1):
        row = Criterion.objects.create(
            assignment=assignment, order=order, title=criterion["title"], description=criterion["description"]
        )
        CriterionLevel.objects.bulk_create(
            CriterionLevel(criterion=row, order=n, label=level["label"], points=level["points"])
            for n, level in enumerate(criterion["levels"], start=1)
        )
    BandThreshold.objects.bulk_create(
        BandThreshold(assignment=assignment, band=band, min_percent=min_percent)
        for band, min_percent in thresholds.items()
    )
    audit(
        actor=actor,
        type="learning_reports.rubric.set",
        obj=assignment,
        unit_path=assignment.conference.organising_unit.path,
        criteria=len(cleaned),
        bands=thresholds,
    )
