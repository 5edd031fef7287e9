"""The check-in API through its real URLs: idempotency, refusals that change nothing, scoping."""

import hashlib
import json
import uuid
from datetime import timedelta
from datetime import timezone as dt_timezone
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from hoinghi.attendance.models import Attendance, CheckIn, CheckInOutcome, Headcount, Incident, PointPresence
from hoinghi.attendance.tests.scans import _post, _scan, _token
from hoinghi.conferences import services as conferences
from hoinghi.conferences.models import ConferenceStatus, Invitation
from hoinghi.core.catalogue import catalogue_url
from hoinghi.orgs.tests.factories import PersonFactory


def test_the_same_scan_sent_twice_is_stored_once(issued, operator_client, scans_url):
    scan = _scan(token=_token(issued.conference, issued.people["HN-BD"]))
    first = _post(operator_client, scans_url, {"scans": [scan]})
    again = _post(operator_client, scans_url, {"scans": [scan]})
    assert first.status_code == again.status_code == 200
    assert first.json()["results"][0]["outcome"] == CheckInOutcome.PRESENT
    assert again.json()["results"][0]["is_retry"] is True
    assert again.json()["present"] == 1
    assert CheckIn.objects.count() == 1
    assert Attendance.objects.count() == 1


def test_a_qr_holding_the_personal_link_checks_in_its_person(issued, operator_client, scans_url):
    token = _token(issued.conference, issued.people["HN-BD"])
    response = _post(
        operator_client, scans_url, {"scans": [_scan(token=f"https://hoinghi.example/moi/{token}/")]}
    )
    assert response.json()["results"][0]["person_id"] == issued.people["HN-BD"].pk
    assert CheckIn.objects.get().token == token


def test_a_replayed_scan_id_with_another_payload_is_rejected_as_replayed(issued, operator_client, scans_url):
    scan = _scan(token=_token(issued.conference, issued.people["HN-BD"]))
    _post(operator_client, scans_url, {"scans": [scan]})
    forged = {**scan, "token": _token(issued.conference, issued.people["chair-a"])}
    response = _post(operator_client, scans_url, {"scans": [forged]})
    result = response.json()["results"][0]
    assert (result["outcome"], result["reason"]) == ("rejected", "replayed")
    assert not Attendance.objects.filter(person=issued.people["chair-a"]).exists()
    assert CheckIn.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        {
            "scans": [
                {"id": "not-a-uuid", "method": "qr", "token": "x", "scanned_at": "2018-12-06T08:00:00+07:00"}
            ]
        },
        {
            "scans": [
                {"id": str(uuid.uuid4()), "method": "teleport", "scanned_at": "2018-12-06T08:00:00+07:00"}
            ]
        },
        {"scans": [{"id": str(uuid.uuid4()), "method": "qr", "token": "x", "scanned_at": "08:00"}]},
        {
            "scans": [
                {"id": str(uuid.uuid4()), "method": "qr", "token": "x", "scanned_at": "2018-12-06T08:00:00"}
            ]
        },
        {"scans": []},
        {"nothing": 1},
    ],
    ids=["bad-json", "bad-uuid", "bad-method", "bad-time", "time-without-offset", "empty", "no-scans"],
)
def test_a_malformed_payload_gets_a_clear_error_and_stores_nothing(issued, operator_client, scans_url, body):
    data = body if isinstance(body, str) else json.dumps(body)
    response = operator_client.post(scans_url, data, content_type="application/json")
    assert response.status_code in (400, 422)
    error = response.json()
    assert set(error) == {"code", "message", "params"} and error["message"]
    assert not CheckIn.objects.exists()


