"""After the conference: attendance by point, province and category, absentees (live-operations issue).

For organisers and viewers, scoped to their subtree (`attendance.reports`). The page shows the
tables and the first absentees page by page; the downloads carry all of them:
`.xlsx` (one sheet per table) and an A4 PDF with the official header. The summary of the
morning (`summary`) is one printable page of the same figures, and the same page as a PDF.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.attendance import documents, reports, summary, summary_document
from hoinghi.conferences import documents as conference_documents
from hoinghi.conferences import selectors as conferences

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ABSENTEES_PER_PAGE = 100


def _file(content: bytes, content_type: str, file_name: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"attachment" if attachment else "inline"}; filename="{file_name}"'
    response["Cache-Control"] = "private, no-store"  # names people
    return response


@login_required
def report(request, pk: int):
    conference = reports.report_conference(actor=request.user, pk=pk)
    figures = reports.attendance_report(actor=request.user, conference=conference)
    absentees = reports.absentee_list(actor=request.user, conference=conference)
    paginator = Paginator(absentees, ABSENTEES_PER_PAGE)
    # The total is known already: absent = invited - present; no COUNT over the anti-join.
    paginator.count = figures.absent
    page = paginator.get_page(request.GET.get("trang"))
    start = (page.number - 1) * ABSENTEES_PER_PAGE
    return render(
        request,
        "attendance/report.html",
        {
            "conference": conference,
            "report": figures,
            "page": page,
            "absentees": list(reports.absentee_rows(absentees[start : start + ABSENTEES_PER_PAGE])),
            "first_number": start + 1,
        },
    )


@login_required
def report_xlsx(request, pk: int):
    conference = reports.report_conference(actor=request.user, pk=pk)
    figures = reports.attendance_report(actor=request.user, conference=conference)
    absentees = reports.absentee_rows(reports.absentee_list(actor=request.user, conference=conference))
    content = documents.report_xlsx(figures, absentees)
    return _file(content, XLSX, f"bao-cao-diem-danh-{conference.pk}.xlsx", attachment=True)


@login_required
def report_pdf(request, pk: int):
    conference = reports.report_conference(actor=request.user, pk=pk)
    figures = reports.attendance_report(actor=request.user, conference=conference)
    absentees = reports.absentee_rows(reports.absentee_list(actor=request.user, conference=conference))
    letterhead = conference_documents.Letterhead(
        issuer=conference.organising_unit.name,
        department=_("Ban Tổ chức"),
        place=conferences.document_place(conference=conference),
        day=timezone.localdate(),
    )
    content = documents.report_pdf(figures, absentees, letterhead=letterhead)
    return _file(content, PDF, f"bao-cao-diem-danh-{conference.pk}.pdf", attachment=False)


@login_required
def morning_summary(request, pk: int):
    conference = reports.report_conference(actor=request.user, pk=pk)
    return render(
        request,
        "attendance/summary.html",
        {
            "conference": conference,
            "summary": summary.morning_summary(actor=request.user, conference=conference),
        },
    )


@login_required
def morning_summary_pdf(request, pk: int):
    conference = reports.report_conference(actor=request.user, pk=pk)
    content = summary_document.summary_pdf(
        summary.morning_summary(actor=request.user, conference=conference),
        letterhead=conferences.document_letterhead(conference=conference, day=timezone.localdate()),
    )
    return _file(content, PDF, f"tom-tat-hoi-nghi-{conference.pk}.pdf", attachment=False)


urlpatterns = [
    path("hoi-nghi/<int:pk>/bao-cao/", report, name="report"),
    path("hoi-nghi/<int:pk>/bao-cao/diem-danh.xlsx", report_xlsx, name="report_xlsx"),
    path("hoi-nghi/<int:pk>/bao-cao/diem-danh.pdf", report_pdf, name="report_pdf"),
    path("hoi-nghi/<int:pk>/bao-cao/tom-tat/", morning_summary, name="summary"),
    path("hoi-nghi/<int:pk>/bao-cao/tom-tat.pdf", morning_summary_pdf, name="summary_pdf"),
]
