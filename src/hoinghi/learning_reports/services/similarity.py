"""Copied text: the detector (similarity/) run on an assignment's reports, its flags stored for
the reviewer, and the reviewer's decision on a flag.

- After each submission a task checks the new version against the latest version of every other
  submitted report of the assignment and against its reference texts (`version_similarity_check`).
- An organiser may run the whole pass again (`similarity_run_start`): a background task over every
  submitted report, its progress on a `SimilarityRun` row the organiser's page polls.
- A flag is advice: a reviewer of the report, or an organiser of its subtree, confirms or
  dismisses it with a reason (`similarity_flag_decide`), audited.

The reference texts are the assignment's `reference_text` (the resolution) and the text of each
of the conference's materials (.pdf, .docx, .txt); the boilerplate is the assignment's title,
prompt and section titles.

Each submitted version's sample of shingles is stored (`VersionShingles`, by its check and by the
whole pass): a worker that has just started reads an assignment's index back from those rows in
one query, and folds and hashes only the texts of the few candidates a check verifies, instead of
every report (for 25,000 reports: a fraction of a second against ten seconds).
"""

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.core import background
from hoinghi.core.models import audit
from hoinghi.core.permissions import require
from hoinghi.learning_reports import similarity
from hoinghi.learning_reports.errors import SimilarityError, SimilarityErrorCode
from hoinghi.learning_reports.models import (
    Assignment,
    FlagStatus,
    ReportState,
    ReportVersion,
    SimilarityFlag,
    SimilarityRun,
    SimilarityRunStatus,
    VersionShingles,
)
from hoinghi.learning_reports.selectors import (
    assignment_detector,
    boilerplate,
    is_reviewing_flag,
    version_text,
)
from hoinghi.learning_reports.similarity import hashing

ALLOCATE = "learning_reports.allocate"
REASON_MAX = 2000


def latest_versions(assignment_id: int) -> list[tuple[int, int, str]]:
    """(version id, report id, submitted at) of the latest version of every submitted report of
    the assignment, oldest report first. The time is the database's text of it: read on every
    check for 25,000 reports, it is only compared, and a text costs no conversion."""
    latest: dict[int, tuple] = {}
    rows = (
        ReportVersion.objects.filter(report__assignment_id=assignment_id)
        .exclude(report__state=ReportState.DRAFT)
        .order_by("report_id", "number")
        .values_list("pk", "report_id", Cast("submitted_at", CharField()))
    )
    for row in rows:
        latest[row[1]] = row
    return list(latest.values())


def _texts(version_ids: list[int], keys: list[str]) -> dict[int, str]:
    found = {}
    for start in range(0, len(version_ids), 2000):
        rows = ReportVersion.objects.filter(pk__in=version_ids[start : start + 2000]).only("pk", "sections")
        found.update((version.pk, version_text(version, keys)) for version in rows)
    return found


# --- The stored samples -------------------------------------------------------------------------


def stored_samples(assignment_id: int, version_ids: list[int]) -> dict[int, bytes]:
    """The samples stored for these versions (of the assignment) by the current algorithm, as
    stored (hashing.sample_bytes) by version id; a version without one, or with one of another
    algorithm, is left out. Many versions are read in one query over the assignment's rows."""
    rows = VersionShingles.objects.filter(algorithm=hashing.SIGNATURE_VERSION)
    if len(version_ids) > 1000:
        rows = rows.filter(version__report__assignment_id=assignment_id)
    else:
        rows = rows.filter(version_id__in=version_ids)
    wanted = set(version_ids)
    return {pk: data for pk, data in rows.values_list("version_id", "sample") if pk in wanted}


def _store_samples(samples: dict[int, bytes]) -> None:
    """Store these versions' samples (as hashing.sample_bytes, by version id), replacing one of
    another algorithm."""
    rows = [
        VersionShingles(version_id=pk, algorithm=hashing.SIGNATURE_VERSION, sample=sample)
        for pk, sample in sorted(samples.items())  # in one order: two workers storing never deadlock
    ]
    VersionShingles.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["version"],
        update_fields=["algorithm", "sample"],
    )


# --- A new version against the others ----------------------------------------------------------


@dataclass
class _Indexed:
    """An assignment's reports as indexed by a detector, kept in the worker's memory between
    submissions: each new report then costs its own hashing and a look-up. The index holds the
    reports' stored samples; the texts of the candidates a check verifies are read when needed."""

    signature: str  # of the references, the boilerplate, the sections: a change builds it anew
    detector: similarity.Detector
    section_keys: list[str]
    # (version id, submitted at) -> the detector's number: an id used again after a restore or a
    # rollback, with another text, is another key.
    numbers: dict[tuple, int] = field(default_factory=dict)
    version_ids: list[int] = field(default_factory=list)  # the detector's number -> version id

    def texts_of(self, numbers: list[int]) -> dict[int, str]:
        texts = _texts([self.version_ids[number] for number in numbers], self.section_keys)
        return {n: texts[self.version_ids[n]] for n in numbers if self.version_ids[n] in texts}