def test_a_batch_with_one_unreadable_scan_stores_none_of_it(issued, operator_client, scans_url):
    good = _scan(token=_token(issued.conference, issued.people["HN-BD"]))
    nobody = _scan(method="search")  # names no one
    response = _post(operator_client, scans_url, {"scans": [good, nobody]})
    assert response.status_code == 400
    assert response.json()["code"] == "malformed"
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    "sent",
    [
        "0001-01-01T00:00:00+14:00",  # no UTC date: was a 500
        "0001-01-01T00:00:00-23:59",
        "0001-01-01T00:00:00+00:00",  # was accepted
        "2000-01-01T00:00:00+07:00",  # a phone whose clock reset
        "9999-12-31T23:59:59-23:59",  # no UTC date either
        "9999-12-31T23:59:59+14:00",
        "HOUR_AHEAD",  # a phone an hour fast: was a 400 for its whole batch
    ],
)
def test_a_scan_time_out_of_range_is_stored_rejected_and_the_rest_of_its_batch_counts(
    issued, operator_client, scans_url, sent
):
    if sent == "HOUR_AHEAD":
        sent = (timezone.now() + timedelta(hours=1)).isoformat()
    bad = {**_scan(token=_token(issued.conference, issued.people["HN-BD"])), "scanned_at": sent}
    good = _scan(token=_token(issued.conference, issued.people["chair-a"]))
    response = _post(operator_client, scans_url, {"scans": [bad, good]})
    assert response.status_code == 200
    rejected, present = response.json()["results"]
    assert (rejected["outcome"], rejected["reason"]) == ("rejected", "scanned_at_out_of_range")
    assert present["outcome"] == "present"
    stored = CheckIn.objects.get(id=bad["id"])
    assert (stored.outcome, stored.scanned_at, stored.scanned_at_sent) == ("rejected", None, sent)
    assert list(Attendance.objects.values_list("person_id", flat=True)) == [issued.people["chair-a"].pk]
    # A retry is answered from the log.
    again = _post(operator_client, scans_url, {"scans": [bad]}).json()["results"][0]
    assert (again["reason"], again["is_retry"]) == ("scanned_at_out_of_range", True)


@pytest.mark.parametrize("offset", ["-23:59", "+14:00", "+00:00", "+07:00"])
def test_a_scan_time_with_any_offset_is_stored_as_the_same_instant_in_utc(
    issued, operator_client, scans_url, offset
):
    hours, minutes = int(offset[1:3]), int(offset[4:])
    zone = dt_timezone((-1 if offset[0] == "-" else 1) * timedelta(hours=hours, minutes=minutes))
    at = (timezone.now() - timedelta(minutes=10)).replace(microsecond=0)
    scan = _scan(token=_token(issued.conference, issued.people["HN-BD"]), at=at.astimezone(zone))
    assert scan["scanned_at"].endswith(offset)
    response = _post(operator_client, scans_url, {"scans": [scan]})
    assert response.status_code == 200 and response.json()["results"][0]["outcome"] == "present"
    stored = CheckIn.objects.get()
    assert stored.scanned_at == at and stored.scanned_at.utcoffset() == timedelta(0)
    assert Attendance.objects.get().checked_in_at == at


def test_scan_times_are_believed_from_a_day_before_the_start(issued, operator_client, scans_url):
    starts_at = issued.conference.starts_at
    early = _scan(
        token=_token(issued.conference, issued.people["HN-BD"]), at=starts_at - timedelta(days=1, seconds=1)
    )
    eve = _scan(token=_token(issued.conference, issued.people["chair-a"]), at=starts_at - timedelta(hours=20))
    results = _post(operator_client, scans_url, {"scans": [early, eve]}).json()["results"]
    assert [(r["outcome"], r["reason"]) for r in results] == [
        ("rejected", "scanned_at_out_of_range"),
        ("present", ""),
    ]


def test_an_operator_of_another_point_is_told_it_does_not_exist(issued, operator_client):
    point = issued.hcm_point
    token = _token(issued.conference, issued.people["HCM"])
    for method, url, body in (
        ("post", f"/api/points/{point.pk}/scans", {"scans": [_scan(token=token)]}),
        ("get", f"/api/points/{point.pk}/roster", None),
        ("get", f"/api/points/{point.pk}/people?q=dung", None),
        ("post", f"/api/points/{point.pk}/heartbeat", {"queued": 0}),
        ("post", f"/api/points/{point.pk}/headcounts", {"present": 3}),
        ("post", f"/api/points/{point.pk}/incidents", {"kind": "no_sound"}),
    ):
        response = _post(operator_client, url, body) if method == "post" else operator_client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    assert not CheckIn.objects.exists()
    assert (
        not PointPresence.objects.exists()
        and not Headcount.objects.exists()
        and not Incident.objects.exists()
    )


def test_without_login_nothing_is_answered_or_stored(issued, client, scans_url):
    token = _token(issued.conference, issued.people["HN-BD"])
    response = _post(client, scans_url, {"scans": [_scan(token=token)]})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert client.get(f"/api/points/{issued.ba_dinh_point.pk}/roster").status_code == 401
    assert not CheckIn.objects.exists()


