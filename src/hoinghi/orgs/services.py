"""Writes to the organisation tree. Each service checks permission, validates, writes and audits.

Imports write in bulk: `import_job_apply` takes a plan from `orgs.importers` and writes it
with bulk_create / bulk_update in batches, filling the derived columns with the same
`unit_fill_derived` / `person_fill_derived` as the one-at-a-time services.
"""

import uuid
from datetime import date
from functools import partial

from django.db import transaction
from django.db.models import DateField, F, Q, Value
from django.db.models.functions import Coalesce, Concat, Greatest, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.core.errors import validate
from hoinghi.core.models import audit
from hoinghi.core.permissions import WHOLE_TREE, can, require
from hoinghi.core.tree import path_child
from hoinghi.orgs import importers
from hoinghi.orgs.errors import OrgsError, OrgsErrorCode
from hoinghi.orgs.models import (
    ImportJob,
    ImportKind,
    ImportStatus,
    Person,
    Position,
    PositionRole,
    Province,
    Unit,
    UnitKind,
)
from hoinghi.orgs.vietnamese import fold, join_full_name, name_sort_key, sort_key

UNIT_FIELDS = ("code", "name", "short_name", "kind", "sector", "member_count", "worker_count", "province")
PERSON_FIELDS = (
    "code",
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "birth_date",
    "phone",
    "email",
    "unit",
)


def unit_fill_derived(unit: Unit) -> Unit:
    """Set the columns computed from the unit's own values (sort key, search text)."""
    unit.name_sort_key = sort_key(unit.name)[:600]
    unit.search_text = fold(f"{unit.code} {unit.name} {unit.short_name}")[:600]
    return unit


def person_fill_derived(person: Person) -> Person:
    """Set the full name, the Vietnamese sort key and the search text from the name parts."""
    person.full_name = join_full_name(person.family_name, person.middle_name, person.given_name)
    person.sort_key = name_sort_key(person.family_name, person.middle_name, person.given_name)
    person.search_text = fold(f"{person.full_name} {person.code} {person.phone} {person.email}")[:400]
    return person


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
        depth=(parent.depth + 1) if parent else 0,
        path=f"/new-{uuid.uuid4().hex}/",  # replaced below, once the id is known
    )
    unit_fill_derived(unit)
    _validate(unit, exclude=["path"])
    unit.save()
    unit.path = path_child(parent.path if parent else "", unit.pk)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)
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
    for field, value in changes.items():
        setattr(unit, field, value.strip() if isinstance(value, str) else value)
    unit_fill_derived(unit)
    _validate(unit)
    unit.save()
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

TEMPORARY_PATH_PREFIX = "/new-"  # a new unit's path until its id is known; never a real path
WRITE_BATCH = 500


def _import_enqueue(task_name: str, job_id: int) -> None:
    from hoinghi.orgs import tasks  # tasks call services: imported here to keep the import graph one-way

    transaction.on_commit(lambda: getattr(tasks, task_name).enqueue(job_id))


@transaction.atomic
def import_job_create(*, actor, kind: str, scope_unit: Unit, file_name: str, content: bytes) -> ImportJob:
    """Store an uploaded file as an import job and schedule its check (the preview).

    Only the header is read here, so that a file of the wrong kind is refused at once; the
    rows are checked by the `import_check` task. Raises `NotFoundError`/`PermissionDeniedError`
    unless the actor may import into `scope_unit`, and `OrgsError` (import_file_*,
    import_bad_headers, import_too_many_rows) for a file that cannot be taken.
    """
    require(actor, "orgs.import", scope_unit)
    importers.read_table(kind, file_name, content, header_only=True)
    job = ImportJob.objects.create(
        kind=kind, file_name=file_name[:255], content=content, scope_unit=scope_unit, created_by=actor
    )
    audit(
        actor=actor,
        type="orgs.import.uploaded",
        obj=job,
        unit_path=scope_unit.path,
        kind=kind,
        file=job.file_name,
    )
    _import_enqueue("import_check", job.pk)
    return job


def _import_job_finish(
    job: ImportJob, status: str, *, errors: list[dict] | None = None, summary=None
) -> None:
    job.status = status
    job.errors = errors or []
    job.error_count = len(job.errors)
    if summary is not None:
        job.summary = summary
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "errors", "error_count", "summary", "finished_at", "updated_at"])


