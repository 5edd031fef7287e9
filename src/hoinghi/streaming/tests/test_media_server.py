"""The real programs: nginx with the RTMP module, ffmpeg pushing a test pattern, ffprobe, and
Chromium playing through the player page. nginx calls back the live test server, so the rows it
leaves are read from the test database.

Skipped on a machine without nginx, libnginx-mod-rtmp and ffmpeg; CI installs them and sets
HOINGHI_REQUIRE_MEDIA=1, which turns their absence into a failure.
"""

import os
import subprocess
import time
from datetime import timedelta

import httpx
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from hoinghi.attendance.dashboard import Audience, snapshot_for
from hoinghi.attendance.models import Incident, IncidentKind, PointPresence
from hoinghi.conferences.models import ProgrammeItem
from hoinghi.streaming import services, signing
from hoinghi.streaming.config import missing_programs
from hoinghi.streaming.models import Chapter, ProcessingStatus, Recording, StreamEvent, StreamState, Viewing
from hoinghi.streaming.testing import MediaServer, end, push, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def media(tmp_path_factory, live_server):
    missing = missing_programs()
    if missing:
        if os.environ.get("HOINGHI_REQUIRE_MEDIA") == "1":
            pytest.fail(f"not installed: {', '.join(missing)}")
        pytest.skip(f"not installed: {', '.join(missing)} (apt-get install nginx libnginx-mod-rtmp ffmpeg)")
    with MediaServer(tmp_path_factory.mktemp("media"), live_server.url) as server:
        yield server


@pytest.fixture
def stream_settings(settings, media):
    settings.STREAM_DIR = media.root
    settings.STREAM_PLAY_URL = media.http_url
    settings.STREAM_PUBLISH_URL = media.rtmp_url
    return settings


def hls_folder(media, stream):
    return media.root / "hls" / stream.name


def test_a_wrong_key_is_refused_and_nothing_is_written(media, stream_settings, live):
    publisher = push(f"{media.rtmp_url}/{live.stream.name}?key=not-the-key", seconds=5)
    assert end(publisher, timeout=15) != 0
    assert not hls_folder(media, live.stream).exists()
    assert not list((media.root / "rec").glob(f"{live.stream.name}-*"))
    refused = StreamEvent.objects.get(stream=live.stream, kind="refused")
    assert refused.reason == "wrong or retired key" and refused.addr == "127.0.0.1"
    live.stream.refresh_from_db()
    assert live.stream.state == StreamState.IDLE


