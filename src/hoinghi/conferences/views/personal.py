"""The invitee's own page, reached by the link in their e-mail or the QR code on their invitation.

No login: the unguessable token is the credential. A revoked or unknown token, or a withdrawn
invitation, gives a friendly "not found" page. Nothing here may be cached by a shared cache or
indexed, and the token must not leak through the Referer header to another site.
"""

from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hoinghi.conferences import documents, selectors
from hoinghi.conferences.views.materials import material_response
from hoinghi.core.errors import NotFoundError


def _private(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        # The address holds the token: no other site gets it in a Referer. Not "no-referrer":
        # with it Chromium posts the page's own forms (a question, the language switch) with
        # `Origin: null`, which Django's CSRF check refuses.
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapped


def _missing(request) -> HttpResponse:
    return render(request, "conferences/invitation_page_missing.html", status=404)


def personal_link(token: str) -> str:
    return f"{settings.HOINGHI_BASE_URL}/moi/{token}/"


@_private
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


@_private
def invitation_qr(request, token: str):
    try:
        invitation = selectors.invitation_by_token(token=token)
    except NotFoundError:
        return _missing(request)
    return HttpResponse(documents.qr_svg(personal_link(invitation.token)), content_type="image/svg+xml")


@_private
def invitation_material(request, token: str, material_pk: int):
    try:
        invitation = selectors.invitation_by_token(token=token)
    except NotFoundError:
        return _missing(request)
    material = selectors.invitation_materials(invitation=invitation).filter(pk=material_pk).first()
    if material is None:
        raise Http404
    return material_response(material)
