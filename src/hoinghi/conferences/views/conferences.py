"""Placeholders until the pages are written."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


conference_create = _todo
conference_detail = _todo
conference_edit = _todo
conference_list = _todo
conference_transition = _todo
presenter_add = _todo
presenter_remove = _todo
programme = _todo
programme_item_create = _todo
programme_item_delete = _todo
programme_item_edit = _todo
programme_item_move = _todo
py = _todo
views = _todo
