"""Request middleware shared by every app."""

import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from hoinghi.core.errors import DomainError, RequestErrorCode
from hoinghi.core.views import domain_error_for, error_response, page_not_found

logger = logging.getLogger(__name__)


class IgnoreBrowserLanguageMiddleware:
    """Vietnamese first: the interface is Vietnamese unless the user chose English.

    Django's LocaleMiddleware would follow the browser's Accept-Language header, so an
    official whose phone is set to English would get an English page they never asked for.
    The choice made with the language switch (a cookie) is still honoured.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class BaseUrlCheckMiddleware:
    """Warn (once per address) when the site is reached at another address than HOINGHI_BASE_URL.

    Links that leave the site (QR codes on printed invitations, e-mails) are built from the base
    URL, not from the request: served on another port or name, they would lead nowhere, and
    nobody would notice until an invitee scanned one.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.expected = urlsplit(settings.HOINGHI_BASE_URL).netloc.lower()
        self.seen: set[str] = set()

    def __call__(self, request):
        host = request.get_host().lower()
        if host not in self.seen:
            self.seen.add(host)
            if host != self.expected:
                logger.warning(
                    "The site is reached at %s but HOINGHI_BASE_URL is %s: links in QR codes and "
                    "e-mails point there. Set HOINGHI_BASE_URL to the address invitees use.",
                    host,
                    settings.HOINGHI_BASE_URL,
                )
        return self.get_response(request)


class RejectNulMiddleware:
    """Refuse NUL characters ("\\x00", "%00", JSON's "\\u0000") at the edge.

    PostgreSQL cannot store them in text and fails the query, so a NUL that reaches a lookup
    (a token in a path, a search box) would be a 500 on every endpoint that reads that value.
    No legitimate input holds one: a path with it is not found; a query string, a form or a
    JSON body with it is a bad request. (SQLite stores them; the answer is the same on both.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            return page_not_found(request)
        if _input_has_nul(request):
            return error_response(
                request,
                DomainError(
                    _("Dữ liệu gửi lên có ký tự không hợp lệ (ký tự NUL)."),
                    code=RequestErrorCode.INVALID_CHARACTERS,
                ),
            )
        return self.get_response(request)


def _input_has_nul(request) -> bool:
    if _has_nul(request.GET):
        return True
    if request.method == "POST" and (
        _has_nul(request.POST) or any("\x00" in upload.name for upload in request.FILES.values())
    ):
        return True
    return _json_has_nul(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


def _json_has_nul(request) -> bool:
    # Parsed only when the escape is there at all: other requests pay one scan of the body.
    if request.content_type != "application/json" or b"\\u0000" not in request.body:
        return False
    try:
        return _holds_nul(json.loads(request.body))
    except ValueError:
        return False  # unreadable JSON: the API says so itself


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


class DomainErrorMiddleware:
    """A domain error (or a `DataError`) a view lets through becomes the error page or JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        error = domain_error_for(exception)
        return error_response(request, error) if error is not None else None
