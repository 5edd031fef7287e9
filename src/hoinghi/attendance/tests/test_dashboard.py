"""The live dashboard's snapshot, its polling endpoint and its page."""

import uuid
from datetime import timedelta

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hoinghi.attendance.dashboard import (
    LIVE_VIEW,
    Audience,
    audience_for,
    conference_figures,
    dashboard_snapshot,
    snapshot_assemble,
)
from hoinghi.attendance.events import topic
from hoinghi.attendance.models import Attendance, PointPresence
from hoinghi.attendance.services import ScanInput, checkins_record, headcount_report, incident_open
from hoinghi.attendance.tests.dashboard_reference import snapshot_queried
from hoinghi.attendance.tests.live_fixtures import check_in, crowd_fixture  # noqa: F401
from hoinghi.conferences import services as conferences
from hoinghi.conferences.models import BridgePoint, InvitationStatus
from hoinghi.core import live
from hoinghi.core.permissions import GrantRole
from hoinghi.orgs.tests.factories import PersonFactory, UnitFactory


def _point(snapshot, point):
    return next(p for p in snapshot["points"] if p["id"] == point.pk)


def test_present_counts_people_once_with_guests_apart_and_multi_point_people_flagged(
    crowd, superuser, small_tree
):
    small, people = crowd.small, crowd.ba_dinh_people
    check_in(crowd.operator, small.ba_dinh_point, small.conference, *people[:5])
    # Two of them go on to the Hồ Chí Minh point and are scanned there too.
    check_in(crowd.hcm_operator, small.hcm_point, small.conference, *people[:2])
    walk_in = PersonFactory(unit=small_tree.ba_dinh)
    checkins_record(
        actor=crowd.operator,
        point=small.ba_dinh_point,
        scans=[ScanInput(id=uuid.uuid4(), method="search", person_id=walk_in.pk, scanned_at=timezone.now())],
    )

    snapshot = dashboard_snapshot(actor=superuser, conference=small.conference)
    totals = snapshot["totals"]
    assert Attendance.objects.count() == 8
    assert totals["present"] == 5  # invitees, each once wherever they were scanned
    assert totals["invited"] == 56
    assert totals["guests"] == 1
    assert totals["people"] == 6
    assert totals["multi_point"] == 2
    assert totals["checked_in"] == 8  # rows per point: the figure beside the reported headcounts
    assert _point(snapshot, small.ba_dinh_point)["present"] == 6
    assert _point(snapshot, small.ba_dinh_point)["guests"] == 1
    assert _point(snapshot, small.hcm_point)["present"] == 2
    hanoi = next(row for row in snapshot["provinces"] if row["name"] == "Hà Nội")
    assert (hanoi["present"], hanoi["invited"]) == (5, 53)
    committee = next(row for row in snapshot["categories"] if row["id"] == small.committee_rule.pk)
    assert (committee["present"], committee["invited"]) == (5, 55)
    assert sum(row["n"] for row in snapshot["timeline"]) == 8


def test_points_are_online_silent_offline_or_never_seen_by_their_last_heartbeat(crowd, superuser):
    small = crowd.small
    now = timezone.now()
    PointPresence.objects.create(
        point=small.host, last_seen_at=now - timedelta(seconds=10), first_seen_at=now
    )
    PointPresence.objects.create(
        point=small.hcm_point, last_seen_at=now - timedelta(minutes=2), first_seen_at=now - timedelta(hours=1)
    )
    PointPresence.objects.create(
        point=small.ba_dinh_point, last_seen_at=now - timedelta(minutes=20), first_seen_at=now
    )

    snapshot = dashboard_snapshot(actor=superuser, conference=small.conference, now=now)
    assert _point(snapshot, small.host)["state"] == "online"
    assert _point(snapshot, small.hcm_point)["state"] == "silent"
    assert _point(snapshot, small.hcm_point)["last_seen"] == (now - timedelta(minutes=2)).isoformat()
    assert _point(snapshot, small.ba_dinh_point)["state"] == "offline"
    assert {k: snapshot["totals"][k] for k in ("online", "silent", "offline", "never")} == {
        "online": 1,
        "silent": 1,
        "offline": 1,
        "never": 0,
    }
    PointPresence.objects.filter(point=small.ba_dinh_point).delete()
    later = dashboard_snapshot(actor=superuser, conference=small.conference, now=now)
    assert _point(later, small.ba_dinh_point)["state"] == "never"
    by_level = {level["code"]: level for level in later["levels"]}
    assert (by_level["central"]["online"], by_level["central"]["total"]) == (1, 1)
    assert (by_level["district"]["never"], by_level["district"]["total"]) == (1, 1)


