"""The one catalogue of the words JavaScript shows: Django's JavaScriptCatalog of the `djangojs`
domain (locale/<language>/LC_MESSAGES/djangojs.po), served per language with a version.

Every page loads it from base.html (`{% javascript_catalogue %}`) before its own scripts; a script
writes `gettext("Vietnamese source")`, `ngettext(...)` and `interpolate(...)` and `makemessages -d
djangojs` collects the strings. Vietnamese is the source language, so a missing translation shows
the Vietnamese text and a page whose catalogue did not load still works.

The language and a digest of the compiled catalogues are in the URL, so the file is cached for a
year (by browsers, proxies, and the check-in page's service worker, which keeps it for offline
reloads) and a deploy with new translations changes the URL. JSON of labels rendered into each
page, the other way, would have put the words of a script in the views that render its pages.
"""

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET
from django.views.i18n import JavaScriptCatalog

ONE_YEAR = 365 * 24 * 3600

_catalogue_view = JavaScriptCatalog.as_view(packages=["hoinghi.core"])  # LOCALE_PATHS, not Django's own


@cache
def catalogue_version() -> str:
    """A digest of the compiled djangojs catalogues (changes when a deploy brings new words)."""
    digest = hashlib.sha256()
    for locale_path in settings.LOCALE_PATHS:
        for mo in sorted(Path(locale_path).glob("*/LC_MESSAGES/djangojs.mo")):
            digest.update(mo.parent.parent.name.encode())
            digest.update(mo.read_bytes())
    return digest.hexdigest()[:12]


def catalogue_url(language: str | None = None) -> str:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return f"{reverse('javascript_catalogue', kwargs={'language': language})}?v={catalogue_version()}"


def catalogue_urls() -> list[str]:
    """The catalogue of every language, for the service worker to keep."""
    return [catalogue_url(code) for code, _name in settings.LANGUAGES]


@require_GET
def javascript_catalogue(request, language: str):
    if language not in dict(settings.LANGUAGES):
        raise Http404
    with translation.override(language):
        response = _catalogue_view(request)
    if request.GET.get("v") == catalogue_version():
        response["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    else:
        response["Cache-Control"] = "no-cache"
    return response
