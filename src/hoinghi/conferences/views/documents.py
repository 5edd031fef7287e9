"""Print-outs and spreadsheets: the programme, and per bridge point the sign-in sheet, the
invitations and the roster.

Who gets what: whoever sees the conference prints its programme; a point's roster and sign-in
sheet go to the organisers and viewers whose grants cover the point (with the invitees of their
grants) and to the point's operators (all of its invitees); invitations carry each invitee's
personal link, a credential, so only organisers who may change the point print them. Anything
else is "not found".

A point's invitations are never cut short: up to `services.INVITATIONS_IMMEDIATE` they are drawn
in the request; above, the point's page asks for a background print (`services/prints.py`) and
follows its progress, and its file says how many it holds.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoinghi.conferences import documents, selectors, services
from hoinghi.conferences.models import PrintStatus
from hoinghi.core.errors import DomainError, RequestErrorCode
from hoinghi.core.permissions import require

RUNNING_PRINTS = (PrintStatus.QUEUED, PrintStatus.RUNNING)

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _letterhead(conference, point=None, day=None) -> documents.Letterhead:
    return selectors.document_letterhead(conference=conference, point=point, day=day)


def _file(content: bytes, content_type: str, file_name: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{file_name}"'
    # Rosters name people: nothing in between may keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def programme_pdf(request, pk: int):
    conference = selectors.conference_get(actor=request.user, pk=pk)
    host = conference.points.filter(is_host=True).first()
    items = [
        documents.ProgrammeEntry(
            order=item.order,
            title=item.title,
            kind=item.kind,
            starts=timezone.localtime(item.planned_start) if item.planned_start else None,
            ends=timezone.localtime(item.planned_end) if item.planned_end else None,
            presenters=[(presenter.display_name, presenter.title) for presenter in item.presenters.all()],
        )
        for item in selectors.programme_items(conference=conference)
    ]
    place = ""
    if host is not None:
        place = host.name + (f", {host.address}" if host.address else "")
    content = documents.programme_pdf(
        documents.ProgrammeSheet(
            letterhead=_letterhead(conference),
            title=conference.title,
            subject=conference.subject,
            starts_at=timezone.localtime(conference.starts_at),
            place=place,
            items=items,
        )
    )
    return _file(content, PDF, f"chuong-trinh-hoi-nghi-{conference.pk}.pdf", attachment=False)


@login_required
def signin_pdf(request, pk: int, point_pk: int):
    conference = selectors.conference_get(actor=request.user, pk=pk)
    point = selectors.point_get(actor=request.user, conference=conference, pk=point_pk)
    content = documents.signin_pdf(
        documents.SigninSheet(
            letterhead=_letterhead(conference, point),
            conference_title=conference.title,
            point_name=point.name,
            point_address=point.address,
            starts_at=timezone.localtime(conference.starts_at),
            invitees=selectors.point_roster(actor=request.user, conference=conference, point=point),
        )
    )
    return _file(content, PDF, f"danh-sach-ky-ten-diem-cau-{point.pk}.pdf", attachment=False)


@login_required
def roster_xlsx(request, pk: int, point_pk: int):
    conference = selectors.conference_get(actor=request.user, pk=pk)
    point = selectors.point_get(actor=request.user, conference=conference, pk=point_pk)
    invitees = selectors.point_roster(actor=request.user, conference=conference, point=point)
    content = documents.roster_xlsx(
        invitees,
        title=_("Danh sách đại biểu — %(point)s — %(conference)s")
        % {"point": point.name, "conference": conference.title},
        sheet_name=_("Danh sách"),
    )
    return _file(content, XLSX, f"danh-sach-diem-cau-{point.pk}.xlsx", attachment=True)


def _range(request, total: int) -> tuple[int, int] | None:
    """?from=&to= (1-based, inclusive), at most one part long; None without them (every
    invitation). A longer or impossible range is refused, never cut short."""
    if not (request.GET.get("from") or request.GET.get("to")):
        return None
    try:
        start = int(request.GET.get("from") or 1)
        end = int(request.GET.get("to") or min(total, start + documents.INVITATIONS_PER_PART - 1))
    except ValueError:
        start = end = 0
    if not (1 <= start <= end <= max(total, 1) and end - start < documents.INVITATIONS_PER_PART):
        raise DomainError(
            _("Khoảng giấy mời không hợp lệ: từ 1 đến %(total)s, mỗi lần tối đa %(part)s giấy."),
            code=RequestErrorCode.BAD_REQUEST,
            params={"total": total, "part": documents.INVITATIONS_PER_PART},
        )
    return start, end


@login_required
def invitations_pdf(request, pk: int, point_pk: int):
    """Every invitation of the point, or the range asked for; a point with more than
    `INVITATIONS_IMMEDIATE` is printed in the background instead (its page offers that)."""
    conference = selectors.conference_get(actor=request.user, pk=pk)
    point = selectors.point_get(actor=request.user, conference=conference, pk=point_pk)
    require(request.user, "conferences.change", point)
    roster = selectors.point_roster(
        actor=request.user, conference=conference, point=point, base_url=settings.HOINGHI_BASE_URL
    )
    chosen = _range(request, len(roster))
    if chosen is None and len(roster) > services.INVITATIONS_IMMEDIATE:
        messages.info(
            request,
            _("Điểm cầu có %(count)s giấy mời: hãy tạo tệp giấy mời, hệ thống báo khi tệp sẵn sàng.")
            % {"count": len(roster)},
        )
        return redirect(reverse("conferences:point_detail", args=[pk, point_pk]) + "#invitation-prints")
    if chosen is None:
        invitees, name = roster, f"giay-moi-diem-cau-{point.pk}-{len(roster)}-giay.pdf"
    else:
        start, end = chosen
        invitees, name = roster[start - 1 : end], f"giay-moi-diem-cau-{point.pk}-{start}-{end}.pdf"
    letter = selectors.invitation_letter(conference=conference, point=point, invitees=invitees)
    response = _file(documents.invitations_pdf(letter), PDF, name, attachment=False)
    response["X-Total-Count"] = str(len(roster))
    return response


@login_required
@require_POST
def invitation_print_request(request, pk: int, point_pk: int):
    conference = selectors.conference_get(actor=request.user, pk=pk)
    point = selectors.point_get(actor=request.user, conference=conference, pk=point_pk)
    point.conference = conference
    job = services.invitation_print_request(actor=request.user, point=point)
    messages.success(
        request,
        _("Đang tạo tệp %(count)s giấy mời; trang này báo khi tệp sẵn sàng.") % {"count": job.total},
    )
    return redirect(reverse("conferences:point_detail", args=[pk, point_pk]) + "#invitation-prints")


def print_context(actor, point) -> dict:
    job = selectors.invitation_prints(actor=actor, point=point).first()
    progress = cache.get(services.print_progress_key(job.pk)) if job is not None else None
    return {"job": job, "progress": progress or {"done": 0, "total": job.total if job else 0}}


@login_required
def invitation_print_progress(request, pk: int, point_pk: int):
    """The polled fragment: the latest print's progress; when it stops, the page reloads."""
    conference = selectors.conference_get(actor=request.user, pk=pk)
    point = selectors.point_get(actor=request.user, conference=conference, pk=point_pk)
    require(request.user, "conferences.change", point)
    context = {"conference": conference, "point": point, **print_context(request.user, point)}
    response = render(request, "conferences/_invitation_print.html", context)
    job = context["job"]
    if request.headers.get("HX-Request") and (job is None or job.status not in RUNNING_PRINTS):
        response["HX-Refresh"] = "true"
    response["Cache-Control"] = "no-store"
    return response


@login_required
def invitation_print_download(request, pk: int, point_pk: int, print_pk: int):
    conference = selectors.conference_get(actor=request.user, pk=pk)
    point = selectors.point_get(actor=request.user, conference=conference, pk=point_pk)
    job = selectors.invitation_prints(actor=request.user, point=point).filter(pk=print_pk).first()
    if job is None or job.status != PrintStatus.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    content_type = PDF if job.file_name.endswith(".pdf") else "application/zip"
    response = FileResponse(handle, as_attachment=True, filename=job.file_name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