def test_a_post_without_the_csrf_header_is_refused(issued, ba_dinh_operator, scans_url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ba_dinh_operator)
    response = _post(
        client, scans_url, {"scans": [_scan(token=_token(issued.conference, issued.people["HN-BD"]))]}
    )
    assert response.status_code == 403
    assert not CheckIn.objects.exists()


def test_the_roster_carries_token_digests_never_tokens(issued, operator_client):
    url = f"/api/points/{issued.ba_dinh_point.pk}/roster"
    response = operator_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    invitations = Invitation.objects.filter(point=issued.ba_dinh_point)
    assert invitations.exists()
    for invitation in invitations:
        assert invitation.token not in body
        assert hashlib.sha256(invitation.token.encode()).hexdigest() in body
    data = response.json()
    assert data["invited"] == len(data["entries"]) == invitations.count()
    entry = next(e for e in data["entries"] if e["person_id"] == issued.people["HN-BD"].pk)
    assert entry["folded_name"] == entry["folded_name"].lower() and entry["present_at"] is None


def test_the_roster_answers_not_modified_until_someone_is_checked_in(issued, operator_client, scans_url):
    url = f"/api/points/{issued.ba_dinh_point.pk}/roster"
    etag = operator_client.get(url)["ETag"]
    assert operator_client.get(url, headers={"If-None-Match": etag}).status_code == 304
    _post(
        operator_client,
        scans_url,
        {"scans": [_scan(token=_token(issued.conference, issued.people["HN-BD"]))]},
    )
    changed = operator_client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["present"] == 1


def test_people_search_ignores_diacritics_and_finds_guests_of_the_units_served(
    issued, operator_client, small_tree
):
    walk_in = PersonFactory(
        unit=small_tree.grassroots_a, family_name="Nguyễn", middle_name="Văn", given_name="Đức"
    )
    PersonFactory(unit=small_tree.district_1, family_name="Nguyễn", middle_name="Văn", given_name="Đức")
    response = operator_client.get(f"/api/points/{issued.ba_dinh_point.pk}/people", {"q": "nguyen van duc"})
    assert response.status_code == 200
    found = response.json()
    assert [p["person_id"] for p in found] == [walk_in.pk]  # the one in Quận 1 is not served here
    assert found[0]["invitation_id"] is None


def test_heartbeat_headcount_and_incident_are_recorded(issued, operator_client, ba_dinh_operator):
    base = f"/api/points/{issued.ba_dinh_point.pk}"
    assert _post(operator_client, f"{base}/heartbeat", {"queued": 3}).status_code == 200
    assert PointPresence.objects.get(point=issued.ba_dinh_point).queued_scans == 3
    response = _post(
        operator_client,
        f"{base}/headcounts",
        {"present": 40, "absent": 3, "absent_reasons": {"illness_or_family": 2, "business_trip": 1}},
    )
    assert response.status_code == 201
    # Reasons are stored by code, whatever the language of the operator's page.
    assert Headcount.objects.get().absent_reasons == {"illness_or_family": 2, "business_trip": 1}
    refused = {"present": 40, "absent": 2, "absent_reasons": {"Ốm, việc gia đình": 2}}
    assert _post(operator_client, f"{base}/headcounts", refused).status_code == 422
    assert _post(operator_client, f"{base}/incidents", {"kind": "teleport"}).status_code == 422
    assert _post(operator_client, f"{base}/incidents", {"kind": "no_sound", "note": "loa"}).status_code == 201
    assert Incident.objects.get().opened_by == ba_dinh_operator


def test_a_nul_character_in_a_json_body_is_refused_before_the_database(issued, operator_client):
    """PostgreSQL cannot store it: without the check the note below was a 500 there."""
    base = f"/api/points/{issued.ba_dinh_point.pk}"
    response = _post(operator_client, f"{base}/incidents", {"kind": "no_sound", "note": "loa\u0000"})
    assert (response.status_code, response.json()["code"]) == (400, "invalid_characters")
    response = _post(operator_client, f"{base}/headcounts", {"present": 1, "absent_reasons": {"\u0000": 1}})
    assert (response.status_code, response.json()["code"]) == (400, "invalid_characters")
    assert not Incident.objects.exists() and not Headcount.objects.exists()


