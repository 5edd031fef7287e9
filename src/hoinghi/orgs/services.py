"""Writes to the organisation tree. Each service checks permission, validates, writes and audits.

Imports write in bulk: `import_job_apply` takes a plan from `orgs.importers` and has the
importers' writers (`importers.applying`) write it with bulk_create / bulk_update in batches,
filling the derived columns with the same `unit_fill_derived` / `person_fill_derived`
(`orgs.models`) as the one-at-a-time services.
"""

import uuid
from datetime import date
from functools import partial

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.core import extensions
from hoinghi.core.background import enqueue_on_commit
from hoinghi.core.errors import validate
from hoinghi.core.models import audit
from hoinghi.core.permissions import WHOLE_TREE, can, require
from hoinghi.core.tree import path_child
from hoinghi.orgs import importers
from hoinghi.orgs.errors import ImportChoiceNeeded, OrgsError, OrgsErrorCode
from hoinghi.orgs.models import (
    ImportColumnMapping,
    ImportJob,
    ImportKind,
    ImportStatus,
    Person,
    Position,
    PositionRole,
    Province,
    Unit,
    UnitKind,
    person_fill_derived,
    unit_fill_derived,
)

UNIT_FIELDS = (
    "code",
    "name",
    "short_name",
    "kind",
    "sector",
    "member_count",
    "worker_count",
    "province",
    "place",
)
PERSON_FIELDS = (
    "code",
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "birth_date",
    "birth_year",
    "phone",
    "email",
    "unit",
)


def _tree_changed(**change) -> None:
    """Tell the apps that keep figures per subtree (orgs.tree_changed, declared in apps.py)."""
    for part in extensions.parts("orgs.tree_changed"):
        part(**change)


# full_clean(), refused as OrgsError(invalid) with the field errors kept apart.
_validate = partial(validate, error_class=OrgsError, code=OrgsErrorCode.INVALID)


@transaction.atomic
def unit_create(
    *,
    actor,
    parent: Unit | None,
    code: str,
    name: str,
    kind: UnitKind,
    short_name: str = "",
    sector: str = "",
    member_count: int = 0,
    worker_count: int | None = None,
    province: Province | None = None,
    place: str = "",
) -> Unit:
    """Create a unit under `parent` (a root when None, which only a superuser may do).

    Raises `NotFoundError`/`PermissionDeniedError` unless the actor may change the parent's
    subtree, and `OrgsError(invalid)` for a duplicate code or bad values.
    """
    if parent is None:
        if not can(actor, "orgs.change", WHOLE_TREE):
            raise OrgsError(
                _("Chỉ quản trị tối cao mới tạo được đơn vị gốc."), code=OrgsErrorCode.ROOT_NEEDS_SUPERUSER
            )
    else:
        require(actor, "orgs.change", parent)
    unit = Unit(
        parent=parent,
        code=code.strip(),
        name=name.strip(),
        short_name=short_name.strip(),
        kind=kind,
        sector=sector,
        member_count=member_count,
        worker_count=worker_count,
        province=province,
        place=place.strip(),
        depth=(parent.depth + 1) if parent else 0,
        path=f"/new-{uuid.uuid4().hex}/",  # replaced below, once the id is known
    )
    unit_fill_derived(unit)
    _validate(unit, exclude=["path"])
    unit.save()
    unit.path = path_child(parent.path if parent else "", unit.pk)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)
    _tree_changed(unit=unit, change="created")
    audit(actor=actor, type="orgs.unit.created", obj=unit, unit_path=unit.path, code=unit.code)
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, **changes) -> Unit:
    """Change a unit's own fields (not its place in the tree: see `unit_move`)."""
    require(actor, "orgs.change", unit)
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unit_update cannot change {sorted(unknown)}")
    before = {field: str(getattr(unit, field)) for field in changes}
    old_kind_id = unit.kind_id
    for field, value in changes.items():
        setattr(unit, field, value.strip() if isinstance(value, str) else value)
    unit_fill_derived(unit)
    _validate(unit)
    unit.save()
    if unit.kind_id != old_kind_id:
        _tree_changed(unit=unit, change="kind_changed", old_kind_id=old_kind_id)
    audit(actor=actor, type="orgs.unit.changed", obj=unit, unit_path=unit.path, before=before)
    return unit


