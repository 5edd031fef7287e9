"""Placeholders until the pages are written."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


invitations_pdf = _todo
programme_pdf = _todo
py = _todo
roster_xlsx = _todo
signin_pdf = _todo