def _file_error_list(error: OrgsError) -> list[dict]:
    return [{"row": None, "column": "", "code": error.code, "message": error.message, "value": ""}]


def _import_plan(job: ImportJob, progress: importers.Progress, *, reuse_table: bool = False):
    """Plan the job's import against the data as it is now.

    The rows read by the check are kept in the cache for the apply: reading an .xlsx is most
    of a check's time, and the file's bytes never change. The data is always checked afresh.
    """
    table = importers.cached_table(job.pk, job.kind) if reuse_table else None
    if table is None:
        table = importers.read_table(job.kind, job.file_name, bytes(job.content), progress)
        importers.cache_table(job.pk, table)
    return importers.plan(job.kind, table, scope_path=job.scope_unit.path, progress=progress)


def import_job_check(*, job: ImportJob) -> ImportJob:
    """Read and check every row of the job's file; store the preview: counts and every error.

    Writes nothing but the job: the organisation data is only read. Not atomic on purpose, so
    that the progress page sees the status change while the check runs.
    """
    job.status = ImportStatus.CHECKING
    job.save(update_fields=["status", "updated_at"])
    progress = importers.Progress(job.pk)
    try:
        plan = _import_plan(job, progress)
    except OrgsError as error:  # the file as a whole cannot be taken
        _import_job_finish(job, ImportStatus.INVALID, errors=_file_error_list(error), summary={})
        return job
    errors = plan.errors.items
    _import_job_finish(
        job, ImportStatus.INVALID if errors else ImportStatus.PREVIEWED, errors=errors, summary=plan.summary
    )
    return job