def test_publish_play_revoke_record_and_watch_later(
    media, stream_settings, live, superuser, ba_dinh_operator, page_for, live_server
):
    stream, key = live.stream, live.key
    # Two programme items: the chapters are cut at the change, 5 s after the publish starts.
    begin = timezone.now()
    ProgrammeItem.objects.filter(conference=live.conference).delete()
    ProgrammeItem.objects.create(
        conference=live.conference, order=1, kind="opening", title="Khai mạc",
        planned_start=begin - timedelta(minutes=10), planned_end=begin + timedelta(seconds=5),
    )  # fmt: skip
    ProgrammeItem.objects.create(
        conference=live.conference, order=2, kind="topic", title="Chuyên đề 1",
        planned_start=begin + timedelta(seconds=5),
    )  # fmt: skip

    started = time.monotonic()
    publisher = push(f"{media.rtmp_url}/{stream.name}?key={key.secret}", seconds=90)
    try:
        playlist = hls_folder(media, stream) / "index.m3u8"
        wait_for(playlist.exists, timeout=5, what="the first playlist")
        first_playlist = time.monotonic() - started
        stream.refresh_from_db()
        assert stream.state == StreamState.LIVE  # on_publish reached the database

        # Signed URLs: the playlist and its segments open with a good token, nothing else does.
        url = signing.live_url(stream.name)
        answer = httpx.get(url, timeout=5)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/vnd.apple.mpegurl"
        segment = next(line for line in answer.text.splitlines() if line.endswith(".ts"))
        assert httpx.get(url.rsplit("/", 1)[0] + "/" + segment, timeout=5).status_code == 200
        expires = int(time.time()) + 600
        forged = f"{media.http_url}/hls/{signing.token('other', expires)}/{expires}/{stream.name}/index.m3u8"
        assert httpx.get(forged, timeout=5).status_code == 403
        old = int(time.time()) - 5
        expired = f"{media.http_url}/hls/{signing.token(stream.name, old)}/{old}/{stream.name}/index.m3u8"
        assert httpx.get(expired, timeout=5).status_code == 410
        assert httpx.get(f"{media.http_url}/hls/{stream.name}/index.m3u8", timeout=5).status_code == 403

        # The bridge point's page plays it, and its heartbeat tells the dashboard.
        page = page_for(ba_dinh_operator, width=390, height=844)
        page.goto(live_server.url + reverse("attendance:checkin", args=[live.ba_dinh_point.pk]))
        # Polled from here: page.wait_for_function evaluates with eval() in the page, which its
        # Content-Security-Policy refuses; page.evaluate goes through the devtools protocol.
        wait_for(
            lambda: page.evaluate(
                "() => { const v = document.querySelector('[data-player] video');"
                " return v && v.currentTime > 2; }"
            ),
            timeout=20,
            what="the point's picture playing for 2 s",
        )
        # A moment of buffering on a loaded machine is normal; the player must get back to playing.
        expect(page.locator("[data-player]")).to_have_attribute("data-state", "playing", timeout=15_000)
        wait_for(
            lambda: PointPresence.objects.filter(point=live.ba_dinh_point, playback="playing").exists(),
            timeout=20,
            what="the point's player reported as playing",
        )
        snapshot = snapshot_for(audience=Audience(everything=True), conference=live.conference)
        row = next(p for p in snapshot["points"] if p["id"] == live.ba_dinh_point.pk)
        assert row["video"] == "playing"
        assert snapshot["stream"]["state"] == StreamState.LIVE
        live.ba_dinh_point.refresh_from_db()
        assert live.ba_dinh_point.link_tested_at is not None
        delay = float(page.locator("[data-player]").get_attribute("data-delay") or "nan")
        assert 0 < delay < 15, delay
        page.close()

        # Revoking the key cuts the encoder off within nginx's update interval.
        time.sleep(max(0.0, 12 - (time.monotonic() - started)))  # a recording of about 12 s
        services.key_revoke(actor=superuser, conference=live.conference, key_id=key.pk)
        revoked = time.monotonic()
        assert end(publisher, timeout=15) != 0
        cut_after = time.monotonic() - revoked
    finally:
        end(publisher, timeout=0.1)

    stream.refresh_from_db()
    assert stream.state == StreamState.STOPPED
    assert StreamEvent.objects.filter(stream=stream, kind="cut").exists()
    assert Incident.objects.filter(
        point=live.host, kind=IncidentKind.LINK_DOWN, closed_at__isnull=True
    ).exists()

    # The recording is registered and cut into the two chapters, each readable by ffprobe.
    recording = wait_for(
        lambda: Recording.objects.filter(stream=stream, status=ProcessingStatus.READY).first(),
        timeout=30,
        what="the processed recording",
    )
    assert 10 < recording.duration < 20
    chapters = list(Chapter.objects.filter(recording=recording).order_by("start"))
    assert [c.title for c in chapters] == ["Khai mạc", "Chuyên đề 1"]
    assert all(c.status == ProcessingStatus.READY for c in chapters)
    for chapter in chapters:
        probe = ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0"]
        probed = subprocess.run(
            [*probe, str(media.root / chapter.path)], capture_output=True, text=True, timeout=30, check=True
        )
        assert sorted(probed.stdout.split()) == ["aac", "h264"]
    assert abs(chapters[0].duration - chapters[0].end) < 1.6  # cut on a keyframe (one a second)

    # An invitee watches the second chapter later; the minutes are counted server-side.
    invitation = live.conference.invitations.filter(point=live.ba_dinh_point).first()
    watcher = page_for(None, width=390, height=844)
    watcher.goto(f"{live_server.url}/moi/{invitation.token}/")
    watcher.get_by_role("link", name="Chuyên đề 1").click()
    watcher.locator("[data-player] video").evaluate("v => { v.muted = true; return v.play(); }")
    wait_for(
        lambda: watcher.evaluate("() => document.querySelector('[data-player] video').currentTime > 3"),
        timeout=15,
        what="the chapter playing for 3 s",
    )
    watcher.evaluate("() => document.querySelector('[data-player]').hoinghiPlayer.flush(false)")
    viewing = wait_for(
        lambda: Viewing.objects.filter(invitation=invitation, chapter=chapters[1], seconds__gt=2).first(),
        timeout=10,
        what="the watched seconds",
    )
    assert viewing.seconds <= chapters[1].duration + 0.5
    # The player reports watched time every few seconds: closed now, so that no report reaches the
    # live server while the test's database is emptied (a deadlock with the flush under load).
    watcher.close()
    print(f"first playlist after {first_playlist:.2f} s; cut {cut_after:.2f} s after the revoke")
