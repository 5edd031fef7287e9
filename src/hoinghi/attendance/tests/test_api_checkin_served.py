"""Who a point may check in without a QR code, through the check-in API: its invitees, the
units it serves and whoever is present there; nobody else, and no name given away."""

from django.test import Client

from hoinghi.attendance.models import Attendance, CheckIn
from hoinghi.attendance.tests.scans import _post, _scan, _token
from hoinghi.conferences import services as conferences
from hoinghi.conferences.models import Invitation
from hoinghi.orgs.tests.factories import PersonFactory


def _qr_at(client, point, token):
    return _post(client, f"/api/points/{point.pk}/scans", {"scans": [_scan(token=token)]})


def test_an_operator_cannot_mark_someone_of_another_province_present_by_id_and_learns_no_name(
    issued, operator_client, scans_url
):
    """An outside probe marked people of other provinces present through Ba Đình's point and
    read their names and points from the answers."""
    person = issued.people["HCM"]  # invited to Hồ Chí Minh's point, of a unit Ba Đình does not serve
    invitation = Invitation.objects.get(conference=issued.conference, person=person)
    scans = [
        _scan(method="search", person_id=person.pk),
        _scan(method="block", invitation_id=invitation.pk),
        _scan(method="undo", person_id=person.pk),
        _scan(method="search", person_id=10**9),  # nobody: the same answer as somebody elsewhere
    ]
    response = _post(operator_client, scans_url, {"scans": scans})
    assert response.status_code == 200
    for result in response.json()["results"]:
        assert (result["outcome"], result["reason"]) == ("rejected", "not_served_here")
        assert (result["person_id"], result["person_name"], result["invited_point"]) == (None, "", "")
    body = response.content.decode()
    assert person.full_name not in body and issued.hcm_point.name not in body
    assert response.json()["present"] == 0
    assert not Attendance.objects.exists()
    # Each is in the log with its reason; a retry is answered from it, naming nobody either.
    assert CheckIn.objects.filter(reason="not_served_here").count() == 4
    again = _post(operator_client, scans_url, {"scans": scans}).json()["results"]
    assert [(r["reason"], r["person_name"], r["is_retry"]) for r in again] == [
        ("not_served_here", "", True)
    ] * 4


def test_an_operator_cannot_undo_someone_present_at_another_point(
    issued, operator_client, scans_url, superuser
):
    person = issued.people["HCM"]
    client = Client()
    client.force_login(superuser)
    assert _qr_at(client, issued.hcm_point, _token(issued.conference, person)).status_code == 200
    response = _post(operator_client, scans_url, {"scans": [_scan(method="undo", person_id=person.pk)]})
    (result,) = response.json()["results"]
    assert (result["reason"], result["person_name"]) == ("not_served_here", "")
    assert Attendance.objects.filter(person=person, point=issued.hcm_point).exists()


def test_a_guest_of_a_unit_the_point_serves_is_checked_in_by_id(
    issued, operator_client, scans_url, small_tree
):
    walk_in = PersonFactory(unit=small_tree.grassroots_a, given_name="Khách")  # below Ba Đình
    response = _post(operator_client, scans_url, {"scans": [_scan(method="search", person_id=walk_in.pk)]})
    (result,) = response.json()["results"]
    assert (result["outcome"], result["person_name"]) == ("guest", walk_in.full_name)
    assert Attendance.objects.get(person=walk_in).is_guest


def test_a_qr_code_from_elsewhere_checks_its_invitee_in_anywhere_flagged_and_undo_takes_it_back(
    issued, operator_client, scans_url
):
    person = issued.people["HCM"]
    (result,) = _qr_at(operator_client, issued.ba_dinh_point, _token(issued.conference, person)).json()[
        "results"
    ]
    assert (result["outcome"], result["person_name"]) == ("other_point", person.full_name)
    assert result["invited_point"] == issued.hcm_point.name
    assert Attendance.objects.get(person=person, point=issued.ba_dinh_point).is_other_point
    # Present here now, so the point may undo them by id.
    undo = _post(operator_client, scans_url, {"scans": [_scan(method="undo", person_id=person.pk)]})
    assert undo.json()["results"][0]["outcome"] == "undone"
    assert not Attendance.objects.exists()


def test_someone_from_elsewhere_without_a_qr_code_is_an_unlisted_guest_counted_by_name(
    issued, operator_client, scans_url
):
    guest = _scan(method="guest", guest_name="  Trần   Thị Khách ")
    response = _post(operator_client, scans_url, {"scans": [guest]})
    (result,) = response.json()["results"]
    assert (result["outcome"], result["person_id"], result["person_name"]) == (
        "unlisted_guest",
        None,
        "Trần Thị Khách",
    )
    assert response.json()["present"] == 1
    stored = CheckIn.objects.get()
    assert (stored.person, stored.guest_name, stored.outcome) == (None, "Trần Thị Khách", "unlisted_guest")
    assert not Attendance.objects.exists()  # linked to nobody stored
    again = _post(operator_client, scans_url, {"scans": [guest]}).json()
    assert again["results"][0]["is_retry"] and again["present"] == 1
    # The same id with another name is a replay; a guest needs a name and nothing else.
    renamed = _post(operator_client, scans_url, {"scans": [{**guest, "guest_name": "Người khác"}]})
    assert renamed.json()["results"][0]["reason"] == "replayed"
    for bad in (
        _scan(method="guest"),
        _scan(method="guest", guest_name="   "),
        _scan(method="guest", guest_name="Khách", person_id=issued.people["HCM"].pk),
    ):
        refused = _post(operator_client, scans_url, {"scans": [bad]})
        assert (refused.status_code, refused.json()["code"]) == (400, "malformed")
    assert CheckIn.objects.count() == 1


def test_people_search_finds_nobody_the_point_may_not_check_in(issued, operator_client, small_tree):
    url = f"/api/points/{issued.ba_dinh_point.pk}/people"
    for person in (issued.people["HCM"], issued.people["HN"], issued.people["chair-b"]):
        query = person.full_name
        assert operator_client.get(url, {"q": query}).json() == [], query
    assert [p["person_id"] for p in operator_client.get(url, {"q": "Chi"}).json()] == [
        issued.people["HN-BD"].pk
    ]


def test_a_point_that_serves_no_unit_finds_and_checks_in_its_invitees_only(
    issued, superuser, make_user, point_levels, small_tree
):
    point = conferences.point_create(
        actor=superuser,
        conference=issued.conference,
        unit=small_tree.hanoi,
        name="Điểm cầu phụ Hà Nội",
        level=point_levels["provincial"],
        serves_own_unit=False,
    )
    operator = make_user()
    conferences.point_operator_add(actor=superuser, point=point, user=operator)
    client = Client()
    client.force_login(operator)
    walk_in = PersonFactory(unit=small_tree.hanoi, given_name="Khách")
    assert client.get(f"/api/points/{point.pk}/people", {"q": walk_in.full_name}).json() == []
    response = _post(
        client, f"/api/points/{point.pk}/scans", {"scans": [_scan(method="search", person_id=walk_in.pk)]}
    )
    assert response.json()["results"][0]["reason"] == "not_served_here"
