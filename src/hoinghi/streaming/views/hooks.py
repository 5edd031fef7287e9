"""nginx-rtmp's callbacks (form POSTs). 2xx lets a publisher start or go on; anything else refuses
it. The path carries `signing.hook_secret()`, so nobody but the configured nginx calls these.

`update` fails open: if hoinghi cannot decide (database away), the picture goes on; only a
decided refusal (a revoked key, a rehearsal past its window) cuts it."""

import hmac
import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hoinghi.streaming import services
from hoinghi.streaming.signing import hook_secret

logger = logging.getLogger(__name__)


def _allowed(secret: str) -> bool:
    return hmac.compare_digest(secret, hook_secret())


def _answer(verdict: services.Verdict) -> HttpResponse:
    if verdict.allowed:
        return HttpResponse("ok", content_type="text/plain")
    return HttpResponse(verdict.reason or "refused", status=403, content_type="text/plain")


def _fields(request: HttpRequest) -> dict[str, str]:
    return {
        "name": request.POST.get("name", "")[:100],
        "key": request.POST.get("key", "")[:100],
        "addr": request.POST.get("addr", "")[:100],
        "client": request.POST.get("clientid", "")[:40],
    }


@csrf_exempt
@require_POST
def publish(request: HttpRequest, secret: str) -> HttpResponse:
    if not _allowed(secret):
        return HttpResponse(status=404)
    fields = _fields(request)
    return _answer(services.publish_check(**fields))


@csrf_exempt
@require_POST
def update(request: HttpRequest, secret: str) -> HttpResponse:
    if not _allowed(secret):
        return HttpResponse(status=404)
    fields = _fields(request)
    try:
        verdict = services.publish_update(name=fields["name"], key=fields["key"], client=fields["client"])
    except Exception:  # noqa: BLE001 - see the module's docstring
        logger.exception("stream update of %s could not be decided; the publisher goes on", fields["name"])
        return HttpResponse("undecided", content_type="text/plain")
    return _answer(verdict)


@csrf_exempt
@require_POST
def publish_done(request: HttpRequest, secret: str) -> HttpResponse:
    if not _allowed(secret):
        return HttpResponse(status=404)
    fields = _fields(request)
    services.publish_done(name=fields["name"], client=fields["client"], addr=fields["addr"])
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
@require_POST
def record_done(request: HttpRequest, secret: str) -> HttpResponse:
    if not _allowed(secret):
        return HttpResponse(status=404)
    services.record_done(name=request.POST.get("name", "")[:100], path=request.POST.get("path", "")[:1000])
    return HttpResponse("ok", content_type="text/plain")
