"""The national live dashboard and the incidents page (live-operations issue).

The dashboard renders its first snapshot into the page (so a wall screen shows figures before
its socket opens); dashboard.js then follows the WebSocket (consumers.DashboardConsumer) and
polls the API (api_live) while the socket is down.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoinghi.attendance import services
from hoinghi.attendance.dashboard import LIVE_VIEW, OFFLINE_AFTER, audience_for
from hoinghi.attendance.events import ONLINE_WITHIN
from hoinghi.attendance.models import Incident
from hoinghi.conferences.selectors import conference_get
from hoinghi.core.permissions import can, scope

PER_PAGE = 50


@login_required
def dashboard(request, pk: int):
    actor = request.user
    conference = conference_get(actor=actor, pk=pk)
    audience = audience_for(actor=actor, conference=conference)
    snapshot = LIVE_VIEW.message(conference, audience)
    return render(
        request,
        "attendance/dashboard.html",
        {
            "nav": "conferences",
            "conference": conference,
            "snapshot": snapshot,
            "config": {
                "socket": f"/ws/truc-tiep/{conference.pk}/",
                "poll": reverse("api:live_snapshot", kwargs={"conference_id": conference.pk}),
                "incidents": reverse("attendance:incidents", kwargs={"pk": conference.pk}),
                "online_within": int(ONLINE_WITHIN.total_seconds()),
                "offline_after": int(OFFLINE_AFTER.total_seconds()),
                # Times are shown in the conference's zone, not the screen's (a wall screen abroad,
                # a laptop left on another zone): the same hours as the reports and print-outs.
                "time_zone": conference.time_zone.key,
            },
        },
    )


def _incidents(actor, conference):
    return scope(
        actor, "conferences.view", Incident.objects.filter(point__conference=conference)
    ).select_related("point", "point__unit", "opened_by", "closed_by")


def _may_close(actor, incident: Incident) -> bool:
    return can(actor, "attendance.operate", incident.point)


@login_required
def incidents(request, pk: int):
    actor = request.user
    conference = conference_get(actor=actor, pk=pk)
    status = request.GET.get("trang-thai", "mo")
    rows = _incidents(actor, conference)
    counts = {
        "mo": rows.filter(closed_at__isnull=True).count(),
        "dong": rows.filter(closed_at__isnull=False).count(),
    }
    rows = rows.filter(closed_at__isnull=status != "dong")
    rows = rows.order_by("opened_at", "id") if status != "dong" else rows.order_by("-closed_at", "-id")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for incident in page:
        incident.may_close = incident.closed_at is None and _may_close(actor, incident)
    return render(
        request,
        "attendance/incidents.html",
        {"nav": "conferences", "conference": conference, "page": page, "status": status, "counts": counts},
    )


@login_required
@require_POST
def incident_close(request, pk: int, incident_pk: int):
    actor = request.user
    conference = conference_get(actor=actor, pk=pk)
    incident = _incidents(actor, conference).filter(pk=incident_pk).first()
    if incident is None:
        raise Http404
    resolution = request.POST.get("resolution", "").strip()[:500]
    if not resolution:
        messages.error(request, _("Hãy ghi cách đã xử lý sự cố."))
        return redirect(
            f"{reverse('attendance:incidents', kwargs={'pk': conference.pk})}#su-co-{incident.pk}"
        )
    services.incident_close(actor=actor, incident=incident, resolution=resolution)
    messages.success(request, _("Đã đóng sự cố tại %(point)s.") % {"point": incident.point.name})
    return redirect("attendance:incidents", pk=conference.pk)


urlpatterns = [
    path("hoi-nghi/<int:pk>/", dashboard, name="dashboard"),
    path("hoi-nghi/<int:pk>/su-co/", incidents, name="incidents"),
    path("hoi-nghi/<int:pk>/su-co/<int:incident_pk>/dong/", incident_close, name="incident_close"),
]
