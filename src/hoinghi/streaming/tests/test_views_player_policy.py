"""A conference that takes its picture from a broadcaster's HLS server: the pages that carry its
player let that server in (hls.js fetches from it, Safari plays from it); no other page does."""

import pytest
from django.urls import reverse
from django.utils.csp import CSP

from hoinghi.streaming import services
from hoinghi.streaming.models import StreamSource

BROADCASTER = "https://tv.example.vn:8443"


@pytest.fixture
def external(live, superuser):
    services.stream_settings_update(
        actor=superuser,
        conference=live.conference,
        source=StreamSource.EXTERNAL,
        external_url=f"{BROADCASTER}/live/hoi-nghi.m3u8?token=abc",
        is_public=True,
    )
    return live


def _directives(response) -> dict[str, list[str]]:
    policy = response[CSP.HEADER_ENFORCE]
    return {name: values for name, *values in (part.split() for part in policy.split("; "))}


def test_the_pages_with_the_player_let_the_broadcaster_in(client, external, ba_dinh_operator, superuser):
    invitation = external.conference.invitations.first()
    pages = [
        client.get(reverse("personal:invitation_page", args=[invitation.token])),
        client.get(reverse("streaming:watch-public", args=[external.conference.pk])),
    ]
    client.force_login(ba_dinh_operator)
    pages.append(client.get(reverse("attendance:checkin", args=[external.ba_dinh_point.pk])))
    client.force_login(superuser)
    pages.append(client.get(reverse("streaming:manage", args=[external.conference.pk])))
    for page in pages:
        assert f'data-src="{BROADCASTER}/live/' in page.content.decode()
        directives = _directives(page)
        assert BROADCASTER in directives["connect-src"] and BROADCASTER in directives["media-src"]
        assert BROADCASTER not in directives["script-src"] + directives["img-src"]


def test_other_pages_do_not(client, external, superuser):
    client.force_login(superuser)
    page = client.get(reverse("conferences:detail", args=[external.conference.pk]))
    assert BROADCASTER not in page[CSP.HEADER_ENFORCE]


def test_our_own_media_server_needs_nothing_added(client, live):
    invitation = live.conference.invitations.first()
    page = client.get(reverse("personal:invitation_page", args=[invitation.token]))
    assert "data-player" in page.content.decode()
    assert _directives(page)["connect-src"].count("'self'") == 1
    assert "tv.example.vn" not in page[CSP.HEADER_ENFORCE]
