"""Pages to import units and people from a file (upload → preview → apply) and to export them."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoinghi.core.forms import add_domain_error
from hoinghi.core.permissions import reach
from hoinghi.orgs import exporters, selectors, services
from hoinghi.orgs.errors import OrgsError
from hoinghi.orgs.forms import ExportForm, ImportForm
from hoinghi.orgs.importers import all_columns_for, columns_for
from hoinghi.orgs.models import ImportKind, ImportStatus

ERRORS_PER_PAGE = 200
RECENT_JOBS = 10
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _optional_unit(actor, value: str | None, action: str):
    if not value:
        return None
    try:
        pk = int(value)
    except ValueError as error:
        raise Http404 from error
    return selectors.unit_get(actor=actor, pk=pk, action=action)


@login_required
def import_start(request):
    actor = request.user
    unit = _optional_unit(actor, request.GET.get("unit"), "orgs.import")
    form = ImportForm(request.POST or None, request.FILES or None, actor=actor, unit=unit)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_job_create(
                actor=actor,
                kind=form.cleaned_data["kind"],
                scope_unit=form.cleaned_data["unit"],
                file_name=upload.name,
                content=upload.read(),
            )
        except OrgsError as error:
            add_domain_error(form, error, field="file")
        else:
            return redirect("orgs:import_detail", pk=job.pk)
    return render(
        request,
        "orgs/import_start.html",
        {
            "nav": "import",
            "form": form,
            "can_import": bool(form.fields["unit"].choices),
            "layouts": [(kind, label, columns_for(kind)) for kind, label in ImportKind.choices],
            "max_megabytes": settings.HOINGHI_IMPORT_MAX_BYTES // (1024 * 1024),
            "max_rows": f"{settings.HOINGHI_IMPORT_MAX_ROWS:,}".replace(",", "."),
            "jobs": selectors.import_job_list(actor=actor)[:RECENT_JOBS],
        },
    )


def _progress_context(job) -> dict:
    return {"job": job, "progress": selectors.import_job_progress(job=job)}


@login_required
def import_detail(request, pk: int):
    job = selectors.import_job_get(actor=request.user, pk=pk)
    # A file-level error (the file as a whole, row None) comes first; row errors follow it.
    file_errors = [error for error in job.errors[:1] if error.get("row") is None]
    errors = Paginator(job.errors[len(file_errors) :], ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/import_detail.html",
        {
            "nav": "import",
            **_progress_context(job),
            "errors": errors,
            "can_apply": job.status == ImportStatus.PREVIEWED
            and not job.error_count
            and not job.summary.get("undecided"),
            "file_errors": file_errors,
            "column_choices": [("", _("(không nhập)"))]
            + [(column.key, column.header) for column in all_columns_for(job.kind)],
            "details": job.details,
        },
    )


@login_required
@require_POST
def import_choose(request, pk: int):
    """The clerk's choices in the preview: the sheet, the columns, the likely duplicates."""
    job = selectors.import_job_get(actor=request.user, pk=pk)
    post = request.POST
    columns = {
        name.removeprefix("column-"): value for name, value in post.items() if name.startswith("column-")
    }
    duplicates = {
        name.removeprefix("duplicate-"): value
        for name, value in post.items()
        if name.startswith("duplicate-")
    }
    header_row = post.get("header_row", "")
    services.import_job_choose(
        actor=request.user,
        job=job,
        sheet=post.get("sheet") or None,
        header_row=int(header_row) if header_row.isdigit() else None,
        columns=columns or None,
        duplicates=duplicates or None,
    )
    return redirect("orgs:import_detail", pk=job.pk)


@login_required
def import_progress(request, pk: int):
    """The polled fragment: a progress bar while the job runs; when it stops, reload the page."""
    job = selectors.import_job_get(actor=request.user, pk=pk)
    response = render(request, "orgs/_import_progress.html", _progress_context(job))
    if job.status not in selectors.RUNNING_IMPORT_STATUSES and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def import_apply(request, pk: int):
    job = selectors.import_job_get(actor=request.user, pk=pk)
    services.import_job_request_apply(actor=request.user, job=job)
    return redirect("orgs:import_detail", pk=job.pk)


@login_required
def import_template(request, kind: str):
    if kind not in ImportKind.values:
        raise Http404
    output = exporters.template_xlsx(kind)
    name = f"mau-{exporters.FILE_STEMS[ImportKind(kind)]}.xlsx"
    return FileResponse(output, as_attachment=True, filename=name, content_type=XLSX_TYPE)


@login_required
def export_page(request):
    actor = request.user
    unit = _optional_unit(actor, request.GET.get("unit"), "orgs.export")
    form = ExportForm(request.GET if "kind" in request.GET else None, actor=actor, unit=unit)
    if form.is_bound and form.is_valid():
        url = reverse(
            "orgs:export_download", args=[form.cleaned_data["kind"], form.cleaned_data["file_format"]]
        )
        chosen = form.cleaned_data["unit"]
        return redirect(f"{url}?{urlencode({'unit': chosen.pk})}" if chosen else url)
    return render(
        request,
        "orgs/export.html",
        {"nav": "export", "form": form, "can_export": not reach(actor, "orgs.export").is_empty},
    )


@login_required
def export_download(request, kind: str, file_format: str):
    actor = request.user
    if kind not in ImportKind.values or file_format not in exporters.FORMATS:
        raise Http404
    unit = _optional_unit(actor, request.GET.get("unit"), "orgs.export")
    if unit is None and reach(actor, "orgs.export").is_empty:
        raise Http404  # no export grant at all
    columns = columns_for(kind)
    rows = exporters.rows_for(kind, actor=actor, unit=unit)
    name = exporters.file_name(kind, file_format, unit)
    if file_format == "xlsx":
        output = exporters.write_xlsx(columns, rows, title=str(ImportKind(kind).label))
        return FileResponse(output, as_attachment=True, filename=name, content_type=XLSX_TYPE)
    response = StreamingHttpResponse(
        (chunk.encode() for chunk in exporters.csv_chunks(columns, rows)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