@transaction.atomic
def import_job_request_apply(*, actor, job: ImportJob) -> ImportJob:
    """Schedule the apply of a checked import. The job row is locked, so two clicks apply once.

    Raises `OrgsError(import_has_errors)` when the preview found errors and
    `OrgsError(import_not_ready)` when the job is not waiting to be applied.
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
    job.status = ImportStatus.APPLYING
    job.save(update_fields=["status", "updated_at"])
    _import_enqueue("import_apply", job.pk)
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
    if plan.errors:
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
        )
        return job
    with transaction.atomic():
        if job.kind == ImportKind.UNITS:
            _import_write_units(plan, scope_unit=job.scope_unit, progress=progress)
        else:
            _import_write_people(plan, progress=progress)
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
        _import_job_finish(job, ImportStatus.APPLIED, summary=summary)
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


def _batches(items: list, size: int = WRITE_BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _import_write_units(plan: importers.UnitPlan, *, scope_unit: Unit, progress: importers.Progress) -> None:
    """Create and change the units of a plan, parents before children, then fix every path.

    New units get a temporary path until their ids are known; `_unit_paths_rebuild` then
    writes the path and depth of every unit in the scope whose place changed.
    """
    progress.start("writing", len(plan.create) + len(plan.update))
    ids = {code: unit.id for code, unit in plan.existing.items()}
    depths = {code: unit.depth for code, unit in plan.existing.items()}
    pending = list(plan.create)
    while pending:
        ready = [row for row in pending if row.parent_code in ids]
        if not ready:
            raise OrgsError(_("Không xếp được thứ tự đơn vị cấp trên."), code=OrgsErrorCode.IMPORT_FAILED)
        units = [
            unit_fill_derived(
                Unit(
                    code=row.code,
                    parent_id=ids[row.parent_code],
                    depth=depths[row.parent_code] + 1,
                    path=f"{TEMPORARY_PATH_PREFIX}{uuid.uuid4().hex}/",
                    **row.values,
                )
            )
            for row in ready
        ]
        for batch in _batches(units):
            Unit.objects.bulk_create(batch)
            progress.step(len(batch))
        for unit in units:
            ids[unit.code] = unit.pk
            depths[unit.code] = unit.depth
        pending = [row for row in pending if row.code not in ids]

    now = timezone.now()
    changed = [
        unit_fill_derived(
            Unit(
                pk=ids[row.code],
                code=row.code,
                parent_id=ids[row.parent_code] if row.parent_code else None,
                updated_at=now,
                **row.values,
            )
        )
        for row in plan.update
    ]
    fields = [
        "name",
        "short_name",
        "kind",
        "sector",
        "member_count",
        "worker_count",
        "province",
        "parent",
        "name_sort_key",
        "search_text",
        "updated_at",
    ]
    for batch in _batches(changed):
        Unit.objects.bulk_update(batch, fields)
        progress.step(len(batch))
    if plan.create or plan.moved:
        _unit_paths_rebuild(scope_unit)


def _unit_paths_rebuild(scope_unit: Unit) -> int:
    """Recompute path and depth below `scope_unit` from the parent links; write those that differ.

    One pass over the subtree in Python instead of one prefix rewrite per moved unit: moves in
    one file may depend on each other (B leaves A's subtree, then A goes under B), and a walk
    from the top sees only the final tree. A path ends with the unit's own id, so no new path
    can equal another unit's old one and the unique index holds at every row.
    """
    scope_unit = Unit.objects.get(pk=scope_unit.pk)
    rows = Unit.objects.filter(
        Q(path__under=scope_unit.path) | Q(path__under=TEMPORARY_PATH_PREFIX)
    ).values_list("pk", "parent_id", "path", "depth")
    children: dict[int, list[tuple[int, str, int]]] = {}
    total = 0
    for pk, parent_id, path, depth in rows.iterator(chunk_size=5000):
        total += 1
        if pk != scope_unit.pk:
            children.setdefault(parent_id, []).append((pk, path, depth))
    changed: list[Unit] = []
    reached = 1
    stack = [(scope_unit.pk, scope_unit.path, scope_unit.depth)]
    while stack:
        parent_pk, parent_path, parent_depth = stack.pop()
        for pk, path, depth in children.get(parent_pk, ()):
            reached += 1
            new_path, new_depth = path_child(parent_path, pk), parent_depth + 1
            if (new_path, new_depth) != (path, depth):
                changed.append(Unit(pk=pk, path=new_path, depth=new_depth))
            stack.append((pk, new_path, new_depth))
    if reached != total:
        # A unit under the scope (or just created) that the walk from the scope did not reach
        # would keep a wrong path: refuse rather than store a broken tree.
        raise OrgsError(_("Cây đơn vị sau khi nhập không liền mạch."), code=OrgsErrorCode.IMPORT_FAILED)
    for batch in _batches(changed):
        Unit.objects.bulk_update(batch, ["path", "depth"])
    return len(changed)


def _import_write_people(plan: importers.PeoplePlan, *, progress: importers.Progress) -> None:
    """Create and change the people of a plan, then end, change and create their positions."""
    progress.start("writing", len(plan.create) + len(plan.update))
    now = timezone.now()
    today = timezone.localdate()
    created = [person_fill_derived(Person(code=row.code, **row.values)) for row in plan.create]
    for batch in _batches(created, 1000):
        Person.objects.bulk_create(batch)
        progress.step(len(batch))
    ids = {person.code: person.pk for person in created}
    changed = []
    for row in plan.update:
        ids[row.code] = row.person_id
        changed.append(
            person_fill_derived(Person(pk=row.person_id, code=row.code, updated_at=now, **row.values))
        )
    fields = [
        "family_name",
        "middle_name",
        "given_name",
        "gender",
        "birth_date",
        "phone",
        "email",
        "unit",
        "full_name",
        "sort_key",
        "search_text",
        "updated_at",
    ]
    for batch in _batches(changed):
        Person.objects.bulk_update(batch, fields)
        progress.step(len(batch))

    # A position that started after today (entered ahead of time) ends on its start date.
    end_date = Greatest(Value(today), Coalesce(F("start_date"), Value(today)), output_field=DateField())
    for batch in _batches(plan.positions_to_end, 900):
        Position.objects.filter(pk__in=batch, end_date__isnull=True).update(end_date=end_date)
    for flag in (True, False):
        ids_to_flag = [pk for pk, value in plan.positions_full_time.items() if value is flag]
        for batch in _batches(ids_to_flag, 900):
            Position.objects.filter(pk__in=batch).update(is_full_time=flag)
    positions = [
        Position(
            person_id=ids[code], unit_id=unit_id, role_id=role_id, is_full_time=is_full_time, start_date=today
        )
        for code, unit_id, role_id, is_full_time in plan.positions_to_create
    ]
    for batch in _batches(positions, 1000):
        Position.objects.bulk_create(batch)
