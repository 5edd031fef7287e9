"""Imports of units and people: create, check, choose the columns, apply (in bulk, by the
importers' writers), fail."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.core.background import enqueue_on_commit
from hoinghi.core.models import audit
from hoinghi.core.permissions import require
from hoinghi.orgs import importers
from hoinghi.orgs.errors import ImportChoiceNeeded, OrgsError, OrgsErrorCode
from hoinghi.orgs.models import (
    ImportColumnMapping,
    ImportJob,
    ImportKind,
    ImportStatus,
    Unit,
)
from hoinghi.orgs.services._common import _tree_changed


@transaction.atomic
def import_job_create(
    *,
    actor,
    kind: str,
    scope_unit: Unit,
    file_name: str,
    content: bytes,
    options: dict | None = None,
    schedule_check: bool = True,
) -> ImportJob:
    """Store an uploaded file as an import job and schedule its check (the preview).

    Nothing of the file is parsed here, so that no request waits on a large or hostile file:
    only its size and kind are checked; the `import_check` task reads it, within the limits
    of `importers.files`, and the job page shows its progress or why it was refused. Raises
    `NotFoundError`/`PermissionDeniedError` unless the actor may import into `scope_unit`, and
    `OrgsError` (import_file_empty, import_file_too_large, import_file_type). `options` are
    choices made up front (`ImportJob.options`: the command line's --sheet). With
    `schedule_check` False the caller runs `import_job_check` itself (the command line).
    """
    require(actor, "orgs.import", scope_unit)
    importers.check_upload(file_name, content)
    job = ImportJob.objects.create(
        kind=kind,
        file_name=file_name[:255],
        content=content,
        scope_unit=scope_unit,
        created_by=actor,
        options=options or {},
    )
    audit(
        actor=actor,
        type="orgs.import.uploaded",
        obj=job,
        unit_path=scope_unit.path,
        kind=kind,
        file=job.file_name,
    )
    if schedule_check:
        enqueue_on_commit("hoinghi.orgs.tasks.import_check", job.pk)
    return job


def _import_job_finish(
    job: ImportJob,
    status: str,
    *,
    errors: list[dict] | None = None,
    summary=None,
    details: dict | None = None,
) -> None:
    job.status = status
    job.errors = errors or []
    job.error_count = len(job.errors)
    if summary is not None:
        job.summary = summary
    job.details = details or {}
    job.finished_at = timezone.now()
    job.save(
        update_fields=["status", "errors", "error_count", "summary", "details", "finished_at", "updated_at"]
    )


def _file_error_list(error: OrgsError) -> list[dict]:
    return [{"row": None, "column": "", "code": error.code, "message": error.message, "value": ""}]


def _remembered_columns(job: ImportJob) -> dict[str, str]:
    """{heading: column} the clerks placed before, on the job's unit or above it (nearest wins)."""
    ancestors = [int(part) for part in job.scope_unit.path.strip("/").split("/") if part]
    depth = {unit_id: position for position, unit_id in enumerate(ancestors)}
    rows = ImportColumnMapping.objects.filter(unit_id__in=ancestors, kind=job.kind)
    remembered: dict[str, str] = {}
    for row in sorted(rows, key=lambda row: depth[row.unit_id]):
        remembered[row.heading] = row.column
    return remembered


def _import_plan(job: ImportJob, progress: importers.Progress, *, reuse_table: bool = False):
    """Plan the job's import against the data as it is now, with the clerk's choices.

    The rows read by the check are kept in the cache for the apply: reading an .xlsx is most
    of a check's time, and the file's bytes never change. The data is always checked afresh.
    """
    table = importers.cached_table(job.pk, job.kind) if reuse_table else None
    if table is None:
        options = importers.ReadOptions.from_job(job.options, _remembered_columns(job))
        table = importers.read_table(job.kind, job.file_name, bytes(job.content), progress, options=options)
        importers.cache_table(job.pk, table)
    return importers.plan(
        job.kind,
        table,
        scope_path=job.scope_unit.path,
        progress=progress,
        decisions=job.options.get("duplicates", {}),
    )


def import_job_check(*, job: ImportJob) -> ImportJob:
    """Read and check every row of the job's file; store the preview: counts and every error.

    Writes nothing but the job: the organisation data is only read. Not atomic on purpose, so
    that the progress page sees the status change while the check runs. A file the clerk must
    choose about (its sheet, its columns) is invalid until they do, with the choices kept in
    the summary for the page.
    """
    job.status = ImportStatus.CHECKING
    job.save(update_fields=["status", "updated_at"])
    progress = importers.Progress(job.pk)
    try:
        plan = _import_plan(job, progress)
    except ImportChoiceNeeded as error:
        _import_job_finish(job, ImportStatus.INVALID, errors=_file_error_list(error), summary=error.choices)
        return job
    except OrgsError as error:  # the file as a whole cannot be taken
        _import_job_finish(job, ImportStatus.INVALID, errors=_file_error_list(error), summary={})
        return job
    errors = plan.errors.items
    _import_job_finish(
        job,
        ImportStatus.INVALID if errors else ImportStatus.PREVIEWED,
        errors=errors,
        summary=plan.summary,
        details=getattr(plan, "details", {}),
    )
    return job


@transaction.atomic
def import_job_choose(
    *,
    actor,
    job: ImportJob,
    sheet: str | None = None,
    header_row: int | None = None,
    columns: dict[str, str] | None = None,
    duplicates: dict[str, str] | None = None,
    schedule_check: bool = True,
) -> ImportJob:
    """Record the clerk's choices for a checked file and check it again with them.

    `sheet` is the sheet to import; `columns` places the columns of the header row
    `header_row` ({column index: column key or ""}); these headings are remembered for the
    job's unit, so the next file laid out the same way needs no choice. `duplicates` answers
    the likely duplicates ({row: Decision}). Raises `OrgsError(import_not_ready)` unless the
    job's check has finished and it was not applied, and `OrgsError(invalid)` for an
    unknown column or decision.
    """
    job = ImportJob.objects.select_for_update().select_related("scope_unit").get(pk=job.pk)
    require(actor, "orgs.import", job.scope_unit)
    if job.status not in (ImportStatus.PREVIEWED, ImportStatus.INVALID):
        raise OrgsError(
            _("Lượt nhập này không ở trạng thái chờ áp dụng (%(status)s)."),
            code=OrgsErrorCode.IMPORT_NOT_READY,
            params={"status": job.get_status_display()},
        )
    options = dict(job.options)
    if sheet is not None:
        options = {"sheet": sheet}  # another sheet: its own header and columns
    if columns is not None:
        keys = {column.key for column in importers.all_columns_for(job.kind)}
        if any(key and key not in keys for key in columns.values()):
            raise OrgsError(_("Cột không hợp lệ."), code=OrgsErrorCode.INVALID)
        options["columns"] = {str(index): key for index, key in columns.items()}
        options["header_row"] = header_row
        _remember_columns(job, options["columns"])
    if duplicates is not None:
        if any(choice not in importers.Decision.__members__.values() for choice in duplicates.values()):
            raise OrgsError(_("Lựa chọn không hợp lệ."), code=OrgsErrorCode.INVALID)
        options["duplicates"] = {
            **options.get("duplicates", {}),
            **{str(k): v for k, v in duplicates.items()},
        }
    job.options = options
    job.status = ImportStatus.PENDING
    job.save(update_fields=["options", "status", "updated_at"])
    importers.forget_table(job.pk)
    audit(actor=actor, type="orgs.import.decided", obj=job, unit_path=job.scope_unit.path, options=options)
    if schedule_check:
        enqueue_on_commit("hoinghi.orgs.tasks.import_check", job.pk)
    return job


def _remember_columns(job: ImportJob, columns: dict[str, str]) -> None:
    """Keep the headings the clerk placed, for the next file of the job's unit."""
    headings = {str(cell["index"]): cell["text"] for cell in job.summary.get("headers", [])}
    for index, key in columns.items():
        heading = importers.heading_key(headings.get(index, ""))
        if heading:
            ImportColumnMapping.objects.update_or_create(
                unit=job.scope_unit, kind=job.kind, heading=heading, defaults={"column": key}
            )


@transaction.atomic
def import_job_request_apply(*, actor, job: ImportJob, schedule: bool = True) -> ImportJob:
    """Schedule the apply of a checked import. The job row is locked, so two clicks apply once.

    Raises `OrgsError(import_has_errors)` when the preview found errors,
    `OrgsError(import_needs_choice)` while a likely duplicate waits for the clerk's decision, and
    `OrgsError(import_not_ready)` when the job is not waiting to be applied. With `schedule`
    False the caller runs `import_job_apply` itself (the command line).
    """
    job = ImportJob.objects.select_for_update().select_related("scope_unit").get(pk=job.pk)
    require(actor, "orgs.import", job.scope_unit)
    if job.status == ImportStatus.INVALID or job.error_count:
        raise OrgsError(
            _("Tệp còn %(count)s lỗi: hãy sửa tệp và tải lên lại."),
            code=OrgsErrorCode.IMPORT_HAS_ERRORS,
            params={"count": job.error_count},
        )
    if job.status != ImportStatus.PREVIEWED:
        raise OrgsError(
            _("Lượt nhập này không ở trạng thái chờ áp dụng (%(status)s)."),
            code=OrgsErrorCode.IMPORT_NOT_READY,
            params={"status": job.get_status_display()},
        )
    if job.summary.get("undecided"):
        raise OrgsError(
            _("Còn %(count)s dòng có thể trùng người đã có: hãy chọn giữ, bỏ qua hoặc gộp cho từng dòng."),
            code=OrgsErrorCode.IMPORT_NEEDS_CHOICE,
            params={"count": job.summary["undecided"]},
        )
    job.status = ImportStatus.APPLYING
    job.save(update_fields=["status", "updated_at"])
    if schedule:
        enqueue_on_commit("hoinghi.orgs.tasks.import_apply", job.pk)
    return job


def import_job_apply(*, job: ImportJob) -> ImportJob:
    """Apply a checked import all-or-nothing, as its uploader.

    The file is checked again first, against the data as it is now: if it has errors now,
    nothing is written and the job goes back to invalid with them (import_stale). The writes,
    the audit entry and the job's new status share one transaction, so a failure part-way
    leaves the data exactly as it was (the task then marks the job failed).
    """
    actor = job.created_by
    if actor is None:
        raise OrgsError(_("Người tải tệp lên không còn tồn tại."), code=OrgsErrorCode.IMPORT_NOT_READY)
    require(actor, "orgs.import", job.scope_unit)
    progress = importers.Progress(job.pk)
    try:
        plan = _import_plan(job, progress, reuse_table=True)
    except OrgsError as error:
        _import_job_finish(job, ImportStatus.INVALID, errors=_file_error_list(error))
        return job
    if plan.errors or plan.undecided:
        stale = OrgsError(
            _("Dữ liệu đã thay đổi từ lúc kiểm tra và tệp nay có %(count)s lỗi; không có gì được lưu."),
            code=OrgsErrorCode.IMPORT_STALE,
            params={"count": len(plan.errors)},
        )
        _import_job_finish(
            job,
            ImportStatus.INVALID,
            errors=_file_error_list(stale) + plan.errors.items,
            summary=plan.summary,
            details=getattr(plan, "details", {}),
        )
        return job
    with transaction.atomic():
        if job.kind == ImportKind.UNITS:
            importers.write_units(plan, scope_unit=job.scope_unit, progress=progress)
            _tree_changed(unit=job.scope_unit, change="rewritten")
        else:
            importers.write_people(plan, progress=progress)
        summary = plan.summary
        audit(
            actor=actor,
            type="orgs.import.applied",
            obj=job,
            unit_path=job.scope_unit.path,
            kind=job.kind,
            file=job.file_name,
            job=job.pk,
            summary=summary,
        )
        _import_job_finish(job, ImportStatus.APPLIED, summary=summary, details=getattr(plan, "details", {}))
    progress.start("done", summary["rows"])
    return job


def import_job_fail(*, job: ImportJob, reason: str) -> ImportJob:
    """Mark a job whose check or apply broke off; what it wrote has been rolled back."""
    error = OrgsError(
        _("Không xử lý được tệp (%(reason)s). Không có thay đổi nào được lưu."),
        code=OrgsErrorCode.IMPORT_FAILED,
        params={"reason": reason[:300]},
    )
    _import_job_finish(job, ImportStatus.FAILED, errors=_file_error_list(error))
    return job
