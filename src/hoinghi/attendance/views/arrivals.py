"""Per point, who has not arrived yet (invited, checked in nowhere), with their phone numbers:
for the operator to call on the morning. A page that prints on A4, and the same list as .xlsx.

Its operators and whoever sees the point (`conferences.view`) open it; each sees the invitees
they may see (a provincial organiser, those of their province)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache

from hoinghi.attendance import documents, selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@never_cache
def not_arrived(request, point_pk: int):
    point = selectors.point_for_arrivals(actor=request.user, point_id=point_pk)
    rows = list(selectors.point_not_arrived(actor=request.user, point=point))
    return render(
        request,
        "attendance/not_arrived.html",
        {"point": point, "conference": point.conference, "rows": rows, "at": timezone.now()},
    )


@login_required
def not_arrived_xlsx(request, point_pk: int):
    point = selectors.point_for_arrivals(actor=request.user, point_id=point_pk)
    rows = selectors.point_not_arrived(actor=request.user, point=point).iterator(chunk_size=2000)
    content = documents.not_arrived_xlsx(point=point, rows=rows, at=timezone.now())
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="chua-den-diem-cau-{point.pk}.xlsx"'
    response["Cache-Control"] = "private, no-store"  # names and phone numbers
    return response


urlpatterns = [
    path("diem-cau/<int:point_pk>/chua-den/", not_arrived, name="not_arrived"),
    path("diem-cau/<int:point_pk>/chua-den.xlsx", not_arrived_xlsx, name="not_arrived_xlsx"),
]