_INDEXES: dict[int, _Indexed] = {}  # by assignment id, in this process


def _signature(assignment: Assignment) -> str:
    materials = list(assignment.conference.materials.values_list("pk", "size", "updated_at"))
    parts = [assignment.reference_text, *boilerplate(assignment), repr(materials), *assignment.section_keys]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def _indexed(assignment: Assignment, versions: list[tuple]) -> tuple[_Indexed, list[int]]:
    """The cached index of the assignment holding at least these versions ((id, submitted at)),
    and their numbers in it. A version missing from it is added by its stored sample, or by its
    text when it has none of the current algorithm (the sample then stored)."""
    signature = _signature(assignment)
    index = _INDEXES.get(assignment.pk)
    if index is None or index.signature != signature:
        detector = assignment_detector(assignment)
        index = _INDEXES[assignment.pk] = _Indexed(signature, detector, list(assignment.section_keys))
    missing = [key for key in versions if key not in index.numbers]
    if missing:
        samples = stored_samples(assignment.pk, [pk for pk, _ in missing])
        unsampled = [pk for pk, _ in missing if pk not in samples]
        for start in range(0, len(unsampled), 2000):  # made from the texts, 2,000 at a time
            texts = _texts(unsampled[start : start + 2000], assignment.section_keys)
            made = similarity.samples(texts.values())
            made = {pk: hashing.sample_bytes(sample) for pk, sample in zip(texts, made, strict=True)}
            _store_samples(made)
            samples.update(made)
        missing = [key for key in missing if key[0] in samples]
        joined, offsets = hashing.samples_from_bytes([samples[pk] for pk, _ in missing])
        added = index.detector.add_samples(joined, offsets, texts=index.texts_of)
        for key, number in zip(missing, added, strict=True):
            index.numbers[key] = number
            index.version_ids.append(key[0])
    return index, [index.numbers[key] for key in versions if key in index.numbers]


def _store(findings, version_of, known: set[tuple]) -> list[SimilarityFlag]:
    """Flags for findings not stored yet. `version_of(number)`: the version id a finding's
    text or source stands for; `known`: (version id, other version id or reference)."""
    rows = {}
    for finding in findings:
        version_id = version_of(finding.text)
        if finding.is_reference:
            key = (version_id, finding.source)
            flag = SimilarityFlag(version_id=version_id, reference=finding.source)
        else:
            other_id = version_of(finding.source)
            key = (version_id, other_id)
            if (other_id, version_id) in known or (other_id, version_id) in rows:
                continue  # the pair is flagged already, the other way round
            flag = SimilarityFlag(version_id=version_id, other_version_id=other_id)
        if key in known or key in rows:
            continue
        flag.containment, flag.other_containment = finding.share, finding.source_share
        rows[key] = flag
    return SimilarityFlag.objects.bulk_create(rows.values(), batch_size=1000)


def _known(version_ids) -> set[tuple]:
    rows = SimilarityFlag.objects.filter(version_id__in=version_ids).values_list(
        "version_id", "other_version_id", "reference"
    )
    return {(version, other or reference) for version, other, reference in rows}


