"""What the API tests of check-in send: a scan, its POST, an invitee's token."""

import json
import uuid

from django.utils import timezone

from hoinghi.conferences.models import Invitation


def _token(conference, person):
    return Invitation.objects.get(conference=conference, person=person).token


def _scan(method="qr", at=None, **fields):
    return {
        "id": str(uuid.uuid4()),
        "method": method,
        "scanned_at": (at or timezone.now()).isoformat(),
        **fields,
    }


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")