def test_reported_headcounts_and_open_incidents_show_beside_the_check_ins(crowd, superuser):
    from hoinghi.attendance.services import headcount_report, incident_close

    small = crowd.small
    check_in(crowd.operator, small.ba_dinh_point, small.conference, *crowd.ba_dinh_people[:3])
    headcount_report(actor=crowd.operator, point=small.ba_dinh_point, present=40)
    headcount_report(actor=crowd.operator, point=small.ba_dinh_point, present=45)  # the latest counts
    incident = incident_open(actor=crowd.operator, point=small.ba_dinh_point, kind="no_sound")
    incident_open(actor=crowd.hcm_operator, point=small.hcm_point, kind="link_down")
    incident_close(actor=superuser, incident=incident, resolution="Đổi micro")

    snapshot = dashboard_snapshot(actor=superuser, conference=small.conference)
    ba_dinh = _point(snapshot, small.ba_dinh_point)
    assert (ba_dinh["present"], ba_dinh["reported"], ba_dinh["incidents"]) == (3, 45, 0)
    assert snapshot["totals"]["reported"] == 45
    assert snapshot["totals"]["incidents_open"] == 1
    (open_incident,) = snapshot["incidents"]
    assert (open_incident["point_id"], open_incident["kind"]) == (small.hcm_point.pk, "link_down")
    assert open_incident["kind_label"] == "Mất đường truyền"


def test_a_province_organiser_sees_only_their_subtree(crowd, make_user, small_tree):
    small = crowd.small
    check_in(crowd.operator, small.ba_dinh_point, small.conference, *crowd.ba_dinh_people[:4])
    incident_open(actor=crowd.operator, point=small.ba_dinh_point, kind="no_sound")
    hcm = make_user(GrantRole.ORGANISER, small_tree.hcm)

    snapshot = dashboard_snapshot(actor=hcm, conference=small.conference)
    assert [p["id"] for p in snapshot["points"]] == [small.hcm_point.pk]
    assert snapshot["totals"]["invited"] == 2
    assert snapshot["totals"]["present"] == snapshot["totals"]["people"] == 0
    assert snapshot["incidents"] == [] and snapshot["timeline"] == []
    assert snapshot["scope"] == "subtree"

    hanoi = make_user(GrantRole.ORGANISER, small_tree.hanoi)
    snapshot = dashboard_snapshot(actor=hanoi, conference=small.conference)
    assert [p["id"] for p in snapshot["points"]] == [small.ba_dinh_point.pk]
    assert snapshot["totals"]["present"] == 4
    assert len(snapshot["incidents"]) == 1


def test_point_coordinates_come_from_the_province_with_district_points_spread_around_it(
    crowd, superuser, small_tree
):
    province = small_tree.hanoi.province
    province.latitude, province.longitude = 21.03, 105.85
    province.save()
    small_tree.ba_dinh.province = province
    small_tree.ba_dinh.save()
    small = crowd.small
    hanoi_point = conferences.point_create(
        actor=superuser,
        conference=small.conference,
        unit=small_tree.hanoi,
        name="Điểm cầu Hà Nội",
        level=small.hcm_point.level,
    )
    first = dashboard_snapshot(actor=superuser, conference=small.conference)
    again = dashboard_snapshot(actor=superuser, conference=small.conference)
    on_centre, spread = _point(first, hanoi_point), _point(first, small.ba_dinh_point)
    assert (on_centre["lat"], on_centre["lon"]) == (21.03, 105.85)
    assert (spread["lat"], spread["lon"]) != (21.03, 105.85)
    assert abs(spread["lat"] - 21.03) < 0.4 and abs(spread["lon"] - 105.85) < 0.4
    assert (spread["lat"], spread["lon"]) == (
        _point(again, small.ba_dinh_point)["lat"],
        _point(again, small.ba_dinh_point)["lon"],
    )


