"""The Content-Security-Policy: every response carries the site's policy (pages of each layout,
the error pages, the API), and no template holds what that policy refuses to run: an inline
script or an inline event handler. Pages declare behaviour with data- attributes instead
(core's behaviour.js: data-confirm, data-autosubmit) and read their data from data- attributes."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.csp import CSP, build_policy

from hoinghi.conferences.models import Invitation

SITE_POLICY = build_policy(settings.SECURE_CSP)


def test_the_site_policy_runs_only_our_own_scripts_and_reaches_only_us():
    policy = settings.SECURE_CSP
    assert policy["script-src"] == [CSP.SELF]
    assert CSP.UNSAFE_INLINE not in policy["script-src"] and CSP.UNSAFE_EVAL not in policy["script-src"]
    assert policy["frame-ancestors"] == [CSP.NONE]
    assert policy["connect-src"] == [CSP.SELF, "ws://127.0.0.1:8000"]  # HOINGHI_BASE_URL's WebSocket form
    # The media server's origin is added only to the pages with a player (streaming's tests).
    assert settings.STREAM_PLAY_URL not in SITE_POLICY


@pytest.fixture
def pages(issued, superuser):
    """One page of each layout and app, as someone who may open it (None: nobody logged in)."""
    conference, point = issued.conference, issued.ba_dinh_point
    invitation = Invitation.objects.filter(conference=conference).first()
    return [
        (None, reverse("accounts:login")),
        (None, reverse("personal:invitation_page", args=[invitation.token])),
        (None, reverse("personal:invitation_qr", args=[invitation.token])),
        (None, reverse("attendance:question_ask_personal", args=[invitation.token])),
        (None, reverse("personal:invitation_page", args=["khong-co-ma-nay"])),  # 404 of the personal pages
        (None, "/khong-co-trang-nay/"),  # the site's 404
        (superuser, reverse("orgs:tree")),
        (superuser, reverse("conferences:detail", args=[conference.pk])),
        (superuser, reverse("conferences:programme", args=[conference.pk])),
        (superuser, reverse("conferences:invitations", args=[conference.pk])),
        (superuser, reverse("conferences:point_detail", args=[conference.pk, point.pk])),
        (superuser, reverse("attendance:checkin", args=[point.pk])),
        (superuser, reverse("attendance:dashboard", args=[conference.pk])),
        (superuser, reverse("attendance:report", args=[conference.pk])),
        (superuser, reverse("attendance:question_board", args=[conference.pk])),  # its own layout
        (superuser, reverse("attendance:question_moderation", args=[conference.pk])),
        (superuser, f"/api/conferences/{conference.pk}/live"),
        (superuser, reverse("admin:index")),
    ]


def test_every_kind_of_response_carries_the_site_policy(client, pages):
    for user, url in pages:
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == (404 if "khong-co" in url else 200), url
        assert response[CSP.HEADER_ENFORCE] == SITE_POLICY, url


def test_the_expired_form_page_carries_it(small_tree, superuser):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(superuser)
    refused = csrf_client.post(reverse("orgs:unit_delete", args=[small_tree.hanoi.pk]))
    assert refused.status_code == 403
    assert refused[CSP.HEADER_ENFORCE] == SITE_POLICY


@pytest.mark.urls("hoinghi.core.tests.test_errors")
def test_the_server_error_page_carries_it(client, db):
    client.raise_request_exception = False
    response = client.get("/thu-loi/500/")
    assert response.status_code == 500
    assert response[CSP.HEADER_ENFORCE] == SITE_POLICY


# --- Templates: nothing inline that the policy would refuse to run --------------------------------

TEMPLATES = sorted(Path(__file__).resolve().parents[1].glob("*/templates/**/*.html"))
# A <script> without src (json_script's <script type="application/json"> is data, not script).
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=\"application/(?:ld\+)?json\")[^>]*>", re.I
)
# onclick=, onsubmit=, onchange=... as an attribute of a tag.
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def test_the_templates_were_found():
    names = {path.name for path in TEMPLATES}
    assert {"base.html", "invitation_page.html", "question_board.html", "report.html"} <= names


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_no_template_has_an_inline_script_or_event_handler(template):
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "an inline <script>: move it to a static file"
    assert not INLINE_HANDLER.search(text), "an inline on...= handler: use data-confirm, data-autosubmit"
    assert not JAVASCRIPT_URL.search(text), "a javascript: URL"


def test_the_checks_catch_what_they_look_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert INLINE_SCRIPT.search('<script type="module">import "x";</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script id="data" type="application/json">{}</script>')
    assert INLINE_HANDLER.search('<form method="post"\n      onsubmit="return confirm(\'?\')">')
    assert INLINE_HANDLER.search('<select name="muc" onchange="this.form.submit()">')
    assert not INLINE_HANDLER.search('<form data-confirm="Xóa?" class="inline">')
    assert not INLINE_HANDLER.search("<p>Nhấn nút, online=ok</p>")
