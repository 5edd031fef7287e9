"""Bridge points and readiness through the real URLs: who sees which point, who may change it,
who may tick its checklist, and that the lists cost the same number of queries for 3 points or 33."""

import pytest
from django.urls import reverse

from hoinghi.conferences import services
from hoinghi.conferences.models import BridgePoint, BridgePointUnit
from hoinghi.core.permissions import GrantRole
from hoinghi.orgs.tests.factories import UnitFactory


@pytest.fixture
def people(small_conference, small_tree, make_user, superuser):
    operator = make_user(username="vanhanh-badinh")
    services.point_operator_add(actor=superuser, point=small_conference.ba_dinh_point, user=operator)
    return {
        "national": make_user(GrantRole.ORGANISER, small_tree.national),
        "hcm": make_user(GrantRole.ORGANISER, small_tree.hcm),
        "operator": operator,
        "viewer": make_user(GrantRole.VIEWER, small_tree.national),
        "hcm viewer": make_user(GrantRole.VIEWER, small_tree.hcm),
        "nobody": make_user(),
    }


def _url(small_conference, name, point=None):
    conference = small_conference.conference
    return reverse(f"conferences:{name}", args=[conference.pk] + ([point.pk] if point else []))


def _names(response):
    return [row.point.name for row in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("who", "names"),
    [
        ("national", ["Điểm cầu Trung ương", "Điểm cầu Hồ Chí Minh", "Điểm cầu Ba Đình"]),
        ("hcm", ["Điểm cầu Hồ Chí Minh"]),
        ("operator", ["Điểm cầu Ba Đình"]),
        ("hcm viewer", ["Điểm cầu Hồ Chí Minh"]),
    ],
)
def test_points_list_shows_only_the_points_of_the_actors_scope(client, small_conference, people, who, names):
    client.force_login(people[who])
    response = client.get(_url(small_conference, "points"))
    assert response.status_code == 200
    assert _names(response) == names
    page = response.content.decode()
    for other in {"Điểm cầu Trung ương", "Điểm cầu Hồ Chí Minh", "Điểm cầu Ba Đình"} - set(names):
        assert other not in page


def test_user_without_grant_gets_404_on_every_point_page(client, small_conference, people):
    client.force_login(people["nobody"])
    assert client.get(_url(small_conference, "points")).status_code == 404
    assert client.get(_url(small_conference, "readiness")).status_code == 404
    assert client.get(_url(small_conference, "point_detail", small_conference.host)).status_code == 404


def test_provincial_organiser_cannot_open_or_change_the_ba_dinh_point(client, small_conference, people):
    client.force_login(people["hcm"])
    ba_dinh = small_conference.ba_dinh_point
    assert client.get(_url(small_conference, "point_detail", ba_dinh)).status_code == 404
    assert client.get(_url(small_conference, "point_edit", ba_dinh)).status_code == 404
    assert (
        client.post(_url(small_conference, "point_edit", ba_dinh), {"name": "X", "level": 1}).status_code
        == 404
    )
    assert client.post(_url(small_conference, "point_delete", ba_dinh)).status_code == 404
    assert (
        client.post(
            _url(small_conference, "point_readiness_mark", ba_dinh), {"item": "link_tested_at", "done": "1"}
        ).status_code
        == 404
    )
    ba_dinh.refresh_from_db()
    assert ba_dinh.name == "Điểm cầu Ba Đình" and ba_dinh.link_tested_at is None
    # Their own point is theirs to change.
    hcm = small_conference.hcm_point
    response = client.get(_url(small_conference, "point_detail", hcm))
    assert response.status_code == 200 and response.context["can_change"]


def test_operator_sees_only_their_point_and_ticks_its_checklist_but_cannot_edit_it(
    client, small_conference, people
):
    client.force_login(people["operator"])
    ba_dinh = small_conference.ba_dinh_point
    assert client.get(_url(small_conference, "point_detail", small_conference.host)).status_code == 404
    response = client.get(_url(small_conference, "point_detail", ba_dinh))
    assert response.status_code == 200
    assert response.context["can_tick"] and not response.context["can_change"]
    page = response.content.decode()
    assert "Đánh dấu xong" in page and "Xóa điểm cầu" not in page
    response = client.post(
        _url(small_conference, "point_readiness_mark", ba_dinh), {"item": "equipment_ready_at", "done": "1"}
    )
    assert response.status_code == 302
    ba_dinh.refresh_from_db()
    assert ba_dinh.equipment_ready_at is not None
    assert client.get(_url(small_conference, "point_edit", ba_dinh)).status_code == 403
    assert client.post(_url(small_conference, "point_edit", ba_dinh), {"name": "X"}).status_code == 403
    assert client.post(_url(small_conference, "point_delete", ba_dinh)).status_code == 403
    assert (
        client.post(_url(small_conference, "point_operators", ba_dinh), {"username": "x"}).status_code == 403
    )
    assert BridgePoint.objects.filter(pk=ba_dinh.pk, name="Điểm cầu Ba Đình").exists()


