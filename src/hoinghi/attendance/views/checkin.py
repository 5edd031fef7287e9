"""The operator's check-in page, and the service worker that lets it reload offline.

The page is a shell: the roster, the queue of scans and the answers live in the browser
(the ES modules of attendance/static/attendance/checkin/) and talk to the JSON API (attendance/api.py).
"""

import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hoinghi.attendance import selectors
from hoinghi.attendance.models import AbsenceReason, IncidentKind
from hoinghi.core.catalogue import catalogue_urls

# Every static file the page needs, so that the service worker can keep them for offline reloads:
# each of the page's ES modules too (the browser asks for them one by one, by the names in their
# `import` lines; a manifest storage with hashed names must rewrite those, as Django's does with
# `support_js_module_import_aggregation`).
CHECKIN_MODULES = ("main", "page", "i18n", "storage", "state", "ui", "sync", "record", "scanner")
SHELL_STATIC = (
    "hoinghi/hoinghi.css",
    "attendance/checkin.css",
    *(f"attendance/checkin/{module}.js" for module in CHECKIN_MODULES),
    "vendor/jsqr/jsQR.js",
    "vendor/htmx/htmx.min.js",
)


@login_required
@never_cache  # the service worker, not the HTTP cache, keeps the offline copy
def checkin(request, point_pk: int):
    point = selectors.point_for_checkin(actor=request.user, point_id=point_pk)
    return render(
        request,
        "attendance/checkin.html",
        {
            "point": point,
            "conference": point.conference,
            # Drawn with the page, so the first paint (and a page whose roster has not come,
            # on a slow link) shows the real count, not 0 (issue 17).
            "invited": selectors.point_invited_count(actor=request.user, point=point),
            "incident_kinds": IncidentKind.choices,
            "absence_reasons": AbsenceReason.choices,
        },
    )


@require_GET
def service_worker(request):
    """The service worker, served from /truc-tiep/ so that its scope covers the check-in pages.

    Its cache name carries the static URLs (hashed names in production) and those of the
    JavaScript catalogue of every language (versioned), so a deploy that changes a file or a
    translation makes a new cache and drops the old one.
    """
    shell = json.dumps([static(name) for name in SHELL_STATIC] + catalogue_urls())
    version = hashlib.sha256(shell.encode()).hexdigest()[:12]
    script = render_to_string("attendance/sw.js", {"shell": shell, "version": version})
    response = HttpResponse(script, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/truc-tiep/"
    return response


def points_to_operate_card(request, **_ignored) -> str:
    """On the landing page (extension point "orgs.home"): links to the check-in pages of the
    operator's points."""
    points = selectors.points_to_operate(actor=request.user)
    if not points:
        return ""
    return render_to_string("attendance/_points_to_operate.html", {"points": points}, request=request)


urlpatterns = [
    path("diem-cau/<int:point_pk>/diem-danh/", checkin, name="checkin"),
    path("sw.js", service_worker, name="service_worker"),
]
