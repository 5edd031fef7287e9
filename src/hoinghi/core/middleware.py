"""Request middleware shared by every app."""

import logging
from urllib.parse import urlsplit

from django.conf import settings

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