def test_viewer_sees_points_but_gets_403_on_changes(client, small_conference, people):
    client.force_login(people["viewer"])
    host = small_conference.host
    response = client.get(_url(small_conference, "point_detail", host))
    assert response.status_code == 200 and not response.context["can_tick"]
    assert "Đánh dấu xong" not in response.content.decode()
    assert (
        client.post(
            _url(small_conference, "point_readiness_mark", host), {"item": "link_tested_at", "done": "1"}
        ).status_code
        == 403
    )
    assert client.post(_url(small_conference, "point_delete", host)).status_code == 403
    assert client.post(_url(small_conference, "point_units", host), {"unit": "HN"}).status_code == 403
    assert client.get(_url(small_conference, "point_create")).status_code == 403


def test_organiser_creates_a_point_choosing_the_unit_by_code_or_name(
    client, small_conference, people, point_levels
):
    client.force_login(people["hcm"])
    response = client.post(
        _url(small_conference, "point_create"),
        {
            "name": "Điểm cầu Quận 1",
            "level": point_levels["district"].pk,
            "unit": "hcm-q1",
            "capacity": "120",
        },
    )
    point = BridgePoint.objects.get(name="Điểm cầu Quận 1")
    assert response["Location"] == _url(small_conference, "point_detail", point)
    assert point.unit.code == "HCM-Q1" and point.capacity == 120
    assert BridgePointUnit.objects.filter(point=point, unit=point.unit).exists()
    # A name that is not theirs is refused beside the field.
    response = client.post(
        _url(small_conference, "point_create"),
        {"name": "Ba Đình 2", "level": point_levels["district"].pk, "unit": "HN-BD"},
    )
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    # Only one host point per conference: the service's reason is shown at the top.
    response = client.post(
        _url(small_conference, "point_create"),
        {"name": "Chính 2", "level": point_levels["central"].pk, "unit": "HCM", "is_host": "on"},
    )
    assert "Hội nghị đã có điểm cầu chính" in response.content.decode()


def test_what_the_model_refuses_is_shown_on_its_field(client, small_conference, people, point_levels):
    """The form takes any whole number; the model's column does not: its error comes back from the
    service's full_clean() and lands on the field, not as one sentence at the top."""
    client.force_login(people["hcm"])
    response = client.post(
        _url(small_conference, "point_create"),
        {"name": "Điểm cầu lớn", "level": point_levels["district"].pk, "unit": "HCM-Q1", "capacity": 10**19},
    )
    form = response.context["form"]
    assert [error.code for error in form.errors.as_data()["capacity"]] == ["max_value"]
    assert not form.non_field_errors()
    assert not BridgePoint.objects.filter(name="Điểm cầu lớn").exists()


def test_unit_suggestions_are_limited_to_units_the_actor_organises(client, small_conference, people):
    client.force_login(people["hcm"])
    response = client.get(_url(small_conference, "unit_suggest"), {"unit": "lien doan"})
    page = response.content.decode()
    assert "HCM-Q1" in page and "HN-BD" not in page


def test_units_served_and_operators_are_added_and_removed(client, small_conference, people, small_tree):
    client.force_login(people["national"])
    point = small_conference.host
    client.post(
        _url(small_conference, "point_units", point), {"unit": "HN — Liên đoàn Lao động Thành phố Hà Nội"}
    )
    assert set(BridgePointUnit.objects.filter(point=point).values_list("unit__code", flat=True)) == {
        "TLD",
        "HN",
    }
    client.post(_url(small_conference, "point_units", point), {"remove": small_tree.hanoi.pk})
    assert set(BridgePointUnit.objects.filter(point=point).values_list("unit__code", flat=True)) == {"TLD"}

    response = client.post(_url(small_conference, "point_operators", point), {"username": "khong-co"})
    assert response.status_code == 400 and "Không tìm thấy tài khoản" in response.content.decode()
    client.post(_url(small_conference, "point_operators", point), {"username": "vanhanh-badinh"})
    assert list(point.operators.values_list("username", flat=True)) == ["vanhanh-badinh"]
    client.post(_url(small_conference, "point_operators", point), {"remove": people["operator"].pk})
    assert not point.operators.exists()


