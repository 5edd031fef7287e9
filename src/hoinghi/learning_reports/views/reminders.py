"""Reminding those who have not submitted, from the statistics page: a page that states how many
of the unit's subtree a sending would reach now, and the button that sends to exactly that many
(the conferences' mass sendings work the same way)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hoinghi.core.errors import NotFoundError
from hoinghi.core.permissions import require
from hoinghi.learning_reports import services
from hoinghi.learning_reports.services.reminders import REMIND, REMINDER_INTERVAL
from hoinghi.learning_reports.statistics import not_submitted
from hoinghi.learning_reports.views.results import _assignment, _unit

SAMPLE = 20  # recipients named on the confirmation page


@login_required
@require_http_methods(["GET", "POST"])
def remind(request, conference_id: int):
    """GET: the confirmation page for the unit's subtree (`don-vi`). POST: send, with `expected`
    the count that page showed."""
    conference, assignment = _assignment(request, conference_id)
    unit = _unit(request)
    if unit is None:
        raise NotFoundError(_("Không tìm thấy."), code="not_found")
    require(request.user, REMIND, unit)
    statistics_url = reverse("learning_reports:statistics", args=[conference.pk]) + f"?don-vi={unit.pk}"
    if request.method == "POST":
        expected = request.POST.get("expected", "")
        count = services.reminders_send(
            actor=request.user,
            assignment=assignment,
            unit=unit,
            expected=int(expected) if expected.isdigit() else None,
        )
        if count:
            messages.success(request, _("Đã xếp %(count)s thư nhắc vào hàng đợi gửi.") % {"count": count})
        else:
            messages.info(request, _("Không có ai cần nhắc."))
        return redirect(statistics_url)
    recipients = services.reminder_recipients(actor=request.user, assignment=assignment, unit=unit)
    missing = not_submitted(actor=request.user, assignment=assignment, unit=unit, action=REMIND)
    count = recipients.count()
    without_email = missing.filter(person__email="").count()
    return render(
        request,
        "learning_reports/reminders_confirm.html",
        {
            "conference": conference,
            "tab": "learning_reports",
            "assignment": assignment,
            "unit": unit,
            "count": count,
            "sample": recipients[:SAMPLE],
            "without_email": without_email,
            "reminded_recently": missing.count() - without_email - count,
            "interval_hours": int(REMINDER_INTERVAL.total_seconds() // 3600),
            "statistics_url": statistics_url,
        },
    )
