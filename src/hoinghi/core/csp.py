"""Sources one page adds to the site's Content-Security-Policy (settings.SECURE_CSP).

The site's policy names what every page may reach: our own origin and the media server. A
conference can instead take its picture from a broadcaster's HLS server (streaming's external
source); that origin is data, set by organisers, not configuration. The code that renders the
player calls `csp_allow(request, "connect-src", url)`, and `PageSourcesMiddleware` sends that
response's policy with the source added. Every other page keeps the site's policy, so allowing one
broadcaster for its player does not open any other page to it.
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


def csp_allow(request, directive: str, url: str) -> None:
    """Let this request's response load from `url`'s origin under `directive` ("connect-src")."""
    if origin := origin_of(url):
        sources = getattr(request, _REQUEST_ATTRIBUTE, None)
        if sources is None:
            sources = {}
            setattr(request, _REQUEST_ATTRIBUTE, sources)
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
            response.headers[CSP.HEADER_ENFORCE] = build_policy(policy_with(sources), get_nonce(request))
        return response
