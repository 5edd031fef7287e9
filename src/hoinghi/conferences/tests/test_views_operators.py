"""Naming a bridge point's operators: the single form, and the accounts made in bulk (issue 17)."""

import re

from django.urls import reverse

from hoinghi.accounts.tests.factories import UserFactory
from hoinghi.conferences import services
from hoinghi.core.permissions import GrantRole


def _operators_url(conference, point):
    return reverse("conferences:point_operators", args=[conference.pk, point.pk])


def _errors(response) -> list[str]:
    return re.findall(r'<ul class="errorlist">(.*?)</ul>', response.content.decode(), re.S)


# --- The single form: no hint of which usernames exist (item 2) ----------------------------------


def test_the_operator_form_answers_alike_for_a_missing_username_and_one_outside_the_organisers_tree(
    client, small_conference, small_tree, make_user
):
    conference, point = small_conference.conference, small_conference.ba_dinh_point
    hanoi_organiser = make_user(GrantRole.ORGANISER, small_tree.hanoi)
    make_user(GrantRole.ORGANISER, small_tree.hcm, username="hcm-organiser")
    make_user(GrantRole.SYSTEM_ADMIN, small_tree.national, username="quantri")
    make_user(username="no-grant-at-all")
    client.force_login(hanoi_organiser)

    answers = {}
    for username in ("khong-ton-tai", "hcm-organiser", "quantri", "no-grant-at-all"):
        response = client.post(_operators_url(conference, point), {"username": username})
        answers[username] = (response.status_code, [e.replace(username, "…") for e in _errors(response)])
    assert len(set(map(repr, answers.values()))) == 1, answers
    status, [error] = answers["khong-ton-tai"]
    assert status == 400 and "Không tìm thấy tài khoản" in error
    assert not point.operators.exists()


def test_the_operator_form_finds_whom_the_organiser_may_see(
    client, small_conference, small_tree, make_user, superuser
):
    conference, point = small_conference.conference, small_conference.ba_dinh_point
    hanoi_organiser = make_user(GrantRole.ORGANISER, small_tree.hanoi)
    in_subtree = make_user(GrantRole.VIEWER, small_tree.grassroots_a, username="xem-cdcs-a")
    made_by_them = UserFactory(username="tao-boi-ha-noi", created_by=hanoi_organiser)
    operating_here = make_user(username="van-hanh-diem-khac")
    other_hanoi_point = services.point_create(
        actor=superuser,
        conference=conference,
        unit=small_tree.hanoi,
        name="Điểm cầu Hà Nội",
        level=small_conference.host.level,
    )
    services.point_operator_add(actor=superuser, point=other_hanoi_point, user=operating_here)
    client.force_login(hanoi_organiser)
    for user in (in_subtree, made_by_them, operating_here):
        response = client.post(_operators_url(conference, point), {"username": user.username})
        assert response.status_code == 302, user.username
    assert set(point.operators.all()) == {in_subtree, made_by_them, operating_here}
    # Someone operating a point of the same conference that the organiser does not see stays hidden.
    hcm_operator = make_user(username="van-hanh-hcm")
    services.point_operator_add(actor=superuser, point=small_conference.hcm_point, user=hcm_operator)
    response = client.post(_operators_url(conference, point), {"username": "van-hanh-hcm"})
    assert response.status_code == 400


def test_an_inactive_account_is_not_found_either(client, small_conference, small_tree, make_user):
    conference, point = small_conference.conference, small_conference.ba_dinh_point
    make_user(GrantRole.VIEWER, small_tree.ba_dinh, username="da-khoa", is_active=False)
    client.force_login(make_user(GrantRole.ORGANISER, small_tree.hanoi))
    response = client.post(_operators_url(conference, point), {"username": "da-khoa"})
    assert response.status_code == 400 and "Không tìm thấy tài khoản" in _errors(response)[0]
