"""The pages that carry a player let in the server it plays from (hls.js fetches from it, Safari
plays from it): our media server, or a broadcaster's HLS server for a conference that takes one.
No other page reaches either."""

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


def test_our_media_server_is_let_in_where_its_player_is(client, live, settings):
    settings.STREAM_PLAY_URL = "https://video.example.vn"  # read when the page is made
    invitation = live.conference.invitations.first()
    page = client.get(reverse("personal:invitation_page", args=[invitation.token]))
    assert 'data-src="https://video.example.vn/hls/' in page.content.decode()
    directives = _directives(page)
    assert "https://video.example.vn" in directives["connect-src"]
    assert "https://video.example.vn" in directives["media-src"]
    assert BROADCASTER not in page[CSP.HEADER_ENFORCE]

    asking = client.get(reverse("attendance:question_ask_personal", args=[invitation.token]))
    assert "video.example.vn" not in asking[CSP.HEADER_ENFORCE]