@transaction.atomic
def unit_move(*, actor, unit: Unit, new_parent: Unit) -> Unit:
    """Move `unit` and its whole subtree under `new_parent`, rewriting every path below it.

    The actor needs the change right on both the unit and the new parent. The unit's row is
    locked so that two moves of one subtree run one after the other.
    """
    require(actor, "orgs.change", unit)
    require(actor, "orgs.change", new_parent)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    new_parent = Unit.objects.get(pk=new_parent.pk)
    if new_parent.path.startswith(unit.path):
        raise OrgsError(
            _("Không thể chuyển “%(unit)s” vào chính nó hoặc đơn vị cấp dưới của nó."),
            code=OrgsErrorCode.MOVE_INTO_OWN_SUBTREE,
            params={"unit": unit.name},
        )
    old_path = unit.path
    new_path = path_child(new_parent.path, unit.pk)
    depth_change = new_parent.depth + 1 - unit.depth
    Unit.objects.filter(path__under=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_change,
    )
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()
    _tree_changed(unit=unit, change="moved", old_path=old_path)
    audit(actor=actor, type="orgs.unit.moved", obj=unit, unit_path=unit.path, old_path=old_path)
    return unit


@transaction.atomic
def unit_delete(*, actor, unit: Unit) -> None:
    """Delete a unit that has no sub-units, people or positions; otherwise say why not."""
    require(actor, "orgs.change", unit)
    if unit.children.exists():
        raise OrgsError(
            _("Không thể xóa “%(unit)s”: đơn vị còn %(count)s đơn vị trực thuộc."),
            code=OrgsErrorCode.UNIT_HAS_CHILDREN,
            params={"unit": unit.name, "count": unit.children.count()},
        )
    if unit.people.exists():
        raise OrgsError(
            _("Không thể xóa “%(unit)s”: đơn vị còn %(count)s cán bộ."),
            code=OrgsErrorCode.UNIT_HAS_PEOPLE,
            params={"unit": unit.name, "count": unit.people.count()},
        )
    if unit.positions.exists():
        raise OrgsError(
            _("Không thể xóa “%(unit)s”: còn %(count)s chức vụ gắn với đơn vị."),
            code=OrgsErrorCode.UNIT_HAS_POSITIONS,
            params={"unit": unit.name, "count": unit.positions.count()},
        )
    audit(actor=actor, type="orgs.unit.deleted", obj=unit, unit_path=unit.path, code=unit.code)
    _tree_changed(unit=unit, change="deleting")
    unit.delete()


@transaction.atomic
def person_create(
    *,
    actor,
    unit: Unit,
    code: str,
    given_name: str,
    family_name: str = "",
    middle_name: str = "",
    gender: str = "",
    birth_date: date | None = None,
    birth_year: int | None = None,
    phone: str = "",
    email: str = "",
) -> Person:
    """Add a person to `unit`. Raises unless the actor may change the unit's subtree."""
    require(actor, "orgs.change", unit)
    person = Person(
        unit=unit,
        code=code.strip(),
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        middle_name=middle_name.strip(),
        gender=gender,
        birth_date=birth_date,
        birth_year=birth_year,
        phone=phone.strip(),
        email=email.strip(),
    )
    person_fill_derived(person)
    _validate(person)
    person.save()
    audit(actor=actor, type="orgs.person.created", obj=person, unit_path=unit.path, code=person.code)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **changes) -> Person:
    """Change a person's fields; moving them to another unit needs the right on both units."""
    require(actor, "orgs.change", person)
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"person_update cannot change {sorted(unknown)}")
    if "unit" in changes:
        require(actor, "orgs.change", changes["unit"])
    before = {field: str(getattr(person, field)) for field in changes}
    for field, value in changes.items():
        setattr(person, field, value.strip() if isinstance(value, str) else value)
    person_fill_derived(person)
    _validate(person)
    person.save()
    audit(actor=actor, type="orgs.person.changed", obj=person, unit_path=person.unit.path, before=before)
    return person


@transaction.atomic
def person_delete(*, actor, person: Person) -> None:
    """Delete a person and their positions."""
    require(actor, "orgs.change", person)
    audit(actor=actor, type="orgs.person.deleted", obj=person, unit_path=person.unit.path, code=person.code)
    person.delete()


@transaction.atomic
def position_create(
    *,
    actor,
    person: Person,
    unit: Unit,
    role: PositionRole,
    is_full_time: bool = False,
    start_date: date | None = None,
    end_date: date | None = None,
) -> Position:
    """Record that `person` holds `role` in `unit`."""
    require(actor, "orgs.change", unit)
    require(actor, "orgs.view", person)
    position = Position(
        person=person,
        unit=unit,
        role=role,
        is_full_time=is_full_time,
        start_date=start_date,
        end_date=end_date,
    )
    _validate(position)
    position.save()
    audit(actor=actor, type="orgs.position.created", obj=position, unit_path=unit.path)
    return position


@transaction.atomic
def position_end(*, actor, position: Position, end_date: date) -> Position:
    """Close a position on `end_date`."""
    require(actor, "orgs.change", position)
    position.end_date = end_date
    _validate(position)
    position.save(update_fields=["end_date"])
    audit(actor=actor, type="orgs.position.ended", obj=position, unit_path=position.unit.path)
    return position


# --- Import ------------------------------------------------------------------------------------


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
