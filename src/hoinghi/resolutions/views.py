"""Pages of a resolution's implementation: a unit's dashboard, its entry form for a period, the
approval page of the level above, and the Excel form's download, upload and preview."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoinghi.core.errors import NotFoundError
from hoinghi.core.permissions import can
from hoinghi.resolutions import charts, excel, figures, selectors, services
from hoinghi.resolutions.errors import ResolutionsError, ResolutionsErrorCode
from hoinghi.resolutions.models import SubmissionState

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Refusals that concern the values typed: shown on the form, beside each value.
FIELD_CODES = {ResolutionsErrorCode.BAD_VALUE, ResolutionsErrorCode.RULE_FAILED}


def _not_found() -> NotFoundError:
    return NotFoundError(_("Không tìm thấy."), code="not_found")


def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _report(request, dataset_pk: int, unit_pk: int, period_pk: int, action: str = "resolutions.view"):
    """The data set, unit and period a URL names, the unit within what the actor may `action`."""
    actor = request.user
    dataset = selectors.dataset_get(actor=actor, pk=dataset_pk)
    unit = selectors.unit_get(actor=actor, pk=unit_pk, action=action)
    period = selectors.period_get(pk=period_pk)
    return dataset, unit, period


@login_required
def index(request):
    """The dashboard of the highest unit the actor sees, for the first resolution."""
    unit = selectors.unit_top(actor=request.user)
    if unit is None:
        raise _not_found()
    return redirect("resolutions:dashboard", unit_pk=unit.pk)


@login_required
def dashboard(request, unit_pk: int):
    actor = request.user
    unit = selectors.unit_get(actor=actor, pk=unit_pk)
    resolutions = list(selectors.resolution_list(actor=actor))
    chosen = _int(request.GET.get("nq"))
    resolution = next((r for r in resolutions if r.pk == chosen), resolutions[0] if resolutions else None)
    context = {"nav": "resolutions", "unit": unit, "resolutions": resolutions, "resolution": resolution}
    if resolution is not None:
        datasets = list(selectors.dataset_list(actor=actor, resolution=resolution))
        dataset = datasets[0] if datasets else None
        periods = list(selectors.period_list(periodicity=dataset.periodicity)) if dataset else []
        period = next(
            (p for p in periods if p.pk == _int(request.GET.get("ky"))), periods[0] if periods else None
        )
        context.update(dataset=dataset, periods=periods, period=period)
        if period is not None:
            board = charts.board_get(
                actor=actor,
                resolution=resolution,
                unit=unit,
                period=period,
                rank_code=request.GET.get("xep", ""),
                page=_int(request.GET.get("trang")) or 1,
            )
            context.update(
                board=board,
                ranked=board.ranked,
                board_data=charts.board_data(board),
                ancestors=selectors.unit_ancestors(actor=actor, unit=unit),
                completeness=figures.completeness(actor=actor, dataset=dataset, unit=unit, period=period),
                may_enter=can(actor, "resolutions.enter", unit),
                may_approve=can(actor, "resolutions.approve", unit),
                reports=selectors.unit_reports(dataset=dataset, unit=unit),
            )
    return render(request, "resolutions/dashboard.html", context)


def _entry_context(request, form, errors=None, typed=None) -> dict:
    """The form's rows, each with the text of its field (what was typed, after a refusal) and
    its errors."""
    errors, typed = errors or {}, typed or {}
    lines = [
        {
            "row": row,
            "text": typed.get(row.column.label, row.value_text),
            "errors": errors.get(row.column.label, []),
        }
        for row in form.rows
    ]
    return {"nav": "resolutions", "form": form, "lines": lines}


@login_required
def entry(request, dataset_pk: int, unit_pk: int, period_pk: int):
    """A unit's values for a period, last period's beside them; saved, or sent up (submit)."""
    actor = request.user
    dataset, unit, period = _report(request, dataset_pk, unit_pk, period_pk)
    if request.method == "POST":
        form = selectors.entry_form(actor=actor, dataset=dataset, unit=unit, period=period)
        values = {row.column.key: request.POST.get(f"v-{row.column.label}", "") for row in form.rows}
        comments = {
            row.column.key: request.POST.get(f"c-{row.column.label}", "").strip() for row in form.rows
        }
        try:
            services.datavalues_save(
                actor=actor,
                dataset=dataset,
                unit=unit,
                period=period,
                values=values,
                comments=comments,
                version=request.POST.get("version") or None,
            )
        except ResolutionsError as error:
            if error.code not in FIELD_CODES:
                raise
            errors = {
                label: [item["message"] for item in items] for label, items in error.field_errors.items()
            }
            typed = {selectors.key_label(key): value for key, value in values.items()}
            context = _entry_context(request, form, errors, typed)
            context["error"] = error.message
            context["may_enter"] = True
            return render(request, "resolutions/entry.html", context, status=400)
        if "submit" in request.POST:
            services.submission_submit(actor=actor, dataset=dataset, unit=unit, period=period)
            messages.success(request, _("Đã gửi báo cáo lên cấp trên."))
        else:
            messages.success(request, _("Đã lưu số liệu."))
        return redirect("resolutions:entry", dataset_pk=dataset.pk, unit_pk=unit.pk, period_pk=period.pk)
    form = selectors.entry_form(actor=actor, dataset=dataset, unit=unit, period=period)
    context = _entry_context(request, form)
    context["may_enter"] = can(actor, "resolutions.enter", unit)
    return render(request, "resolutions/entry.html", context)


@login_required
def approval(request, dataset_pk: int, unit_pk: int, period_pk: int):
    """The reports of a unit's children for the period, for the level above to approve or return."""
    actor = request.user
    dataset, unit, period = _report(request, dataset_pk, unit_pk, period_pk)
    reports = selectors.approval_list(actor=actor, dataset=dataset, unit=unit, period=period)
    return render(
        request,
        "resolutions/approval.html",
        {
            "nav": "resolutions",
            "dataset": dataset,
            "unit": unit,
            "period": period,
            "reports": reports,
            "may_approve": can(actor, "resolutions.approve", unit),
            "states": SubmissionState,
            "window": selectors.window_get(dataset=dataset, period=period),
        },
    )


