"""core.csp: what a page adds to the site's policy is an origin and nothing else."""

import pytest
from django.test import RequestFactory
from django.utils.csp import CSP

from hoinghi.core.csp import csp_allow, origin_of, policy_with


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


def test_a_source_is_added_to_its_directive_once_and_to_nothing_else(settings):
    settings.SECURE_CSP = {"default-src": [CSP.SELF], "connect-src": [CSP.SELF], "script-src": [CSP.SELF]}
    request = RequestFactory().get("/")
    csp_allow(request, "connect-src", "https://tv.example.vn/a.m3u8")
    csp_allow(request, "connect-src", "https://tv.example.vn/b.m3u8")
    csp_allow(request, "media-src", "https://tv.example.vn/a.m3u8")
    csp_allow(request, "media-src", "not a url")

    policy = policy_with(request._hoinghi_csp_sources)
    assert policy["connect-src"] == [CSP.SELF, "https://tv.example.vn"]
    assert policy["media-src"] == [CSP.SELF, "https://tv.example.vn"]  # from default-src
    assert policy["script-src"] == [CSP.SELF]
    assert settings.SECURE_CSP["connect-src"] == [CSP.SELF]  # the site's policy is left as it was
