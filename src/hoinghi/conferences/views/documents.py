"""Print-outs and spreadsheets: the programme, and per bridge point the sign-in sheet, the
invitations and the roster.

Who gets what: whoever sees the conference prints its programme; a point's roster and sign-in
sheet go to the organisers and viewers whose grants cover the point (with the invitees of their
grants) and to the point's operators (all of its invitees); invitations carry each invitee's
personal link, a credential, so only organisers who may change the point print them. Anything
else is "not found".
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.conferences import documents, selectors
from hoinghi.core.permissions import require

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _letterhead(conference, point=None, day=None) -> documents.Letterhead:
    return documents.Letterhead(
        issuer=conference.organising_unit.name,
        department=_("Ban Tổ chức"),
        place=selectors.document_place(conference=conference, point=point),
        day=day or timezone.localdate(conference.starts_at),
    )


def _file(content: bytes, content_type: str, file_name: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{file_name}"'
    # Rosters name people: nothing in between may keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response


def invitation_parts(total: int, size: int = documents.INVITATIONS_PER_PART) -> list[tuple[int, int]]:
    """The (from, to) ranges, 1-based and inclusive, to print a point's invitations in parts;
    for the pages that link to them."""
    return [(start, min(start + size - 1, total)) for start in range(1, total + 1, size)]


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


def _range(request, total: int) -> tuple[int, int]:
    """?from=&to= (1-based, inclusive), at most one part long; by default the first part."""
    try:
        start = max(1, int(request.GET.get("from") or 1))
        end = int(request.GET.get("to") or start + documents.INVITATIONS_PER_PART - 1)
    except ValueError as error:
        raise Http404(_("Khoảng không hợp lệ.")) from error
    end = min(end, start + documents.INVITATIONS_PER_PART - 1, max(total, start))
    return start, max(start, end)


@login_required
def invitations_pdf(request, pk: int, point_pk: int):
    conference = selectors.conference_get(actor=request.user, pk=pk)
    point = selectors.point_get(actor=request.user, conference=conference, pk=point_pk)
    require(request.user, "conferences.change", point)
    roster = selectors.point_roster(
        actor=request.user, conference=conference, point=point, base_url=settings.HOINGHI_BASE_URL
    )
    start, end = _range(request, len(roster))
    issued_on = selectors.invitations_issued_on(conference=conference)
    content = documents.invitations_pdf(
        documents.InvitationLetter(
            letterhead=_letterhead(conference, point, day=issued_on),
            conference_title=conference.title,
            subject=conference.subject,
            starts_at=timezone.localtime(conference.starts_at),
            point_name=point.name,
            point_address=point.address,
            invitees=roster[start - 1 : end],
        )
    )
    response = _file(content, PDF, f"giay-moi-diem-cau-{point.pk}-{start}-{end}.pdf", attachment=False)
    response["X-Total-Count"] = str(len(roster))
    return response
