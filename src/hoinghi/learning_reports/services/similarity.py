"""Copied text: a submitted version compared with the latest version of every other submitted
report of its assignment (similarity.py); the pairs found are stored as flags for the reviewer.
Run as a background task after each submission (tasks.similarity_check)."""

from django.db import transaction

from hoinghi.core.models import audit
from hoinghi.learning_reports import similarity
from hoinghi.learning_reports.models import ReportState, ReportVersion, SimilarityFlag


def _text(version: ReportVersion) -> str:
    return "\n".join(str(text) for text in version.sections.values())


@transaction.atomic
def version_similarity_check(*, version_id: int) -> list[SimilarityFlag]:
    """Flag the other reports' latest versions sharing long passages with this version. Checking
    a version again adds nothing already flagged. Returns the new flags."""
    version = (
        ReportVersion.objects.select_related("report__invitation__person__unit").filter(pk=version_id).first()
    )
    if version is None:
        return []
    latest: dict[int, ReportVersion] = {}
    others = (
        ReportVersion.objects.filter(report__assignment_id=version.report.assignment_id)
        .exclude(report_id=version.report_id)
        .exclude(report__state=ReportState.DRAFT)
        .order_by("report_id", "number")
    )
    for other in others:
        latest[other.report_id] = other
    by_id = {other.pk: other for other in latest.values()}
    found = similarity.matches(_text(version), {pk: _text(other) for pk, other in by_id.items()})
    known = set(SimilarityFlag.objects.filter(version=version).values_list("other_version_id", flat=True))
    flags = SimilarityFlag.objects.bulk_create(
        SimilarityFlag(
            version=version,
            other_version=by_id[match.other],
            containment=match.containment,
            other_containment=match.other_containment,
        )
        for match in found
        if match.other not in known
    )
    if flags:
        audit(
            actor=None,
            type="learning_reports.report.similarity_flagged",
            obj=version.report,
            unit_path=version.report.invitation.person.unit.path,
            version=version.number,
            others=[flag.other_version.report_id for flag in flags],
        )
    return flags
