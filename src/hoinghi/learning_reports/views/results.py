"""The organisers' marking tools on the conference's reports tab: statistics per unit drillable
down the tree (and their .xlsx), allocation of the waiting reports, re-allocation in bulk, and
release of results per unit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoinghi.accounts.models import User
from hoinghi.conferences import selectors as conferences
from hoinghi.core import live
from hoinghi.core.errors import NotFoundError
from hoinghi.core.permissions import can
from hoinghi.learning_reports import documents, selectors, services, statistics
from hoinghi.learning_reports import live as statistics_live_view
from hoinghi.learning_reports.models import GradeBand
from hoinghi.learning_reports.services.marking import RELEASE, may_allocate
from hoinghi.learning_reports.services.reminders import REMIND
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


MISSING_SHOWN = 50  # who has not submitted, on the page; the .xlsx and the PDF list them all


def _file(content: bytes, content_type: str, file_name: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"attachment" if attachment else "inline"}; filename="{file_name}"'
    response["Cache-Control"] = "private, no-store"  # names people: nothing in between keeps a copy
    return response


@login_required
def statistics_page(request, conference_id: int):
    """The statistics of a unit (`don-vi`; none: the actor's tops) and its children, who has not
    submitted, and the same as .xlsx or PDF (`xuat`): all three from `unit_statistics`."""
    conference, assignment = _assignment(request, conference_id)
    unit = _unit(request)
    table = statistics.unit_statistics(actor=request.user, assignment=assignment, unit=unit)
    name = f"thong-ke-bai-thu-hoach-{conference.pk}" + (f"-{unit.pk}" if unit else "")
    if request.GET.get("xuat") == "xlsx":
        return _file(statistics.statistics_xlsx(table), XLSX_TYPE, f"{name}.xlsx", attachment=True)
    if request.GET.get("xuat") == "pdf":
        letterhead = conferences.document_letterhead(conference=conference, day=timezone.localdate())
        content = documents.statistics_pdf(table, letterhead=letterhead)
        return _file(content, "application/pdf", f"{name}.pdf", attachment=False)
    for row in table.rows:
        row.may_release = can(request.user, RELEASE, row.unit)
    remind_unit = unit or (table.rows[0].unit if len(table.rows) == 1 else None)
    return render(
        request,
        "learning_reports/statistics.html",
        {
            "conference": conference,
            "tab": "learning_reports",
            "assignment": assignment,
            "unit": unit,
            "ancestors": orgs.unit_ancestors(actor=request.user, unit=unit) if unit else [],
            "table": table,
            "own": table.own,
            "rows": table.rows,
            "total": None if table.own is not None or len(table.rows) < 2 else table.total,
            "missing": table.missing[:MISSING_SHOWN],
            "band_labels": GradeBand.labels,
            "may_allocate": may_allocate(actor=request.user, assignment=assignment),
            "live_config": {
                "socket": f"/ws/bai-thu-hoach/{conference.pk}/{unit.pk if unit else 0}/",
                "poll": reverse("learning_reports:statistics_live", args=[conference.pk])
                + (f"?don-vi={unit.pk}" if unit else ""),
                "every": 5000,
            },
            "remind_unit": remind_unit if remind_unit and can(request.user, REMIND, remind_unit) else None,
        },
    )


def statistics_live(request, conference_id: int):
    """The live statistics' snapshot for a page whose socket is down (live.py): the very one the
    socket would send. Outside the caller's reach, or signed out: 404."""
    unit = request.GET.get("don-vi", "")
    conference, audience = statistics_live_view.subscription(
        actor=request.user, conference_id=conference_id, unit_id=int(unit) if unit.isdigit() else 0
    )
    return JsonResponse(live.polled_message(statistics_live_view.LIVE_VIEW, conference, audience))


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