def test_a_personal_token_checks_in_only_its_own_person(issued, client):
    conference = issued.conference
    conference.starts_at = timezone.now() + timedelta(minutes=30)
    conference.save()
    person = issued.people["HCM"]
    token = _token(conference, person)
    scan_id = str(uuid.uuid4())
    csrf_client = Client(enforce_csrf_checks=True)  # no session, no CSRF token: the token is enough
    response = _post(csrf_client, f"/api/invitations/{token}/checkin", {"id": scan_id})
    assert response.status_code == 200
    assert response.json()["person_id"] == person.pk
    # The same tap again changes nothing; the same id used with another token is refused.
    assert _post(csrf_client, f"/api/invitations/{token}/checkin", {"id": scan_id}).json()["is_retry"]
    other = _token(conference, issued.people["HN"])
    refused = _post(csrf_client, f"/api/invitations/{other}/checkin", {"id": scan_id})
    assert (refused.status_code, refused.json()["code"]) == (400, "replayed")
    assert list(Attendance.objects.values_list("person_id", "point_id")) == [(person.pk, issued.hcm_point.pk)]
    assert _post(client, "/api/invitations/not-a-token/checkin", {"id": str(uuid.uuid4())}).status_code == 400
    assert CheckIn.objects.count() == 1


def test_a_batch_of_a_hundred_scans_costs_a_bounded_number_of_queries(
    issued, operator_client, scans_url, small_tree, django_assert_max_num_queries
):
    people = PersonFactory.create_batch(100, unit=small_tree.grassroots_a)
    scans = [_scan(method="search", person_id=person.pk) for person in people]
    with django_assert_max_num_queries(20):
        response = _post(operator_client, scans_url, {"scans": scans})
    assert response.status_code == 200
    assert Attendance.objects.filter(is_guest=True).count() == 100


def test_the_openapi_document_lists_the_check_in_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/points/{point_id}/scans",
        "/api/points/{point_id}/roster",
        "/api/points/{point_id}/people",
        "/api/points/{point_id}/heartbeat",
        "/api/points/{point_id}/headcounts",
        "/api/points/{point_id}/incidents",
        "/api/invitations/{token}/checkin",
    ):
        assert path in paths


def test_the_check_in_page_is_for_the_point_operators_only(issued, operator_client, make_user):
    page = operator_client.get(f"/truc-tiep/diem-cau/{issued.ba_dinh_point.pk}/diem-danh/")
    assert page.status_code == 200
    assert b'<script type="module" src="/static/attendance/checkin/main.js">' in page.content
    assert operator_client.get(f"/truc-tiep/diem-cau/{issued.hcm_point.pk}/diem-danh/").status_code == 404


def test_the_service_worker_keeps_every_module_of_the_page_and_the_catalogues(client):
    worker = client.get("/truc-tiep/sw.js")
    assert worker.status_code == 200
    modules = (Path(settings.SRC_DIR) / "attendance/static/attendance/checkin").glob("*.js")
    for module in modules:  # one left out, and the page would not reload offline
        assert f'"/static/attendance/checkin/{module.name}"'.encode() in worker.content
    for language in ("vi", "en"):
        assert f'"{catalogue_url(language)}"'.encode() in worker.content


def test_an_operator_added_later_reaches_the_page(issued, superuser, make_user):
    user = make_user()
    conferences.point_operator_add(actor=superuser, point=issued.hcm_point, user=user)
    client = Client()
    client.force_login(user)
    assert client.get(f"/truc-tiep/diem-cau/{issued.hcm_point.pk}/diem-danh/").status_code == 200


def test_an_operator_lands_on_a_link_to_the_check_in_page_of_their_point(
    issued, operator_client, superuser, make_user
):
    own = f"/truc-tiep/diem-cau/{issued.ba_dinh_point.pk}/diem-danh/".encode()
    other = f"/truc-tiep/diem-cau/{issued.hcm_point.pk}/diem-danh/".encode()
    home = operator_client.get("/to-chuc/")
    assert home.status_code == 200
    assert own in home.content and other not in home.content

    bystander = Client()
    bystander.force_login(make_user())
    assert b"/diem-danh/" not in bystander.get("/to-chuc/").content

    # Once the conference has ended there is nothing left to check in.
    for stage in (ConferenceStatus.LIVE, ConferenceStatus.ENDED):
        conferences.conference_transition(actor=superuser, conference=issued.conference, to_status=stage)
    assert own not in operator_client.get("/to-chuc/").content


