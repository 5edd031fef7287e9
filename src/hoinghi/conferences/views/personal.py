"""The invitee's own page, reached by the link in their e-mail or the QR code on their invitation.

No login: the unguessable token is the credential. A revoked or unknown token, or a withdrawn
invitation, gives a friendly "not found" page. Nothing here may be cached by a shared cache or
indexed, and the token must not leak through the Referer header to another site.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.conferences import documents, selectors
from hoinghi.conferences.decorators import personal_page
from hoinghi.conferences.documents.calendar import CalendarEvent, event_ics
from hoinghi.conferences.models import ConferenceStatus
from hoinghi.conferences.views.materials import material_response
from hoinghi.core.errors import NotFoundError


def _missing(request) -> HttpResponse:
    return render(request, "conferences/invitation_page_missing.html", status=404)


def personal_link(token: str) -> str:
    return f"{settings.HOINGHI_BASE_URL}/moi/{token}/"


@personal_page
def invitation_page(request, token: str):
    try:
        invitation = selectors.invitation_by_token(token=token)
    except NotFoundError:
        return _missing(request)
    conference = invitation.conference
    return render(
        request,
        "conferences/invitation_page.html",
        {
            "invitation": invitation,
            "person": invitation.person,
            "conference": conference,
            "starts_at": timezone.localtime(conference.starts_at),
            "point": invitation.point,
            "programme": selectors.programme_items(conference=conference),
            "materials": selectors.invitation_materials(invitation=invitation),
            "link": personal_link(invitation.token),
        },
    )


@personal_page
def invitation_qr(request, token: str):
    try:
        invitation = selectors.invitation_by_token(token=token)
    except NotFoundError:
        return _missing(request)
    return HttpResponse(documents.qr_svg(personal_link(invitation.token)), content_type="image/svg+xml")


@personal_page
def invitation_calendar(request, token: str):
    """The invitation as an .ics event: "add to calendar" on the personal page."""
    try:
        invitation = selectors.invitation_by_token(token=token)
    except NotFoundError:
        return _missing(request)
    conference, point = invitation.conference, invitation.point
    link = personal_link(invitation.token)
    event = CalendarEvent(
        uid=f"invitation-{invitation.pk}@{urlsplit(settings.HOINGHI_BASE_URL).hostname or 'hoinghi'}",
        title=conference.title,
        starts_at=conference.starts_at,
        ends_at=conference.ends_at,
        zone=conference.time_zone,
        location=", ".join(part for part in (point.name, point.address) if part) if point else "",
        description="\n".join(
            part
            for part in (
                conference.subject,
                _("Giấy mời, mã QR điểm danh và tài liệu: %(link)s") % {"link": link},
            )
            if part
        ),
        url=link,
        is_cancelled=conference.status == ConferenceStatus.CANCELLED,
    )
    response = HttpResponse(event_ics(event, now=timezone.now()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hoi-nghi-{conference.pk}.ics"'
    return response


@personal_page
def invitation_material(request, token: str, material_pk: int):
    try:
        invitation = selectors.invitation_by_token(token=token)
    except NotFoundError:
        return _missing(request)
    material = selectors.invitation_materials(invitation=invitation).filter(pk=material_pk).first()
    if material is None:
        raise Http404
    return material_response(material)
