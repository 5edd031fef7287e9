"""The JSON API of values and indicators, through its real URLs: who may read and change what."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from hoinghi.core.permissions import GrantRole
from hoinghi.resolutions import services
from hoinghi.resolutions.models import DataValue


def values_url(reporting, unit):
    return (
        f"/api/resolutions/datasets/{reporting.dataset.pk}/units/{unit.pk}/periods/{reporting.year.pk}/values"
    )


def indicators_url(reporting, unit):
    return (
        f"/api/resolutions/{reporting.resolution.pk}/units/{unit.pk}/indicators?period_id={reporting.year.pk}"
    )


def put(client, url, body):
    return client.put(url, data=json.dumps(body), content_type="application/json")


# Who, granted where, on the Ba Đình grassroots union's values: read, write.
CASES = [
    ("data_reporter", "grassroots_a", 200, 200),  # the unit itself
    ("data_reporter", "ba_dinh", 200, 200),  # the level above enters for it too
    ("viewer", "hanoi", 200, 403),  # sees the subtree, may not change it
    ("data_reporter", "hcm", 404, 404),  # another province: as if it did not exist
    ("data_reporter", "district_1", 404, 404),
]


@pytest.mark.parametrize(("role", "where", "read", "write"), CASES)
def test_values_are_read_and_written_only_within_the_callers_subtree(
    small_tree, reporting, client, make_user, role, where, read, write
):
    client.force_login(make_user(role, getattr(small_tree, where)))
    url = values_url(reporting, small_tree.grassroots_a)
    assert client.get(url).status_code == read
    response = put(client, url, {"values": {"workers": "1.300", "admitted": "40"}})
    assert response.status_code == write
    assert DataValue.objects.exists() == (write == 200)


def test_values_round_trip_with_the_version_and_a_stale_write_is_refused(
    small_tree, reporting, client, reporter
):
    client.force_login(reporter(small_tree.grassroots_a))
    url = values_url(reporting, small_tree.grassroots_a)
    first = client.get(url).json()
    assert first["state"] == "draft" and first["is_open"]
    put(client, url, {"values": {"admitted": "2"}})
    read = client.get(url).json()["version"]
    assert read
    saved = put(
        client, url, {"values": {"workers": "1.300"}, "comments": {"workers": "Quý 4"}, "version": read}
    )
    assert saved.status_code == 200
    row = next(value for value in saved.json()["values"] if value["key"] == "workers")
    assert (row["value"], row["comment"]) == ("1300", "Quý 4")
    stale = put(client, url, {"values": {"workers": "5"}, "version": read})  # read before the save above
    assert stale.status_code == 400 and stale.json()["code"] == "stale"


def test_a_bad_value_and_a_broken_rule_name_their_fields(small_tree, reporting, client, reporter):
    client.force_login(reporter(small_tree.grassroots_a))
    url = values_url(reporting, small_tree.grassroots_a)
    bad = put(client, url, {"values": {"workers": "nhiều"}})
    assert bad.status_code == 400 and bad.json()["code"] == "bad_value"
    assert "workers" in bad.json()["params"]["fields"]
    broken = put(client, url, {"values": {"workers": "10", "admitted": "11"}})
    assert broken.json()["code"] == "rule_failed" and "admitted" in broken.json()["params"]["fields"]
    assert not DataValue.objects.exists()


def test_submitting_locks_and_a_closed_window_is_refused_with_its_code(
    small_tree, reporting, client, reporter, superuser
):
    client.force_login(reporter(small_tree.grassroots_a))
    url = values_url(reporting, small_tree.grassroots_a)
    put(client, url, {"values": {"workers": "10"}})
    submitted = client.post(url.replace("/values", "/submit"))
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    assert not submitted.json()["is_open"]
    assert put(client, url, {"values": {"workers": "11"}}).json()["code"] == "locked"
    today = timezone.localdate()
    services.dataset_period_set(
        actor=superuser,
        dataset=reporting.dataset,
        period=reporting.year,
        opens_on=today - timedelta(days=10),
        closes_on=today - timedelta(days=1),
    )
    other = values_url(reporting, small_tree.ba_dinh)
    client.force_login(reporter(small_tree.ba_dinh))
    assert client.get(other).json()["refusal"]
    assert put(client, other, {"values": {"workers": "11"}}).json()["code"] == "closed"


def test_indicators_of_a_unit_are_its_subtrees_and_other_provinces_are_not_found(
    small_tree, reporting, client, make_user, enter
):
    enter(small_tree.grassroots_a, {"admitted": 3, "workers": 10})
    enter(small_tree.grassroots_b, {"admitted": 5, "workers": 10})
    client.force_login(make_user(GrantRole.VIEWER, small_tree.hanoi))
    response = client.get(indicators_url(reporting, small_tree.hanoi))
    assert response.status_code == 200
    new_members = next(i for i in response.json()["indicators"] if i["code"] == "new-members")
    assert new_members["value"] == 3  # Hà Nội's only, not Hồ Chí Minh's
    assert new_members["projection"]["until"] == "2023-12-31"
    assert client.get(indicators_url(reporting, small_tree.hcm)).status_code == 404
    assert client.get(indicators_url(reporting, small_tree.national)).status_code == 404
    client.logout()
    assert client.get(indicators_url(reporting, small_tree.hanoi)).status_code == 401
