# Written by the import/export work; placeholders keep the URLconf importable until then.
from django.http import HttpResponse


def import_start(request):
    return HttpResponse(status=501)


import_detail = import_progress = import_apply = export_page = export_download = import_start
