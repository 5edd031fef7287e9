"""Publishing rules (nginx's callbacks), keys, rehearsal, chapters and watched time, without the
media server: the integration tests (test_media_server.py) run the same through real nginx."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hoinghi.attendance.models import Incident, IncidentKind
from hoinghi.conferences import services as conferences
from hoinghi.conferences.models import ProgrammeItem
from hoinghi.core.errors import NotFoundError
from hoinghi.core.permissions import PermissionDeniedError
from hoinghi.streaming import services
from hoinghi.streaming.errors import StreamError
from hoinghi.streaming.models import Chapter, Recording, StreamEvent, StreamSource, StreamState, Viewing


def publish(stream, key, client="7", addr="10.0.0.5"):
    return services.publish_check(name=stream.name, key=key, addr=addr, client=client)


def test_current_key_of_a_live_conference_publishes(live):
    verdict = publish(live.stream, live.key.secret)
    assert verdict.allowed
    live.stream.refresh_from_db()
    assert live.stream.state == StreamState.LIVE
    assert live.stream.publisher_client == "7"
    assert live.stream.publishing_key == live.key
    assert live.stream.events.filter(kind="publish").count() == 1


@pytest.mark.parametrize(
    "key, reason",
    [("", "no key"), ("not-the-key", "wrong or retired key")],
)
def test_bad_keys_are_refused_and_logged(live, key, reason):
    verdict = publish(live.stream, key)
    assert not verdict.allowed and verdict.reason == reason
    live.stream.refresh_from_db()
    assert live.stream.state == StreamState.IDLE
    assert live.stream.events.get(kind="refused").reason == reason


def test_unknown_stream_is_refused(live):
    assert not services.publish_check(name="nope", key=live.key.secret).allowed


def test_key_of_another_conference_is_refused(live, superuser, small_tree):
    other = conferences.conference_create(
        actor=superuser, organising_unit=small_tree.national, title="Khác", starts_at=timezone.now()
    )
    other_key = services.current_key(services.stream_ensure(conference=other))
    assert not publish(live.stream, other_key.secret).allowed


def test_not_live_and_outside_rehearsal_is_refused(issued, superuser):
    stream = services.stream_ensure(conference=issued.conference)
    key = services.current_key(stream)
    assert not publish(stream, key.secret).allowed
    now = timezone.now()
    services.stream_settings_update(
        actor=superuser,
        conference=issued.conference,
        source=StreamSource.RTMP,
        rehearsal_starts_at=now - timedelta(minutes=5),
        rehearsal_ends_at=now + timedelta(minutes=30),
    )
    assert publish(stream, key.secret).allowed
    stream.refresh_from_db()
    assert stream.state == StreamState.REHEARSAL
    # The window closes: the next on_update cuts the rehearsal.
    stream.rehearsal_starts_at, stream.rehearsal_ends_at = now - timedelta(hours=2), now - timedelta(hours=1)
    stream.save()
    verdict = services.publish_update(name=stream.name, key=key.secret, client="7")
    assert not verdict.allowed and "rehearsal" in verdict.reason


def test_rotation_retires_the_old_key_but_does_not_cut_it(live, superuser):
    assert publish(live.stream, live.key.secret).allowed
    new = services.key_rotate(actor=superuser, conference=live.conference)
    assert new != live.key and new.is_current
    # The running encoder goes on...
    assert services.publish_update(name=live.stream.name, key=live.key.secret, client="7").allowed
    # ...but cannot start again with the old key.
    services.publish_done(name=live.stream.name, client="7")
    assert not publish(live.stream, live.key.secret, client="8").allowed
    assert publish(live.stream, new.secret, client="9").allowed


def test_revoking_cuts_the_running_publisher_and_makes_a_new_key(live, superuser):
    assert publish(live.stream, live.key.secret).allowed
    services.key_revoke(actor=superuser, conference=live.conference, key_id=live.key.pk)
    verdict = services.publish_update(name=live.stream.name, key=live.key.secret, client="7")
    assert not verdict.allowed and verdict.reason == "revoked key"
    assert live.stream.events.filter(kind="cut").exists()
    assert services.current_key(live.stream) != live.key


def test_key_changes_are_audited_as_dotted_past_tense(live, superuser):
    from hoinghi.core.models import AuditEntry

    services.key_rotate(actor=superuser, conference=live.conference)
    services.key_revoke(actor=superuser, conference=live.conference, key_id=live.key.pk)
    types = list(
        AuditEntry.objects.filter(type__startswith="streaming.").order_by("pk").values_list("type", flat=True)
    )
    assert types == ["streaming.key.rotated", "streaming.key.revoked"]


def test_a_refused_duplicate_publisher_ending_does_not_stop_the_stream(live):
    assert publish(live.stream, live.key.secret, client="7").allowed
    assert not publish(live.stream, live.key.secret, client="8").allowed
    services.publish_done(name=live.stream.name, client="8")
    live.stream.refresh_from_db()
    assert live.stream.state == StreamState.LIVE


def test_a_dropped_live_stream_raises_an_incident_at_the_host_until_it_is_back(live):
    assert publish(live.stream, live.key.secret, client="7").allowed
    services.publish_done(name=live.stream.name, client="7")
    live.stream.refresh_from_db()
    assert live.stream.state == StreamState.STOPPED
    incident = Incident.objects.get(point=live.host, closed_at__isnull=True)
    assert incident.kind == IncidentKind.LINK_DOWN and incident.opened_by is None
    assert publish(live.stream, live.key.secret, client="9").allowed
    incident.refresh_from_db()
    assert incident.closed_at is not None


def test_only_organisers_of_the_conference_manage_keys(live, make_user, small_tree):
    province_organiser = make_user("organiser", small_tree.hanoi)
    with pytest.raises((PermissionDeniedError, NotFoundError)):
        services.key_rotate(actor=province_organiser, conference=live.conference)
    with pytest.raises((PermissionDeniedError, NotFoundError)):
        services.key_revoke(actor=province_organiser, conference=live.conference, key_id=live.key.pk)
    assert services.current_key(live.stream) == live.key


def test_settings_are_checked(live, superuser):
    with pytest.raises(StreamError):
        services.stream_settings_update(
            actor=superuser, conference=live.conference, source=StreamSource.EXTERNAL, external_url="ftp://x"
        )
    now = timezone.now()
    with pytest.raises(StreamError):
        services.stream_settings_update(
            actor=superuser,
            conference=live.conference,
            source=StreamSource.RTMP,
            rehearsal_starts_at=now,
            rehearsal_ends_at=now - timedelta(minutes=1),
        )
    live.stream.refresh_from_db()
    assert live.stream.source == StreamSource.RTMP and live.stream.rehearsal_starts_at is None


def test_external_source_takes_no_publisher(live, superuser):
    services.stream_settings_update(
        actor=superuser,
        conference=live.conference,
        source=StreamSource.EXTERNAL,
        external_url="https://tv.example.vn/live/index.m3u8",
    )
    assert not publish(live.stream, live.key.secret).allowed


def test_record_done_registers_the_file_once(live, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.STREAM_DIR = tmp_path
    (tmp_path / "rec").mkdir()
    file = tmp_path / "rec" / f"{live.stream.name}-1795624493.flv"
    file.write_bytes(b"FLV not really")
    empty = tmp_path / "rec" / f"{live.stream.name}-1795624494.flv"
    empty.write_bytes(b"")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        recording = services.record_done(name=live.stream.name, path=str(file))
        again = services.record_done(name=live.stream.name, path=str(file))
        nothing = services.record_done(name=live.stream.name, path=str(empty))
    assert recording == again and nothing is None
    assert recording.path == f"rec/{file.name}"
    assert recording.started_at.timestamp() == 1795624493
    assert not recording.rehearsal
    assert len(queued) == 1  # processing queued once
    assert Recording.objects.count() == 1


def test_chapters_follow_the_programme(live, superuser):
    start = timezone.now() - timedelta(hours=2)
    conference = live.conference
    conference.programme.all().delete()
    for offset, title in ((0, "Khai mạc"), (10, "Chuyên đề 1"), (40, "Chuyên đề 2")):
        ProgrammeItem.objects.create(
            conference=conference,
            order=offset,
            kind="topic",
            title=title,
            planned_start=start + timedelta(minutes=offset),
        )
    recording = Recording.objects.create(
        stream=live.stream,
        path="rec/x.flv",
        started_at=start + timedelta(minutes=5),
        ended_at=start + timedelta(minutes=50),
        duration=45 * 60,
    )
    planned = [
        (title, start_s, end_s) for _item, title, start_s, end_s in services.planned_chapters(recording)
    ]
    assert planned == [("Khai mạc", 0, 300), ("Chuyên đề 1", 300, 2100), ("Chuyên đề 2", 2100, 2700)]


def test_a_recording_outside_the_programme_is_one_chapter(live):
    now = timezone.now()
    recording = Recording.objects.create(
        stream=live.stream, path="rec/y.flv", started_at=now, ended_at=now, duration=12.5
    )
    assert [(t, s, e) for _i, t, s, e in services.planned_chapters(recording)] == [
        (live.conference.title, 0, 12.5)
    ]


def test_merge_intervals():
    assert services.merge_intervals([[10, 20], [0, 5], [5.3, 8], [15, 30], [40, 41]]) == [
        [0, 8],
        [10, 30],
        [40, 41],
    ]


def _ready_chapter(live, duration=600.0):
    now = timezone.now()
    recording = Recording.objects.create(
        stream=live.stream, path="rec/z.flv", started_at=now, ended_at=now, duration=duration, status="ready"
    )
    return Chapter.objects.create(
        recording=recording,
        title="Chuyên đề 1",
        start=0,
        end=duration,
        duration=duration,
        status="ready",
        path="vod/x.mp4",
    )


def test_watched_time_counts_each_second_once(live):
    chapter = _ready_chapter(live)
    token = live.conference.invitations.first().token
    services.watched_report(token=token, chapter_id=chapter.pk, intervals=[(0, 60), (30, 90)])
    viewing = services.watched_report(token=token, chapter_id=chapter.pk, intervals=[(0, 60), (500, 700)])
    assert viewing.intervals == [[0, 90], [500, 600]]
    assert viewing.seconds == 190
    assert Viewing.objects.count() == 1


def test_watched_time_needs_a_valid_token_and_a_ready_chapter(live):
    chapter = _ready_chapter(live)
    with pytest.raises(NotFoundError):
        services.watched_report(token="x" * 32, chapter_id=chapter.pk, intervals=[(0, 10)])
    chapter.status = "processing"
    chapter.save()
    with pytest.raises(NotFoundError):
        services.watched_report(
            token=live.conference.invitations.first().token, chapter_id=chapter.pk, intervals=[(0, 10)]
        )


def test_events_are_kept(live):
    publish(live.stream, "bad")
    assert StreamEvent.objects.filter(stream=live.stream).count() == 1


def test_the_attendance_report_shows_minutes_watched_later_per_item(live, superuser):
    from hoinghi.attendance import documents, reports

    chapter = _ready_chapter(live)
    item = ProgrammeItem.objects.create(
        conference=live.conference, order=9, kind="topic", title="Chuyên đề 2"
    )
    chapter.item = item
    chapter.save()
    absent = live.conference.invitations.order_by("pk").first()
    services.watched_report(token=absent.token, chapter_id=chapter.pk, intervals=[(0, 300), (100, 420)])
    rows = list(reports.absentee_rows(reports.absentee_list(actor=superuser, conference=live.conference)))
    row = next(r for r in rows if r.watched)
    assert row.watched == {"Chuyên đề 2": 7.0} and row.watched_minutes == 7.0
    assert sum(1 for r in rows if r.watched) == 1
    report = reports.attendance_report(actor=superuser, conference=live.conference)
    workbook = documents.report_xlsx(report, iter(rows))
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(workbook)).worksheets[-1]
    values = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert any(line[-2] == 7.0 and line[-1] == "Chuyên đề 2: 7′" for line in values)


def test_adjusting_a_chapter_checks_the_times_and_cuts_again(
    live, superuser, django_capture_on_commit_callbacks
):
    chapter = _ready_chapter(live, duration=600.0)
    with pytest.raises(StreamError):
        services.chapter_adjust(actor=superuser, chapter=chapter, start=30, end=10)
    with pytest.raises(StreamError):
        services.chapter_adjust(actor=superuser, chapter=chapter, start=700, end=800)
    chapter.refresh_from_db()
    assert (chapter.start, chapter.end, chapter.status) == (0, 600, "ready")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.chapter_adjust(actor=superuser, chapter=chapter, start=15.5, end=900)
    chapter.refresh_from_db()
    assert (chapter.start, chapter.end, chapter.status) == (15.5, 600, "waiting")  # clipped to the recording
    assert len(queued) == 1


def test_only_organisers_of_the_conference_adjust_chapters(live, make_user, small_tree):
    chapter = _ready_chapter(live)
    with pytest.raises((PermissionDeniedError, NotFoundError)):
        services.chapter_adjust(
            actor=make_user("organiser", small_tree.hanoi), chapter=chapter, start=1, end=2
        )
    with pytest.raises((PermissionDeniedError, NotFoundError)):
        services.recording_retry(actor=make_user("viewer", small_tree.national), recording=chapter.recording)
    chapter.refresh_from_db()
    assert chapter.start == 0


def test_a_reissued_personal_link_keeps_working_and_the_old_one_stops(live, superuser):
    chapter = _ready_chapter(live)
    invitation = live.conference.invitations.first()
    old_token = invitation.token
    conferences.invitation_token_revoke(actor=superuser, invitation=invitation)
    invitation.refresh_from_db()
    assert (
        services.watched_report(token=invitation.token, chapter_id=chapter.pk, intervals=[(0, 30)]).seconds
        == 30
    )
    with pytest.raises(NotFoundError):
        services.watched_report(token=old_token, chapter_id=chapter.pk, intervals=[(0, 30)])
