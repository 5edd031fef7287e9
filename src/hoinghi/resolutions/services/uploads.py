"""An Excel form of a subtree's values for a period: checked into a preview that lists every
error by row, column and reason, then applied all or nothing.

The check is a plan: every row's unit is found in the subtree, every cell read, each unit's
report must be open, and the validation rules hold on what each unit would hold afterwards. Apply
makes the plan again inside its transaction, with the units' submissions locked, so that a report
submitted between the preview and the click is caught; one error and nothing is written.
A blank cell changes nothing (the template carries the stored values).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from hoinghi.core.errors import DomainError
from hoinghi.core.models import audit
from hoinghi.core.permissions import require
from hoinghi.orgs.models import Unit
from hoinghi.resolutions.errors import ResolutionsError, ResolutionsErrorCode
from hoinghi.resolutions.excel import UploadTable, upload_read
from hoinghi.resolutions.models import DataSet, Period, Submission, ValueUpload, ValueUploadStatus
from hoinghi.resolutions.selectors import (
    Key,
    Layout,
    dataset_layout,
    dataset_unit_q,
    key_label,
    window_refusals,
)
from hoinghi.resolutions.services.values import (
    merged,
    period_check,
    stored_values,
    submissions_lock,
    values_check,
    values_parse,
    values_write,
)


@dataclass
class UploadPlan:
    layout: Layout
    units: dict[int, Unit] = field(default_factory=dict)
    changes: dict[int, dict[Key, Decimal]] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)
    stored: dict = field(default_factory=dict)

    def error(self, row: int | None, column: str, heading: str, message: str) -> None:
        self.errors.append({"row": row, "column": column, "heading": heading, "message": str(message)})

    @property
    def summary(self) -> dict:
        return {
            "units": len(self.changes),
            "values": sum(len(values) for values in self.changes.values()),
            "columns": len(self.layout.columns),
        }


def _plan(
    *,
    dataset: DataSet,
    root: Unit,
    period: Period,
    table: UploadTable,
    submissions: dict[int, Submission] | None,
) -> UploadPlan:
    layout = dataset_layout(dataset)
    plan = UploadPlan(layout)
    codes = {code for _number, code, _raw in table.rows if code}
    units = {
        unit.code: unit
        for unit in Unit.objects.filter(
            dataset_unit_q(dataset), path__under=root.path, code__in=sorted(codes)
        ).select_related("kind")
    }
    if submissions is None:
        found = Submission.objects.filter(
            dataset=dataset, period=period, unit__in=[u.pk for u in units.values()]
        )
        submissions = {submission.unit_id: submission for submission in found}
    plan.stored = stored_values(layout=layout, period=period, unit_ids=[unit.pk for unit in units.values()])
    refusals = window_refusals(dataset=dataset, period=period, unit_ids=[unit.pk for unit in units.values()])
    seen: dict[str, int] = {}
    for number, code, raw in table.rows:
        if not code:
            plan.error(number, "A", _("Mã đơn vị"), _("Thiếu mã đơn vị."))
            continue
        unit = units.get(code)
        if unit is None:
            plan.error(
                number,
                "A",
                _("Mã đơn vị"),
                _("Không có đơn vị mã “%(code)s” báo cáo bộ số liệu này trong %(root)s.")
                % {"code": code, "root": root.name},
            )
            continue
        if code in seen:
            plan.error(number, "A", _("Mã đơn vị"), _("Đơn vị đã có ở dòng %(row)s.") % {"row": seen[code]})
            continue
        seen[code] = number
        if unit.pk in refusals:
            # Outside the period's window: a row that would write something is refused; a blank
            # one (a unit of the template left alone) changes nothing and is no error.
            if any(value is not None and str(value).strip() for value in raw.values()):
                plan.error(number, "A", _("Mã đơn vị"), refusals[unit.pk].message)
            continue
        submission = submissions.get(unit.pk)
        if submission is not None and not submission.is_open:
            plan.error(
                number,
                "A",
                _("Mã đơn vị"),
                _("Báo cáo của đơn vị đang ở trạng thái “%(state)s”: không sửa được số liệu.")
                % {"state": submission.get_state_display()},
            )
            continue
        parsed, reasons = values_parse(layout, raw, unit=unit)
        for key, reason in reasons.items():
            letter, heading = table.columns[key]
            plan.error(
                number, letter, heading, _("“%(cell)s”: %(reason)s.") % {"cell": raw[key], "reason": reason}
            )
        has_error = bool(reasons)
        changes = {key: value for key, value in parsed.items() if value is not None}
        if has_error:
            continue
        for key, message in values_check(layout.rules, merged(plan.stored[unit.pk], changes)).items():
            letter, heading = table.columns.get(key, ("", key_label(key)))
            plan.error(number, letter, heading, message)
            has_error = True
        if not has_error and changes:
            plan.units[unit.pk] = unit
            plan.changes[unit.pk] = changes
    return plan


def _context(upload: ValueUpload) -> dict:
    return {"dataset": upload.dataset, "root": upload.unit, "period": upload.period}


@transaction.atomic
def value_upload_check(
    *, actor, dataset: DataSet, unit: Unit, period: Period, file_name: str, content: bytes
) -> ValueUpload:
    """Read an uploaded form of `unit`'s subtree and keep it with its preview: every error by row,
    column and reason (status invalid), or what applying would write (status previewed).

    Raises NotFoundError/PermissionDeniedError unless the actor may enter the subtree's data,
    ResolutionsError (wrong_period; upload_bad_headers), OrgsError for a file that cannot be opened.
    """
    require(actor, "resolutions.enter", unit)
    period_check(dataset=dataset, period=period)
    layout = dataset_layout(dataset)
    table = upload_read(layout=layout, file_name=file_name, content=content)
    plan = _plan(dataset=dataset, root=unit, period=period, table=table, submissions=None)
    upload = ValueUpload.objects.create(
        dataset=dataset,
        unit=unit,
        period=period,
        file_name=file_name[:255],
        content=content,
        status=ValueUploadStatus.INVALID if plan.errors else ValueUploadStatus.PREVIEWED,
        errors=plan.errors,
        summary=plan.summary,
        created_by=actor,
    )
    audit(
        actor=actor,
        type="resolutions.upload.checked",
        obj=upload,
        unit_path=unit.path,
        errors=len(plan.errors),
        **plan.summary,
    )
    return upload


def value_upload_apply(*, actor, upload: ValueUpload) -> ValueUpload:
    """Write every value of a checked upload, all or nothing.

    The plan is made again with the units' submissions locked; if it now has errors (a report
    was submitted meanwhile), nothing is written, the upload keeps the new errors and
    ResolutionsError(upload_has_errors) is raised. Raises ResolutionsError(upload_applied) for
    an upload applied before.
    """
    try:
        return _apply(actor=actor, upload=upload)
    except _PlanFailed as failed:
        ValueUpload.objects.filter(pk=upload.pk).update(
            status=ValueUploadStatus.INVALID, errors=failed.errors
        )
        upload.status, upload.errors = ValueUploadStatus.INVALID, failed.errors
        raise ResolutionsError(
            _("Tệp còn %(count)s lỗi: chưa ghi số liệu nào."),
            code=ResolutionsErrorCode.UPLOAD_HAS_ERRORS,
            params={"count": len(failed.errors)},
        ) from None


class _PlanFailed(DomainError):
    def __init__(self, errors: list[dict]):
        super().__init__("", code=ResolutionsErrorCode.UPLOAD_HAS_ERRORS)
        self.errors = errors


@transaction.atomic
def _apply(*, actor, upload: ValueUpload) -> ValueUpload:
    upload = ValueUpload.objects.select_for_update().get(pk=upload.pk)
    require(actor, "resolutions.enter", upload.unit)
    if upload.status == ValueUploadStatus.APPLIED:
        raise ResolutionsError(_("Tệp này đã được áp dụng."), code=ResolutionsErrorCode.UPLOAD_APPLIED)
    layout = dataset_layout(upload.dataset)
    table = upload_read(layout=layout, file_name=upload.file_name, content=bytes(upload.content))
    codes = sorted({code for _number, code, _raw in table.rows if code})
    unit_ids = list(
        Unit.objects.filter(
            dataset_unit_q(upload.dataset), path__under=upload.unit.path, code__in=codes
        ).values_list("pk", flat=True)
    )
    submissions = submissions_lock(dataset=upload.dataset, period=upload.period, unit_ids=unit_ids)
    plan = _plan(**_context(upload), table=table, submissions=submissions)
    if plan.errors:
        raise _PlanFailed(plan.errors)
    written = values_write(
        actor=actor,
        dataset=upload.dataset,
        period=upload.period,
        layout=plan.layout,
        units=plan.units,
        changes=plan.changes,
        comments={},
        stored=plan.stored,
    )
    upload.status, upload.errors, upload.summary = ValueUploadStatus.APPLIED, [], plan.summary
    upload.save(update_fields=["status", "errors", "summary", "updated_at"])
    audit(
        actor=actor,
        type="resolutions.upload.applied",
        obj=upload,
        unit_path=upload.unit.path,
        written=written,
    )
    return upload
