"""core.csp: what a page adds to the site's policy is an origin and nothing else."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.csp import CSP

from hoinghi.core.csp import PageSourcesMiddleware, csp_allow, origin_of


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://tv.example.vn/live/a.m3u8?token=x", "https://tv.example.vn"),
        ("http://10.0.0.7:8081/hls/a.m3u8", "http://10.0.0.7:8081"),
        ("HTTPS://TV.Example.VN:443/x", "https://tv.example.vn:443"),
        ("https://tv.example.vn;script-src-elem:https:/a.m3u8", None),  # a ";" would start a directive
        ("https://user:pass@tv.example.vn/a.m3u8", "https://tv.example.vn"),
        ("https://tv.example.vn:99999/a.m3u8", None),
        ("javascript:alert(1)", None),
        ("data:video/mp4;base64,AAAA", None),
        ("//tv.example.vn/a.m3u8", None),
        ("", None),
    ],
)
def test_origin_of_keeps_only_an_http_origin(url, origin):
    assert origin_of(url) == origin


def _served(*allowed: tuple[str, ...]) -> str:
    """The policy PageSourcesMiddleware sends for a view that called csp_allow with `allowed`."""

    def view(request):
        for url, *directives in allowed:
            csp_allow(request, url, *directives)
        return HttpResponse()

    response = PageSourcesMiddleware(view)(RequestFactory().get("/"))
    assert {type(name) for name in response.headers} == {str}  # what wsgiref accepts, not a StrEnum
    return response[CSP.HEADER_ENFORCE]


def test_a_page_adds_an_origin_to_the_directives_it_names_once(settings):
    settings.SECURE_CSP = {"default-src": [CSP.SELF], "connect-src": [CSP.SELF], "script-src": [CSP.SELF]}
    policy = _served(
        ("https://tv.example.vn/a.m3u8", "connect-src", "media-src"),
        ("https://tv.example.vn/b.m3u8", "connect-src"),
        ("not a url", "script-src"),
    )
    assert policy == (
        "default-src 'self'; connect-src 'self' https://tv.example.vn; script-src 'self'; "
        "media-src 'self' https://tv.example.vn"  # a directive the site leaves to default-src
    )
    assert settings.SECURE_CSP["connect-src"] == [CSP.SELF]  # the site's policy is left as it was


def test_a_page_that_adds_nothing_is_left_to_djangos_middleware(settings):
    response = PageSourcesMiddleware(lambda request: HttpResponse())(RequestFactory().get("/"))
    assert CSP.HEADER_ENFORCE not in response