@login_required
@require_POST
def submission_decide(request, pk: int, decision: str):
    actor = request.user
    submission = selectors.submission_get(actor=actor, pk=pk)
    text = request.POST.get("comment", "")
    if decision == "duyet":
        services.submission_approve(actor=actor, submission=submission)
        messages.success(request, _("Đã duyệt báo cáo của %(unit)s.") % {"unit": submission.unit.name})
    elif decision == "tra-lai":
        services.submission_return(actor=actor, submission=submission, comment=text)
        messages.success(request, _("Đã trả lại báo cáo của %(unit)s.") % {"unit": submission.unit.name})
    elif decision == "mo-khoa":
        services.submission_unlock(actor=actor, submission=submission, reason=text)
        messages.success(request, _("Đã mở khóa báo cáo của %(unit)s.") % {"unit": submission.unit.name})
    else:
        raise _not_found()
    parent = submission.unit.parent_id or submission.unit_id
    return redirect(
        "resolutions:approval",
        dataset_pk=submission.dataset_id,
        unit_pk=parent,
        period_pk=submission.period_id,
    )


@login_required
@require_POST
def entry_reopen(request, dataset_pk: int, unit_pk: int, period_pk: int):
    """The level above lets a unit enter outside the period's window, for a reason."""
    dataset, unit, period = _report(request, dataset_pk, unit_pk, period_pk)
    services.entry_reopen(
        actor=request.user, dataset=dataset, unit=unit, period=period, reason=request.POST.get("reason", "")
    )
    messages.success(request, _("Đã cho phép %(unit)s nhập số liệu ngoài thời hạn.") % {"unit": unit.name})
    return redirect(
        "resolutions:approval", dataset_pk=dataset.pk, unit_pk=unit.parent_id or unit.pk, period_pk=period.pk
    )


@login_required
def template_download(request, dataset_pk: int, unit_pk: int, period_pk: int):
    dataset, unit, period = _report(request, dataset_pk, unit_pk, period_pk)
    units, values = selectors.subtree_values(actor=request.user, dataset=dataset, unit=unit, period=period)
    title = f"{dataset.name} – {period} – {unit.name}"
    content = excel.template_build(
        layout=selectors.dataset_layout(dataset), title=title, units=units, values=values
    )
    name = f"so-lieu-{dataset.code}-{period.code}-{unit.code}.xlsx"
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=name, content_type=XLSX_TYPE)


@login_required
@require_POST
def upload(request, dataset_pk: int, unit_pk: int, period_pk: int):
    dataset, unit, period = _report(request, dataset_pk, unit_pk, period_pk, action="resolutions.enter")
    sent = request.FILES.get("file")
    if sent is None:
        messages.error(request, _("Hãy chọn tệp Excel để tải lên."))
        return redirect(reverse("resolutions:dashboard", args=[unit.pk]))
    checked = services.value_upload_check(
        actor=request.user,
        dataset=dataset,
        unit=unit,
        period=period,
        file_name=sent.name,
        content=sent.read(),
    )
    return redirect("resolutions:upload_detail", pk=checked.pk)


@login_required
def upload_detail(request, pk: int):
    checked = selectors.upload_get(actor=request.user, pk=pk)
    return render(request, "resolutions/upload.html", {"nav": "resolutions", "upload": checked})


@login_required
@require_POST
def upload_apply(request, pk: int):
    checked = selectors.upload_get(actor=request.user, pk=pk)
    try:
        services.value_upload_apply(actor=request.user, upload=checked)
    except ResolutionsError as error:
        if error.code != ResolutionsErrorCode.UPLOAD_HAS_ERRORS:
            raise
        # The new errors are kept on the upload: its page lists them.
        messages.error(request, error.message)
        return redirect("resolutions:upload_detail", pk=checked.pk)
    messages.success(
        request, _("Đã ghi số liệu của %(units)s đơn vị.") % {"units": checked.summary.get("units", 0)}
    )
    return redirect("resolutions:upload_detail", pk=checked.pk)