@transaction.atomic
def version_similarity_check(*, version_id: int) -> list[SimilarityFlag]:
    """Flag what a submitted version shares with the other reports' latest versions and with the
    reference texts. Checking a version again adds nothing already flagged. Returns the new flags."""
    version = (
        ReportVersion.objects.select_related("report__invitation__person__unit", "report__assignment")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        return []
    assignment = version.report.assignment
    others = [
        (pk, at) for pk, report_id, at in latest_versions(assignment.pk) if report_id != version.report_id
    ]
    index, among = _indexed(assignment, others)
    shingles = similarity.shingles(version_text(version, assignment.section_keys))
    findings = index.detector.check(shingles, among=among)
    _store_samples({version.pk: hashing.sample_bytes(similarity.sample(shingles))})  # for the next checks

    def version_of(number: int) -> int:
        return version.pk if number == similarity.NEW else index.version_ids[number]

    sources = [version_of(f.source) for f in findings if not f.is_reference]
    flags = _store(findings, version_of, _known([version.pk, *sources]) if findings else set())
    if flags:
        audit(
            actor=None,
            type="learning_reports.report.similarity_flagged",
            obj=version.report,
            unit_path=version.report.invitation.person.unit.path,
            version=version.number,
            sources=[flag.reference or flag.other_version.report_id for flag in flags],
        )
    return flags


# --- The whole pass -----------------------------------------------------------------------------


@transaction.atomic
def similarity_run_start(*, actor, assignment: Assignment) -> SimilarityRun:
    """Queue a pass of the copied-text check over every submitted report of the assignment.
    Requires `learning_reports.allocate` on the conference's organising unit. Refused
    (`SimilarityError`, "running") while a pass is queued or running."""
    require(actor, ALLOCATE, assignment.conference.organising_unit)
    if (
        SimilarityRun.objects.select_for_update()
        .filter(assignment=assignment, status__in=[SimilarityRunStatus.QUEUED, SimilarityRunStatus.RUNNING])
        .exists()
    ):
        raise SimilarityError(
            _("Đang có một lượt so sánh chạy cho bài thu hoạch của hội nghị này; đồng chí chờ lượt đó xong."),
            code=SimilarityErrorCode.RUNNING,
        )
    run = SimilarityRun.objects.create(assignment=assignment, requested_by=actor)
    audit(
        actor=actor,
        type="learning_reports.similarity.run_started",
        obj=assignment,
        unit_path=assignment.conference.organising_unit.path,
    )
    background.enqueue_on_commit("hoinghi.learning_reports.tasks.similarity_run", run.pk)
    return run


def similarity_run(*, run_id: int) -> SimilarityRun | None:
    """Do a queued pass: every report against the references and every other report; the new
    flags stored. Progress is written on the run as it goes (outside any transaction, so the
    organiser's page sees it)."""
    run = SimilarityRun.objects.select_related("assignment__conference").filter(pk=run_id).first()
    if run is None or run.status != SimilarityRunStatus.QUEUED:
        return run
    SimilarityRun.objects.filter(pk=run.pk).update(status=SimilarityRunStatus.RUNNING)
    try:
        ids = [pk for pk, _, _ in latest_versions(run.assignment_id)]
        detector = assignment_detector(run.assignment)
        texts = _texts(ids, run.assignment.section_keys)
        ids = [pk for pk in ids if pk in texts]
        detector.add(texts[pk] for pk in ids)
        del texts
        stored = set(
            VersionShingles.objects.filter(
                algorithm=hashing.SIGNATURE_VERSION, version__report__assignment_id=run.assignment_id
            ).values_list("version_id", flat=True)
        )
        _store_samples(
            {pk: hashing.sample_bytes(detector.sample_of(n)) for n, pk in enumerate(ids) if pk not in stored}
        )
        SimilarityRun.objects.filter(pk=run.pk).update(reports=len(ids))

        def progress(done: int, total: int) -> None:
            SimilarityRun.objects.filter(pk=run.pk).update(done=done, total=total)

        findings = detector.run(progress=progress)
        with transaction.atomic():
            flags = _store(findings, ids.__getitem__, _known(ids))
        SimilarityRun.objects.filter(pk=run.pk).update(
            status=SimilarityRunStatus.DONE, flags=len(flags), finished_at=timezone.now()
        )
    except Exception as failure:
        SimilarityRun.objects.filter(pk=run.pk).update(
            status=SimilarityRunStatus.FAILED, error=str(failure)[:2000], finished_at=timezone.now()
        )
        raise
    run.refresh_from_db()
    return run


# --- The reviewer's decision --------------------------------------------------------------------


def _require_decide(actor, flag: SimilarityFlag) -> None:
    """A reviewer with a live marking of a report of the flag (scoped by `mark`) decides as its
    reviewer; anyone else needs `allocate` (organisers) on it: a viewer is refused (403),
    someone outside the subtree does not find it (404)."""
    if is_reviewing_flag(actor=actor, flag=flag):  # their live marking, within `mark`'s scope
        return
    require(actor, ALLOCATE, flag)


@transaction.atomic
def similarity_flag_decide(*, actor, flag_id: int, status: str, reason: str) -> SimilarityFlag:
    """Confirm or dismiss a flag, with a reason. Allowed to a reviewer holding a live marking of
    the report and to organisers (`learning_reports.allocate`) of the writer's unit; a flag
    outside what the actor may read is not found, one they may read but not decide is 403.
    A flag may be decided again (a second look), each decision audited. The flag's row is
    locked so two decisions at once keep the later, both audited."""
    from hoinghi.learning_reports import selectors

    flag = selectors.flag_get(actor=actor, pk=flag_id)  # NotFoundError outside what they read
    flag = (
        SimilarityFlag.objects.select_for_update()
        .select_related("version__report__invitation__person__unit")
        .get(pk=flag.pk)
    )
    _require_decide(actor, flag)
    if status not in (FlagStatus.CONFIRMED, FlagStatus.DISMISSED):
        raise SimilarityError(_("Hãy chọn xác nhận hoặc bác bỏ cảnh báo."), code=SimilarityErrorCode.DECISION)
    reason = (reason or "").strip()
    if not reason:
        raise SimilarityError(_("Hãy ghi lý do kết luận."), code=SimilarityErrorCode.REASON_REQUIRED)
    if len(reason) > REASON_MAX:
        raise SimilarityError(
            _("Lý do dài quá %(max)s ký tự."),
            code=SimilarityErrorCode.REASON_REQUIRED,
            params={"max": REASON_MAX},
        )
    flag.status, flag.reason, flag.decided_by, flag.decided_at = status, reason, actor, timezone.now()
    flag.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit(
        actor=actor,
        type=f"learning_reports.similarity.flag_{status}",
        obj=flag.version.report,
        unit_path=flag.version.report.invitation.person.unit.path,
        flag=flag.pk,
        reason=reason,
    )
    return flag