def test_a_single_scan_costs_a_fixed_number_of_queries(
    issued, operator_client, scans_url, settings, django_assert_num_queries
):
    """A device posts each scan on its own: that request is the one to keep cheap. The user,
    what the user holds (grants and operated points, one query), the point, the stored ids, the
    invitation (with whether its person is present here), then the write and the count of who is
    present; the session too, unless it comes from the cache (REDIS_URL). On PostgreSQL the write
    and the count are one statement; on SQLite two INSERTs in a transaction (a savepoint in a
    test), then the count."""
    scan = _scan(token=_token(issued.conference, issued.people["HN-BD"]))
    session_query = settings.SESSION_ENGINE != "hoinghi.accounts.sessions"
    write_and_count = 1 if connection.vendor == "postgresql" else 5
    with django_assert_num_queries(5 + write_and_count + session_query):
        response = _post(operator_client, scans_url, {"scans": [scan]})
    assert response.json()["results"][0]["outcome"] == CheckInOutcome.PRESENT
    assert response.json()["present"] == 1


def test_the_answer_counts_who_is_present_after_the_batch(issued, operator_client, scans_url):
    """On PostgreSQL the count comes with the statement that writes the batch (who was present
    as it started, plus what it added): the same number as counting afterwards, with people made
    present, an unlisted guest, the same person twice and a retry in one batch."""
    from hoinghi.attendance.selectors import point_present_count

    first = _scan(token=_token(issued.conference, issued.people["HN-BD"]))
    assert _post(operator_client, scans_url, {"scans": [first]}).json()["present"] == 1
    others = [
        first,  # a retry: counted once
        _scan(token=_token(issued.conference, issued.people["HN-BD"])),  # already present
        _scan(token=_token(issued.conference, issued.people["HCM"])),  # from another point
        _scan(method="guest", guest_name="Trần Thị Lan"),
    ]
    body = _post(operator_client, scans_url, {"scans": others}).json()
    outcomes = [result["outcome"] for result in body["results"]]
    assert outcomes == ["present", "already_present", "other_point", "unlisted_guest"]
    assert body["present"] == 3 == point_present_count(point=issued.ba_dinh_point)


# --- Odd input: refused as input, never a 500 ------------------------------------------------------


@pytest.mark.parametrize("value", [2**63, 10**30, 0, -5])
@pytest.mark.parametrize("field", ["person_id", "invitation_id"])
def test_an_id_out_of_range_in_a_scan_is_refused_as_input(issued, operator_client, scans_url, field, value):
    """10**30 was a 500 on SQLite (OverflowError: Python int too large to convert to SQLite INTEGER)."""
    response = _post(operator_client, scans_url, {"scans": [_scan(method="search", **{field: value})]})
    assert (response.status_code, response.json()["code"]) == (422, "invalid")
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/points/{huge}/roster",
        "/api/points/{huge}/people?q=an",
        "/api/points/-1/roster",
        "/api/conferences/{huge}/live",
        "/api/invitations/{token}/chapters/{huge}/watched",
    ],
)
def test_a_huge_id_in_a_path_is_not_found(issued, operator_client, url):
    """Beyond a bigint: "value out of range for type bigint" on PostgreSQL must stay a 404."""
    token = _token(issued.conference, issued.people["HN-BD"])
    url = url.format(huge=10**30, token=token)
    if "watched" in url:
        response = _post(operator_client, url, {"intervals": [[0, 1]]})
    else:
        response = operator_client.get(url)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/points/{point}/heartbeat", '{"player": {"state": "playing", "delay": NaN}}'),
        ("/api/points/{point}/headcounts", '{"present": 1e400}'),
        (
            "/api/points/{point}/headcounts",
            '{"present": 1, "absent_reasons": {"unknown": 1000000000000000000000}}',
        ),
        ("/api/points/{point}/scans", "[1, 2]"),
        ("/api/points/abc/scans", '{"scans": []}'),
        ("/api/invitations/{token}/player", '{"state": "playing", "delay": Infinity}'),
    ],
)
def test_odd_values_are_refused_as_input(issued, operator_client, url, body):
    url = url.format(point=issued.ba_dinh_point.pk, token=_token(issued.conference, issued.people["HN-BD"]))
    response = operator_client.post(url, body, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (422, "invalid")
