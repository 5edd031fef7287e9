"""nginx's callbacks over HTTP, the players' reports (heartbeat and invitee API), the dashboard's
video column, and who may open the stream page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hoinghi.attendance import services as attendance
from hoinghi.attendance.dashboard import Audience, snapshot_for
from hoinghi.attendance.models import Incident, IncidentKind, PointPresence
from hoinghi.streaming.models import LiveViewer, StreamState
from hoinghi.streaming.signing import hook_secret


def hook(client, event, **fields):
    return client.post(f"/truyen-hinh/hooks/{hook_secret()}/{event}/", fields)


def test_hooks_answer_what_nginx_understands(client, live):
    stream, key = live.stream, live.key
    assert hook(client, "publish", name=stream.name, key="wrong", clientid="3").status_code == 403
    assert (
        hook(client, "publish", name=stream.name, key=key.secret, clientid="3", addr="1.2.3.4").status_code
        == 200
    )
    assert hook(client, "update", name=stream.name, key=key.secret, clientid="3").status_code == 200
    stream.refresh_from_db()
    assert stream.state == StreamState.LIVE and stream.publisher_addr == "1.2.3.4"
    assert hook(client, "publish-done", name=stream.name, key=key.secret, clientid="3").status_code == 200
    stream.refresh_from_db()
    assert stream.state == StreamState.STOPPED


def test_hooks_need_the_secret(client, live):
    response = client.post(
        f"/truyen-hinh/hooks/{'x' * 24}/publish/", {"name": live.stream.name, "key": live.key.secret}
    )
    assert response.status_code == 404
    live.stream.refresh_from_db()
    assert live.stream.state == StreamState.IDLE


def test_hooks_take_only_post(client, live):
    assert client.get(f"/truyen-hinh/hooks/{hook_secret()}/publish/").status_code == 405


def beat(operator, point, state, **extra):
    return attendance.point_heartbeat(
        actor=operator, point=point, playback=attendance.Playback(state=state, **extra)
    )


def test_playing_marks_the_link_tested_and_shows_on_the_dashboard(live, ba_dinh_operator):
    point = live.ba_dinh_point
    assert point.link_tested_at is None
    beat(ba_dinh_operator, point, "playing", bitrate=1_200_000, delay=3.4)
    point.refresh_from_db()
    assert point.link_tested_at is not None
    snapshot = snapshot_for(audience=Audience(everything=True), conference=live.conference)
    row = next(p for p in snapshot["points"] if p["id"] == point.pk)
    assert row["video"] == "playing" and row["video_delay"] == 3.4
    assert snapshot["totals"]["video_playing"] == 1
    assert snapshot["stream"]["configured"] is True


def test_a_point_stalled_over_30_seconds_gets_an_incident_closed_when_playing(live, ba_dinh_operator):
    point = live.ba_dinh_point
    beat(ba_dinh_operator, point, "stalled")
    assert not Incident.objects.filter(point=point).exists()
    PointPresence.objects.filter(point=point).update(playback_since=timezone.now() - timedelta(seconds=31))
    beat(ba_dinh_operator, point, "stalled")
    incident = Incident.objects.get(point=point)
    assert incident.kind == IncidentKind.STALLED and incident.closed_at is None
    beat(ba_dinh_operator, point, "stalled")
    assert Incident.objects.filter(point=point).count() == 1  # one, not one per beat
    beat(ba_dinh_operator, point, "playing")
    incident.refresh_from_db()
    assert incident.closed_at is not None


def test_an_operator_closed_incident_is_not_closed_by_the_player(live, ba_dinh_operator):
    point = live.ba_dinh_point
    mine = attendance.incident_open(actor=ba_dinh_operator, point=point, kind=IncidentKind.STALLED)
    beat(ba_dinh_operator, point, "playing")
    mine.refresh_from_db()
    assert mine.closed_at is None


def test_an_offline_page_shows_no_picture_state(live, ba_dinh_operator):
    point = live.ba_dinh_point
    beat(ba_dinh_operator, point, "playing")
    PointPresence.objects.filter(point=point).update(
        last_seen_at=timezone.now() - timedelta(minutes=2),
        playback_reported_at=timezone.now() - timedelta(minutes=2),
    )
    snapshot = snapshot_for(audience=Audience(everything=True), conference=live.conference)
    assert next(p for p in snapshot["points"] if p["id"] == point.pk)["video"] == ""


def test_heartbeat_api_takes_the_player(client, live, ba_dinh_operator):
    client.force_login(ba_dinh_operator)
    response = client.post(
        f"/api/points/{live.ba_dinh_point.pk}/heartbeat",
        {"queued": 0, "player": {"state": "buffering", "bitrate": 800000, "delay": 4.2}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    presence = PointPresence.objects.get(point=live.ba_dinh_point)
    assert presence.playback == "buffering" and presence.playback_bitrate == 800000
    bad = client.post(
        f"/api/points/{live.ba_dinh_point.pk}/heartbeat",
        {"player": {"state": "dancing"}},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid"


def test_an_operator_cannot_report_for_another_point(client, live, ba_dinh_operator):
    client.force_login(ba_dinh_operator)
    response = client.post(
        f"/api/points/{live.hcm_point.pk}/heartbeat",
        {"player": {"state": "playing"}},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not PointPresence.objects.filter(point=live.hcm_point).exists()


def test_invitee_player_reports_by_token(client, live):
    invitation = live.conference.invitations.first()
    response = client.post(
        f"/api/invitations/{invitation.token}/player",
        {"state": "playing", "delay": 3.9},
        content_type="application/json",
    )
    assert response.status_code == 204
    assert LiveViewer.objects.get(invitation=invitation).state == "playing"
    assert (
        client.post(
            f"/api/invitations/{'z' * 32}/player", {"state": "playing"}, content_type="application/json"
        ).status_code
        == 404
    )
    snapshot = snapshot_for(audience=Audience(everything=True), conference=live.conference)
    assert snapshot["stream"]["viewers_playing"] == 1


def test_stream_page_shows_the_key_only_to_organisers_of_the_conference(
    client, live, superuser, make_user, small_tree
):
    url = reverse("streaming:manage", args=[live.conference.pk])
    client.force_login(superuser)
    page = client.get(url)
    assert page.status_code == 200 and live.key.secret in page.content.decode()
    viewer = make_user("viewer", small_tree.national)
    client.force_login(viewer)
    page = client.get(url)
    assert page.status_code == 200 and live.key.secret not in page.content.decode()
    refused = client.post(reverse("streaming:key-rotate", args=[live.conference.pk]))
    assert (refused.status_code, refused.context["code"]) == (403, "forbidden")
    assert live.stream.keys.count() == 1  # refused: the viewer may not change it
    province_organiser = make_user("organiser", small_tree.hcm)  # sees the conference (its point)...
    client.force_login(province_organiser)
    assert live.key.secret not in client.get(url).content.decode()
    client.post(reverse("streaming:key-revoke", args=[live.conference.pk, live.key.pk]))
    live.key.refresh_from_db()
    assert live.key.revoked_at is None  # ...but not its stream, which the national organisers run


@pytest.mark.parametrize(
    "text, seconds", [("0:15:30", 930), ("15:30", 930), ("42", 42), ("1:00:00.5", 3600.5), ("abc", None)]
)
def test_offsets_parse(text, seconds):
    from hoinghi.streaming.views.pages import parse_offset

    assert parse_offset(text) == seconds


def test_invitation_page_carries_the_player_when_live(client, live):
    invitation = live.conference.invitations.first()
    page = client.get(f"/moi/{invitation.token}/").content.decode()
    assert "data-player" in page and "/hls/" in page and live.stream.name in page
    assert live.key.secret not in page


def test_checkin_page_carries_the_player_reporting_with_the_heartbeat(client, live, ba_dinh_operator):
    client.force_login(ba_dinh_operator)
    page = client.get(reverse("attendance:checkin", args=[live.ba_dinh_point.pk])).content.decode()
    assert 'data-report="heartbeat"' in page


def test_the_public_watch_page_only_for_public_conferences(client, live, superuser):
    from hoinghi.streaming import services
    from hoinghi.streaming.models import StreamSource

    url = reverse("streaming:watch-public", args=[live.conference.pk])
    assert client.get(url).status_code == 404
    services.stream_settings_update(
        actor=superuser, conference=live.conference, source=StreamSource.RTMP, is_public=True
    )
    page = client.get(url)
    assert page.status_code == 200 and "data-player" in page.content.decode()


def test_adjusting_a_chapter_from_the_page(client, live, superuser, django_capture_on_commit_callbacks):
    from hoinghi.streaming.models import Chapter, Recording

    now = timezone.now()
    recording = Recording.objects.create(
        stream=live.stream, path="rec/a.flv", started_at=now, ended_at=now, duration=3600, status="ready"
    )
    chapter = Chapter.objects.create(recording=recording, title="Khai mạc", start=0, end=600, status="ready")
    client.force_login(superuser)
    url = reverse("streaming:chapter-adjust", args=[chapter.pk])
    client.post(url, {"start": "soon", "end": "0:20:00"})
    chapter.refresh_from_db()
    assert chapter.start == 0
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url, {"start": "0:01:30", "end": "0:20:00"}, follow=True)
    chapter.refresh_from_db()
    assert (chapter.start, chapter.end, chapter.status) == (90, 1200, "waiting")
    assert "0:01:30" in response.content.decode()
