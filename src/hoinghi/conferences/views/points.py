"""Placeholders until the pages are written."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


point_create = _todo
point_delete = _todo
point_detail = _todo
point_edit = _todo
point_list = _todo
point_operators = _todo
point_readiness_mark = _todo
point_units = _todo
py = _todo
readiness = _todo