def test_the_snapshot_costs_a_handful_of_queries_whatever_the_number_of_points(
    crowd, superuser, small_tree, django_assert_max_num_queries
):
    small = crowd.small
    for n in range(40):
        unit = UnitFactory(parent=small_tree.hcm, kind=small_tree.district_1.kind)
        point = BridgePoint.objects.create(
            conference=small.conference, name=f"Điểm cầu {n}", level=small.ba_dinh_point.level, unit=unit
        )
        PointPresence.objects.create(point=point, last_seen_at=timezone.now(), first_seen_at=timezone.now())
    check_in(crowd.operator, small.ba_dinh_point, small.conference, *crowd.ba_dinh_people[:10])
    organiser = type(superuser).objects.get(pk=superuser.pk)
    with django_assert_max_num_queries(12):
        snapshot = dashboard_snapshot(actor=organiser, conference=small.conference)
    assert snapshot["totals"]["points"] == 43
    assert snapshot["totals"]["online"] == 40


# --- Every audience cut from figures computed once (issue 13) --------------------------------------


def _morning_in_several_provinces(crowd, superuser, small_tree):
    """Check-ins at every point, over several minutes, from people of Hà Nội, Hồ Chí Minh and the
    national unit, some at a point of another province, two at two points, a walk-in guest from
    elsewhere, an invitee by name (no category), one invitee sent to another province's point;
    heartbeats, headcounts and incidents."""
    small, people, now = crowd.small, crowd.ba_dinh_people, timezone.now()
    conferences.override_set(
        actor=superuser, conference=small.conference, person=small.people["chair-b"], kind="include"
    )
    conferences.invitations_reapply(actor=superuser, conference=small.conference)
    conferences.person_assign_point(
        actor=superuser, conference=small.conference, person=people[49], point=small.hcm_point
    )
    for minutes, batch in ((40, people[:6]), (12, people[6:15]), (3, people[15:20])):
        check_in(
            crowd.operator, small.ba_dinh_point, small.conference, *batch, at=now - timedelta(minutes=minutes)
        )
    check_in(
        crowd.hcm_operator, small.hcm_point, small.conference, *people[:2], at=now - timedelta(minutes=2)
    )
    check_in(crowd.hcm_operator, small.hcm_point, small.conference, small.people["HCM"], people[49])
    check_in(
        crowd.operator, small.ba_dinh_point, small.conference, small.people["HCM-Q1"], small.people["chair-b"]
    )
    check_in(superuser, small.host, small.conference, small.people["TLD"], small.people["HN"])
    # A walk-in of Quận 1 is a guest at the point serving their unit (a point may name by search
    # only the people of the units it serves).
    walk_in = PersonFactory(unit=small_tree.district_1)
    checkins_record(
        actor=crowd.hcm_operator,
        point=small.hcm_point,
        scans=[ScanInput(id=uuid.uuid4(), method="search", person_id=walk_in.pk, scanned_at=now)],
    )
    PointPresence.objects.create(point=small.host, last_seen_at=now, first_seen_at=now)
    PointPresence.objects.create(
        point=small.hcm_point, last_seen_at=now - timedelta(minutes=2), first_seen_at=now - timedelta(hours=1)
    )
    headcount_report(actor=crowd.operator, point=small.ba_dinh_point, present=30)
    incident_open(actor=crowd.operator, point=small.ba_dinh_point, kind="no_sound")
    incident_open(actor=crowd.hcm_operator, point=small.hcm_point, kind="link_down")
    return now


def test_every_audience_cut_from_the_shared_figures_sees_exactly_what_its_own_queries_gave(
    crowd, superuser, make_user, small_tree
):
    small, tree = crowd.small, small_tree
    now = _morning_in_several_provinces(crowd, superuser, tree)
    audiences = [
        Audience(everything=True),
        Audience(everything=False, paths=(tree.national.path,)),
        Audience(everything=False, paths=(tree.hanoi.path,)),
        Audience(everything=False, paths=(tree.hcm.path,)),
        Audience(everything=False, paths=(tree.ba_dinh.path,)),
        Audience(everything=False, paths=(tree.district_1.path,)),
        Audience(everything=False, paths=(tree.grassroots_b.path, tree.hanoi.path)),
        Audience(everything=False, operated=(small.ba_dinh_point.pk,)),
        Audience(everything=False, paths=(tree.district_1.path,), operated=(small.ba_dinh_point.pk,)),
        Audience(everything=False),
        audience_for(actor=make_user(GrantRole.ORGANISER, tree.hcm), conference=small.conference),
        audience_for(actor=crowd.operator, conference=small.conference),
    ]
    figures = conference_figures(small.conference, now=now)

    for audience in audiences:
        assert snapshot_assemble(figures, audience, now=now) == snapshot_queried(
            audience=audience, conference=small.conference, now=now
        ), audience
    # The scenario reaches what it is meant to: several provinces, categories, minutes and points.
    national = snapshot_assemble(figures, audiences[0], now=now)
    assert {row["name"] for row in national["provinces"]} == {"Trung ương", "Hà Nội", "Hồ Chí Minh"}
    assert {row["name"] for row in national["categories"]} >= {"Mời thêm", small.committee_rule.name}
    assert len(national["timeline"]) >= 4 and national["totals"]["multi_point"] == 2
    assert national["totals"]["guests"] == 1 and national["totals"]["incidents_open"] == 2
    hcm = snapshot_assemble(figures, audiences[3], now=now)
    # At its point: two of Ba Đình, its own member, the invitee sent there; at Ba Đình: three of Quận 1.
    assert hcm["totals"]["people"] == 7
    assert {row["name"] for row in hcm["provinces"]} == {"Hồ Chí Minh"}


