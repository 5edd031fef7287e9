"""Placeholders until the pages are written."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


material_delete = _todo
material_download = _todo
material_list = _todo
py = _todo
