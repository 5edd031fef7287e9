"""Placeholders until the pages are written."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


invitation_material = _todo
invitation_page = _todo
invitation_qr = _todo