def test_many_audiences_cost_the_queries_of_one(crowd, superuser, small_tree, django_assert_num_queries):
    small, tree = crowd.small, small_tree
    _morning_in_several_provinces(crowd, superuser, tree)
    audiences = [
        Audience(everything=True),
        *(
            Audience(everything=False, paths=(unit.path,))
            for unit in (
                tree.national,
                tree.hanoi,
                tree.ba_dinh,
                tree.hcm,
                tree.district_1,
                tree.grassroots_b,
            )
        ),
        Audience(everything=False, operated=(small.ba_dinh_point.pk,)),
    ]
    conference = LIVE_VIEW.load(small.conference.pk)  # as the broadcaster loads it
    LIVE_VIEW.messages(conference, audiences[:1])  # the invitations' figures, kept from now on

    live.publish(topic(conference.pk))  # a new version: the figures are computed again
    with CaptureQueriesContext(connection) as one:
        (alone,) = LIVE_VIEW.messages(conference, audiences[:1])
    live.publish(topic(conference.pk))
    with django_assert_num_queries(len(one.captured_queries)):
        together = LIVE_VIEW.messages(conference, audiences)

    assert len(together) == len(audiences)
    assert together[0]["totals"] == alone["totals"]
    assert len(one.captured_queries) <= 10


def test_a_change_of_the_invitations_shows_at_once_though_they_are_kept_between_snapshots(
    crowd, superuser, small_tree
):
    small = crowd.small
    everyone = Audience(everything=True)
    before = snapshot_assemble(conference_figures(small.conference), everyone)
    assert _point(before, small.hcm_point)["invited"] == 2

    conferences.person_assign_point(
        actor=superuser, conference=small.conference, person=crowd.ba_dinh_people[0], point=small.hcm_point
    )
    moved = snapshot_assemble(conference_figures(small.conference), everyone)
    assert _point(moved, small.hcm_point)["invited"] == 3
    assert _point(moved, small.ba_dinh_point)["invited"] == _point(before, small.ba_dinh_point)["invited"] - 1

    conferences.conference_transition(actor=superuser, conference=small.conference, to_status="draft")
    assert small.conference.invitations.filter(status=InvitationStatus.ACTIVE).count() == 0
    withdrawn = snapshot_assemble(conference_figures(small.conference), everyone)
    assert withdrawn["totals"]["invited"] == 0 and _point(withdrawn, small.hcm_point)["invited"] == 0


def test_the_attendance_counted_as_it_arrives_takes_late_commits_and_undone_check_ins(crowd):
    """Rows whose transaction committed after one with a higher id, and rows deleted (an undone
    check-in), count as a fresh count would."""
    small, people, now = crowd.small, crowd.ba_dinh_people, timezone.now()
    ba_dinh = Audience(everything=False, paths=(small.ba_dinh_point.unit.path,))

    def assert_counted_as_afresh():
        figures = conference_figures(small.conference, now=now)
        for audience in (Audience(everything=True), ba_dinh):
            fresh = snapshot_queried(audience=audience, conference=small.conference, now=now)
            assert snapshot_assemble(figures, audience, now=now) == fresh

    check_in(crowd.operator, small.ba_dinh_point, small.conference, *people[:3])
    assert_counted_as_afresh()  # counted from nothing
    last = Attendance.objects.filter(conference=small.conference).latest("pk")
    for offset, person in ((20, people[10]), (10, people[11])):  # the higher id commits first
        Attendance.objects.create(
            id=last.pk + offset,
            conference=small.conference,
            person=person,
            point=small.hcm_point,
            checkin=last.checkin,
            checked_in_at=now,
        )
        assert_counted_as_afresh()
    Attendance.objects.filter(pk=last.pk + 10).delete()  # undone
    assert_counted_as_afresh()
    assert conference_figures(small.conference, now=now).attended[small.hcm_point.pk]["present"] == 1


