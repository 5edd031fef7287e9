"""The reviewer's pages: their queue (the markings allocated to them, within their subtree) and
the marking page (the report, what changed since the version before, the rubric as radio
buttons with a comment per criterion, an overall comment; or return for revision)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hoinghi.core.errors import DomainError
from hoinghi.learning_reports import selectors, services
from hoinghi.learning_reports.models import MarkingState


@login_required
def queue(request):
    """The reviewer's open markings, oldest first, and those done; each list shows its first
    `QUEUE_SHOWN` beside how many there are (a provincial reviewer may hold hundreds)."""
    markings = selectors.marking_queue(actor=request.user)
    open_markings = markings.filter(state=MarkingState.ALLOCATED)
    done = markings.exclude(state=MarkingState.ALLOCATED)
    return render(
        request,
        "learning_reports/queue.html",
        {
            "nav": "marking",
            "open": list(open_markings[:QUEUE_SHOWN]),
            "open_count": open_markings.count(),
            "done": list(done[:QUEUE_SHOWN]),
            "done_count": done.count(),
        },
    )


QUEUE_SHOWN = 200


def _levels(post, rubric) -> tuple[dict[int, int], dict[int, str]]:
    levels, comments = {}, {}
    for criterion in rubric:
        value = post.get(f"level-{criterion.pk}", "")
        if value.isdigit():
            levels[criterion.pk] = int(value)
        comments[criterion.pk] = post.get(f"comment-{criterion.pk}", "")
    return levels, comments


@login_required
@require_http_methods(["GET", "POST"])
def marking_page(request, marking_id: int):
    marking = selectors.marking_get(actor=request.user, pk=marking_id)
    page = selectors.marking_page(marking=marking)
    error, status = None, 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "return":
                services.report_return(
                    actor=request.user, marking_id=marking.pk, comment=request.POST.get("return_comment", "")
                )
                messages.success(request, _("Đã trả bài lại cho người viết để sửa."))
            else:
                levels, comments = _levels(request.POST, page.rubric)
                services.marking_save(
                    actor=request.user,
                    marking_id=marking.pk,
                    levels=levels,
                    comments=comments,
                    comment=request.POST.get("comment", ""),
                )
                messages.success(request, _("Đã lưu kết quả chấm."))
        except DomainError as refused:  # shown on the page, the choices kept; others to the error page
            if refused.status != 400:
                raise
            error, status = refused, 400
        else:
            return redirect("learning_reports:queue")
    for criterion in page.rubric:  # the choices made are kept when the page comes back refused
        for level in criterion.level_list:
            level.is_chosen = request.POST.get(f"level-{criterion.pk}") == str(level.pk)
        criterion.comment_sent = request.POST.get(f"comment-{criterion.pk}", "")
    assignment = marking.report.assignment
    return render(
        request,
        "learning_reports/marking.html",
        {
            "nav": "marking",
            "marking": marking,
            "report": marking.report,
            "assignment": assignment,
            "is_blind": assignment.is_blind,
            "page": page,
            "error": error,
            "comment_sent": request.POST.get("comment", ""),
            "maximum": services.rubric_maximum(assignment=assignment),
        },
        status=status,
    )
