"""Placeholders until the pages are written."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


invitation_list = _todo
issue = _todo
outbox = _todo
overrides = _todo
person_point = _todo
preview = _todo
py = _todo
reapply = _todo
rule_create = _todo
rule_delete = _todo
rule_edit = _todo
rule_list = _todo
send_emails = _todo
token_revoke = _todo
totals = _todo
