"""Copied text for reviewers and organisers: a flag's two texts side by side with the shared
passages marked, and the decision on it (confirm or dismiss, with a reason); the organiser's
pass over every report, started from the reports' page, with its progress polled here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hoinghi.core.errors import DomainError
from hoinghi.learning_reports import selectors
from hoinghi.learning_reports.services import similarity as services


@login_required
@require_http_methods(["GET", "POST"])
def flag_page(request, flag_id: int):
    flag = selectors.flag_get(actor=request.user, pk=flag_id)
    error, status = None, 200
    if request.method == "POST":
        try:
            services.similarity_flag_decide(
                actor=request.user,
                flag_id=flag.pk,
                status=request.POST.get("status", ""),
                reason=request.POST.get("reason", ""),
            )
        except DomainError as refused:  # shown on the page with the reason kept; others to the error page
            if refused.status != 400:
                raise
            error, status = refused, 400
        else:
            messages.success(request, _("Đã ghi kết luận về đoạn trùng."))
            return redirect("learning_reports:flag", flag.pk)
    assignment = flag.version.report.assignment
    return render(
        request,
        "learning_reports/flag.html",
        {
            "nav": "marking",
            "page": selectors.flag_side_by_side(flag=flag),
            "flag": flag,
            "is_blind": assignment.is_blind and not selectors.may_read_reports(actor=request.user, flag=flag),
            "error": error,
            "reason_sent": request.POST.get("reason", ""),
            "status_sent": request.POST.get("status", ""),
        },
        status=status,
    )


@login_required
@require_POST
def run_start(request, conference_id: int):
    conference = selectors.reports_conference(actor=request.user, pk=conference_id)
    assignment = selectors.assignment_of(conference=conference)
    if assignment is None:
        return redirect("learning_reports:manage", conference.pk)
    services.similarity_run_start(actor=request.user, assignment=assignment)
    messages.success(request, _("Đã bắt đầu so sánh toàn bộ bài thu hoạch; tiến độ hiện ở dưới."))
    return redirect("learning_reports:manage", conference.pk)


@login_required
def run_progress(request, conference_id: int):
    conference = selectors.reports_conference(actor=request.user, pk=conference_id)
    run = selectors.similarity_run_latest(actor=request.user, conference=conference)
    if run is None:
        return JsonResponse({"status": None})
    return JsonResponse(
        {
            "status": run.status,
            "label": run.get_status_display(),
            "reports": run.reports,
            "done": run.done,
            "total": run.total,
            "flags": run.flags,
        }
    )
