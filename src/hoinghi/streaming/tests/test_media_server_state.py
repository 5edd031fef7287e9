"""The stream page says whether the media server answers, checked, not assumed (issue 17): a
media server that is down is named as such on the page (Chromium) and by `hoinghi media-check`,
which `make demo` runs after starting it."""

import http.server
import threading

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from hoinghi.attendance.testing import free_port
from hoinghi.conftest import screenshot
from hoinghi.streaming import selectors


class _Health(http.server.BaseHTTPRequestHandler):
    """Stands in for nginx's `location = /healthz` where nginx with the RTMP module is not
    installed (test_media_server.py runs the real one where it is)."""

    def do_GET(self):  # noqa: N802
        self.send_response(200 if self.path == "/healthz" else 403)
        self.end_headers()
        self.wfile.write(b"ok\n")

    def log_message(self, *args):
        pass


@pytest.fixture
def media_up(settings):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.STREAM_PLAY_URL = f"http://127.0.0.1:{server.server_address[1]}"
    yield settings.STREAM_PLAY_URL
    server.shutdown()
    server.server_close()


@pytest.fixture
def media_down(settings):
    settings.STREAM_PLAY_URL = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    return settings.STREAM_PLAY_URL


def test_a_media_server_that_answers_is_up(media_up):
    state = selectors.media_server_state(fresh=True)
    assert (state.is_up, state.url, state.detail) == (True, media_up, "HTTP 200")


def test_a_media_server_that_does_not_answer_is_down_with_the_reason(media_down):
    state = selectors.media_server_state(fresh=True)
    assert not state.is_up and state.url == media_down and state.detail


def test_the_stream_page_and_its_status_say_the_media_server_is_down(client, issued, superuser, media_down):
    client.force_login(superuser)
    for name in ("streaming:manage", "streaming:status"):
        page = client.get(reverse(name, args=[issued.conference.pk])).content.decode()
        assert 'id="media-server" data-state="down"' in page
        assert "không phản hồi" in page
        assert "0 người xem ngoài điểm cầu, 0 đang phát tốt" in page  # figures even without a stream


def test_the_stream_page_says_the_media_server_is_up(client, issued, superuser, media_up):
    client.force_login(superuser)
    page = client.get(reverse("streaming:manage", args=[issued.conference.pk])).content.decode()
    assert 'id="media-server" data-state="up"' in page


def test_media_check_exits_with_an_error_when_the_server_is_down(media_down):
    with pytest.raises(CommandError, match="không phản hồi"):
        call_command("media_check")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_video_tab_shows_a_media_server_that_is_down(
    page_for, small_conference, superuser, live_server, settings
):
    settings.STREAM_PLAY_URL = f"http://127.0.0.1:{free_port()}"
    page = page_for(superuser)
    page.goto(f"{live_server.url}{reverse('streaming:manage', args=[small_conference.conference.pk])}")
    alert = page.locator("#media-server")
    assert alert.get_attribute("data-state") == "down"
    assert "Máy chủ truyền hình không phản hồi" in alert.inner_text()
    assert alert.is_visible()
    screenshot(page, "stream-media-server-down")
