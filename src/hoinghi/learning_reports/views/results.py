"""The organisers' marking tools on the conference's reports tab: statistics per unit drillable
down the tree (and their .xlsx), allocation of the waiting reports, re-allocation in bulk, and
release of results per unit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoinghi.accounts.models import User
from hoinghi.core.errors import NotFoundError
from hoinghi.core.permissions import can
from hoinghi.learning_reports import selectors, services, statistics
from hoinghi.learning_reports.models import GradeBand
from hoinghi.learning_reports.services.marking import RELEASE, may_allocate
from hoinghi.orgs import selectors as orgs

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _assignment(request, conference_id: int):
    conference = selectors.reports_conference(actor=request.user, pk=conference_id)
    assignment = selectors.assignment_of(conference=conference)
    if assignment is None:
        raise NotFoundError(_("Không tìm thấy."), code="not_found")
    return conference, assignment


def _unit(request, key: str = "don-vi"):
    value = request.GET.get(key) or request.POST.get(key) or ""
    return orgs.unit_get(actor=request.user, pk=int(value)) if value.isdigit() else None


@login_required
def statistics_page(request, conference_id: int):
    conference, assignment = _assignment(request, conference_id)
    unit = _unit(request)
    own, rows = statistics.unit_statistics(actor=request.user, assignment=assignment, unit=unit)
    for row in rows:
        row.may_release = can(request.user, RELEASE, row.unit)
    if request.GET.get("xuat") == "xlsx":
        content = statistics.statistics_xlsx(actor=request.user, assignment=assignment, unit=unit)
        response = HttpResponse(content, content_type=XLSX_TYPE)
        response["Content-Disposition"] = (
            f'attachment; filename="thong-ke-bai-thu-hoach-{conference.pk}.xlsx"'
        )
        return response
    return render(
        request,
        "learning_reports/statistics.html",
        {
            "conference": conference,
            "tab": "learning_reports",
            "assignment": assignment,
            "unit": unit,
            "ancestors": orgs.unit_ancestors(actor=request.user, unit=unit) if unit else [],
            "own": own,
            "rows": rows,
            "band_labels": GradeBand.labels,
            "may_allocate": may_allocate(actor=request.user, assignment=assignment),
        },
    )


@login_required
@require_POST
def allocate(request, conference_id: int):
    """Allocate the waiting reports; with `bai` (report ids), re-allocate those, to `nguoi-cham`
    (a username) when given."""
    conference, assignment = _assignment(request, conference_id)
    ids = [int(pk) for pk in request.POST.getlist("bai") if pk.isdigit()] or None
    reviewer = None
    if request.POST.get("nguoi-cham"):
        reviewer = User.objects.filter(username=request.POST["nguoi-cham"].strip(), is_active=True).first()
        if reviewer is None:
            raise NotFoundError(_("Không tìm thấy người chấm."), code="not_found")
    count = services.reports_allocate(
        actor=request.user, assignment=assignment, report_ids=ids, reviewer=reviewer
    )
    messages.success(request, _("Đã phân công %(n)s bài.") % {"n": count})
    return redirect("learning_reports:statistics", conference_id=conference.pk)


@login_required
@require_POST
def release(request, conference_id: int):
    conference, assignment = _assignment(request, conference_id)
    unit = _unit(request)
    if unit is None:
        raise NotFoundError(_("Không tìm thấy."), code="not_found")
    count = services.results_release(actor=request.user, assignment=assignment, unit=unit)
    messages.success(
        request, _("Đã công bố kết quả %(n)s bài của %(unit)s.") % {"n": count, "unit": unit.name}
    )
    return redirect("learning_reports:statistics", conference_id=conference.pk)
