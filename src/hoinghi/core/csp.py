"""Sources one page adds to the site's Content-Security-Policy (settings.SECURE_CSP).

The site's policy lets every page reach our own origin only. A page that plays video must also
fetch from where the picture is: our media server (HOINGHI_STREAM_PLAY_URL) or, for a conference
that takes a broadcaster's HLS, that broadcaster's server, an origin set by organisers. The code
that renders a player calls `csp_allow(request, url, "connect-src", "media-src")`, and
`PageSourcesMiddleware` sends that response's policy with the url's origin added. Other pages keep
the site's policy: a page without a player reaches neither.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.csp import get_nonce
from django.utils.csp import CSP, build_policy
from django.utils.deprecation import MiddlewareMixin

_REQUEST_ATTRIBUTE = "_hoinghi_csp_sources"
_HOST = re.compile(r"^[a-z0-9.-]+$")


def origin_of(url: str) -> str | None:
    """The http(s) origin of `url` ("https://tv.example.vn:8443"), or None if it has none.

    Rebuilt from the parsed host and port, so nothing else of the URL (a ";" that would start a
    directive of its own, a path) reaches the header.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not _HOST.match(host):
        return None
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def csp_allow(request, url: str, *directives: str) -> None:
    """Let this request's response reach `url`'s origin under `directives` ("connect-src", ...)."""
    if origin := origin_of(url):
        sources = getattr(request, _REQUEST_ATTRIBUTE, None)
        if sources is None:
            sources = {}
            setattr(request, _REQUEST_ATTRIBUTE, sources)
        for directive in directives:
            sources.setdefault(directive, set()).add(origin)


def policy_with(sources: dict[str, set[str]]) -> dict[str, list[str]]:
    """The site's policy with `sources` added to their directives (or default-src's sources)."""
    policy = {directive: list(values) for directive, values in settings.SECURE_CSP.items()}
    for directive, origins in sources.items():
        base = policy.get(directive, policy.get("default-src", [CSP.SELF]))
        policy[directive] = base + sorted(origins - set(base))
    return policy


class PageSourcesMiddleware(MiddlewareMixin):
    """Writes the Content-Security-Policy of a response whose request called `csp_allow`.

    Placed right after Django's ContentSecurityPolicyMiddleware, it sees the response first;
    Django's leaves a header that is already there alone.
    """

    def process_response(self, request, response):
        sources = getattr(request, _REQUEST_ATTRIBUTE, None)
        if sources and settings.SECURE_CSP and CSP.HEADER_ENFORCE not in response:
            # str(): the name is a StrEnum, and a WSGI server takes only plain str header names.
            header = str(CSP.HEADER_ENFORCE)
            response.headers[header] = build_policy(policy_with(sources), get_nonce(request))
        return response