def test_deleting_a_point_with_invitees_shows_the_reason(client, small_conference, people, superuser):
    services.conference_issue(actor=superuser, conference=small_conference.conference)
    client.force_login(people["national"])
    response = client.post(_url(small_conference, "point_delete", small_conference.hcm_point))
    assert (response.status_code, response.context["code"]) == (400, "point_has_invitees")
    assert BridgePoint.objects.filter(pk=small_conference.hcm_point.pk).exists()
    response = client.get(_url(small_conference, "point_detail", small_conference.hcm_point))
    assert [i.person.given_name for i in response.context["roster"]] == ["Dũng", "Hà"]
    assert "?point=" in response.content.decode()


def test_point_edit_saves_the_changes(client, small_conference, people):
    client.force_login(people["hcm"])
    point = small_conference.hcm_point
    form = client.get(_url(small_conference, "point_edit", point)).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(level=point.level_id, contact_phone="0909000111", address="Số 14 Cách Mạng Tháng Tám")
    assert client.post(_url(small_conference, "point_edit", point), data).status_code == 302
    point.refresh_from_db()
    assert (point.contact_phone, point.address) == ("0909000111", "Số 14 Cách Mạng Tháng Tám")


def test_points_filter_by_level_and_search_without_accents(client, small_conference, people, point_levels):
    client.force_login(people["national"])
    response = client.get(_url(small_conference, "points"), {"level": point_levels["district"].pk})
    assert _names(response) == ["Điểm cầu Ba Đình"]
    response = client.get(
        _url(small_conference, "points"), {"q": "ho chi minh"}, headers={"HX-Request": "true"}
    )
    assert _names(response) == ["Điểm cầu Hồ Chí Minh"]
    assert "<html" not in response.content.decode()


def _many_points(small_conference, superuser, small_tree, point_levels, n=30):
    for index in range(n):
        unit = UnitFactory(
            code=f"HN-X{index}",
            name=f"Quận thử {index}",
            kind=small_tree.ba_dinh.kind,
            parent=small_tree.hanoi,
        )
        point = services.point_create(
            actor=superuser,
            conference=small_conference.conference,
            unit=unit,
            name=f"Điểm cầu thử {index:02d}",
            level=point_levels["district"],
            contact_phone="0900",
        )
        services.point_operator_add(actor=superuser, point=point, user=superuser)


def test_points_list_and_readiness_cost_the_same_queries_for_many_points(
    client, small_conference, people, superuser, small_tree, point_levels, django_assert_max_num_queries
):
    client.force_login(people["national"])
    with django_assert_max_num_queries(16):
        client.get(_url(small_conference, "points"))
    with django_assert_max_num_queries(18):
        client.get(_url(small_conference, "readiness"))
    _many_points(small_conference, superuser, small_tree, point_levels)
    with django_assert_max_num_queries(16):
        response = client.get(_url(small_conference, "points"))
    assert response.context["page"].paginator.count == 33
    with django_assert_max_num_queries(18):
        response = client.get(_url(small_conference, "readiness"))
    assert response.context["summary"].total == 33


def test_readiness_page_counts_by_level_and_lists_what_is_missing(
    client, small_conference, people, superuser, point_levels
):
    point = small_conference.hcm_point
    services.point_operator_add(actor=superuser, point=point, user=people["operator"])
    services.point_update(actor=superuser, point=point, contact_phone="0909")
    for item in ("operator_confirmed_at", "equipment_ready_at", "link_tested_at"):
        services.point_readiness_mark(actor=superuser, point=point, item=item, done=True)
    services.rule_save(
        actor=superuser, conference=small_conference.conference, name="Không ai", min_member_count=10**9
    )
    client.force_login(people["national"])
    response = client.get(_url(small_conference, "readiness"))
    summary = response.context["summary"]
    assert (summary.readiness.ready_count, summary.total) == (1, 3)
    assert [(level.name, level.ready, level.total) for level in summary.by_level] == [
        ("Trung ương", 0, 1),
        ("Tỉnh", 1, 1),
        ("Huyện", 0, 1),
    ]
    assert [row.point.name for row in summary.not_ready] == ["Điểm cầu Trung ương", "Điểm cầu Ba Đình"]
    page = response.content.decode()
    assert _url(small_conference, "point_detail", small_conference.host) in page
    assert "Không ai" in page  # the rule matching nobody, linked to where it is fixed
    # A provincial organiser sees their own point only, and no conference-level rule problems.
    client.force_login(people["hcm"])
    summary = client.get(_url(small_conference, "readiness")).context["summary"]
    assert (summary.readiness.ready_count, summary.total, summary.rules_matching_nobody) == (1, 1, [])