# --- Polling, and Redis going away ---------------------------------------------------------------

REDIS_AWAY = "redis://127.0.0.1:1/0"  # nothing listens there


def test_the_polling_endpoint_returns_the_snapshot_with_the_version(crowd, client, make_user, small_tree):
    small = crowd.small
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hcm))
    response = client.get(f"/api/conferences/{small.conference.pk}/live")
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "snapshot" and "version" in body
    assert [p["id"] for p in body["points"]] == [small.hcm_point.pk]
    client.force_login(make_user())
    assert client.get(f"/api/conferences/{small.conference.pk}/live").status_code == 404


def test_the_polling_endpoint_refuses_anonymous_callers(crowd, client):
    assert client.get(f"/api/conferences/{crowd.small.conference.pk}/live").status_code == 401


def test_check_ins_are_stored_and_polling_answers_when_redis_is_away(
    crowd, client, superuser, django_capture_on_commit_callbacks
):
    small = crowd.small
    with override_settings(
        REDIS_URL=REDIS_AWAY,
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_AWAY}
        },
        CHANNEL_LAYERS={
            "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_AWAY]}}
        },
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            results = check_in(
                crowd.operator, small.ba_dinh_point, small.conference, *crowd.ba_dinh_people[:3]
            )
        assert callbacks  # the publish ran, and did not raise
        assert [r.outcome for r in results] == ["present"] * 3
        assert Attendance.objects.filter(conference=small.conference).count() == 3
        assert live.version(topic(small.conference.pk)) == 0
        client.force_login(superuser)
        response = client.get(f"/api/conferences/{small.conference.pk}/live")
        assert response.status_code == 200
        assert response.json()["totals"]["present"] == 3


def test_a_change_bumps_the_version(crowd, django_capture_on_commit_callbacks):
    small = crowd.small
    before = live.version(topic(small.conference.pk))
    with django_capture_on_commit_callbacks(execute=True):
        check_in(crowd.operator, small.ba_dinh_point, small.conference, crowd.ba_dinh_people[0])
    assert live.version(topic(small.conference.pk)) == before + 1


# --- Pages ---------------------------------------------------------------------------------------


def test_the_dashboard_page_shows_the_first_snapshot(crowd, client, superuser):
    small = crowd.small
    check_in(crowd.operator, small.ba_dinh_point, small.conference, *crowd.ba_dinh_people[:7])
    client.force_login(superuser)
    response = client.get(reverse("attendance:dashboard", kwargs={"pk": small.conference.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="present-figure">7<' in html
    assert f"/ws/truc-tiep/{small.conference.pk}/" in html
    assert 'id="live-snapshot"' in html


def test_the_dashboard_of_an_invisible_conference_is_not_found(crowd, client, make_user):
    client.force_login(make_user())
    url = reverse("attendance:dashboard", kwargs={"pk": crowd.small.conference.pk})
    assert client.get(url).status_code == 404


def test_an_organiser_closes_an_incident_with_its_resolution(crowd, client, make_user, small_tree):
    small = crowd.small
    incident = incident_open(actor=crowd.operator, point=small.ba_dinh_point, kind="no_sound")
    other = incident_open(actor=crowd.hcm_operator, point=small.hcm_point, kind="stalled")
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hanoi))
    url = reverse("attendance:incidents", kwargs={"pk": small.conference.pk})
    page = client.get(url).content.decode()
    assert f'id="su-co-{incident.pk}"' in page and f'id="su-co-{other.pk}"' not in page
    close = reverse(
        "attendance:incident_close", kwargs={"pk": small.conference.pk, "incident_pk": incident.pk}
    )
    assert client.post(close, {"resolution": "Thay micro"}).status_code == 302
    incident.refresh_from_db()
    assert incident.closed_at is not None and incident.resolution == "Thay micro"
    assert "Thay micro" in client.get(url + "?trang-thai=dong").content.decode()
    refused = reverse(
        "attendance:incident_close", kwargs={"pk": small.conference.pk, "incident_pk": other.pk}
    )
    assert client.post(refused, {"resolution": "x"}).status_code == 404
