import pytest
from django.urls import reverse

from hoinghi.core.permissions import GrantRole
from hoinghi.orgs.models import Unit
from hoinghi.orgs.tests.factories import PersonFactory


@pytest.fixture
def hanoi_organiser(small_tree, make_user, client):
    user = make_user(GrantRole.ORGANISER, small_tree.hanoi)
    client.force_login(user)
    return user


def test_pages_need_a_login(client, small_tree):
    response = client.get(reverse("orgs:tree"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_tree_shows_only_the_granted_roots(client, small_tree, hanoi_organiser):
    response = client.get(reverse("orgs:tree"))
    assert response.status_code == 200
    assert [unit.code for unit in response.context["roots"]] == ["HN"]
    assert "Hồ Chí Minh" not in response.content.decode()


def test_children_load_on_demand_and_stay_in_scope(client, small_tree, hanoi_organiser):
    response = client.get(reverse("orgs:unit_children", args=[small_tree.hanoi.pk]))
    assert response.status_code == 200
    assert "Liên đoàn Lao động quận Ba Đình" in response.content.decode()
    assert client.get(reverse("orgs:unit_children", args=[small_tree.national.pk])).status_code == 404
    assert client.get(reverse("orgs:unit_children", args=[small_tree.hcm.pk])).status_code == 404


def test_unit_page_outside_the_grant_is_not_found(client, small_tree, hanoi_organiser):
    assert client.get(reverse("orgs:unit_detail", args=[small_tree.ba_dinh.pk])).status_code == 200
    assert client.get(reverse("orgs:unit_detail", args=[small_tree.district_1.pk])).status_code == 404
    assert client.get(reverse("orgs:unit_detail", args=[999999])).status_code == 404


def test_unit_page_counts_the_subtree(client, small_tree, hanoi_organiser, django_assert_max_num_queries):
    for _ in range(3):
        PersonFactory(unit=small_tree.grassroots_a)
    PersonFactory(unit=small_tree.hanoi)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("orgs:unit_detail", args=[small_tree.hanoi.pk]))
    counts = response.context["counts"]
    assert (counts.children, counts.descendants, counts.people, counts.people_in_subtree) == (1, 2, 1, 4)


def test_unit_search_ignores_diacritics(client, small_tree, hanoi_organiser):
    response = client.get(reverse("orgs:unit_search"), {"q": "ba dinh"})
    assert [unit.code for unit in response.context["results"]] == ["HN-BD", "HN-BD-001"]
    response = client.get(reverse("orgs:unit_search"), {"q": "quan 1"})
    assert list(response.context["results"]) == []


def test_people_list_filters_by_search_and_stays_in_scope(client, small_tree, hanoi_organiser):
    PersonFactory(unit=small_tree.grassroots_a, family_name="Nguyễn", middle_name="Văn", given_name="An")
    PersonFactory(unit=small_tree.grassroots_b, family_name="Nguyễn", middle_name="Văn", given_name="An")
    response = client.get(reverse("orgs:person_list"), {"q": "nguyen van an"})
    people = list(response.context["page"].object_list)
    assert [person.unit.code for person in people] == ["HN-BD-001"]
    partial = client.get(reverse("orgs:person_list"), {"q": "nguyen"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()


def test_people_list_of_a_unit_outside_scope_is_not_found(client, small_tree, hanoi_organiser):
    assert client.get(reverse("orgs:person_list"), {"unit": small_tree.hcm.pk}).status_code == 404


def test_deleting_a_unit_with_sub_units_shows_the_reason(client, small_tree, hanoi_organiser):
    response = client.post(reverse("orgs:unit_delete", args=[small_tree.ba_dinh.pk]), follow=True)
    assert Unit.objects.filter(pk=small_tree.ba_dinh.pk).exists()
    assert "đơn vị trực thuộc" in response.content.decode()


def test_a_viewer_cannot_delete(client, small_tree, make_user):
    client.force_login(make_user(GrantRole.VIEWER, small_tree.hanoi))
    client.post(reverse("orgs:unit_delete", args=[small_tree.grassroots_a.pk]))
    assert Unit.objects.filter(pk=small_tree.grassroots_a.pk).exists()
