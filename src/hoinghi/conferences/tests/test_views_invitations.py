"""The invitation pages through their real URLs: rules, includes and excludes, preview and issuing,
the invitation list, totals; and who may see and do what on them."""

import pytest
from django.urls import reverse

from hoinghi.conferences import services
from hoinghi.conferences.models import (
    ConferenceStatus,
    EligibilityRule,
    Invitation,
    InvitationOverride,
    InvitationStatus,
    OverrideKind,
)
from hoinghi.core.permissions import GrantRole
from hoinghi.orgs.models import person_fill_derived
from hoinghi.orgs.tests.factories import PersonFactory, PositionRoleFactory


def url(name, conference, *args):
    return reverse(f"conferences:{name}", args=[conference.pk, *args])


@pytest.fixture
def organiser(client, small_tree, make_user):
    user = make_user(GrantRole.ORGANISER, small_tree.national)
    client.force_login(user)
    return user


@pytest.fixture
def hcm_organiser(client, small_tree, make_user):
    user = make_user(GrantRole.ORGANISER, small_tree.hcm)
    client.force_login(user)
    return user


@pytest.fixture
def issued(small_conference, superuser):
    services.conference_issue(actor=superuser, conference=small_conference.conference)
    small_conference.conference.refresh_from_db()
    return small_conference


# --- Rules ---------------------------------------------------------------------------------------


def test_rules_show_how_many_each_matches_and_flag_one_matching_nobody(
    client, organiser, small_conference, superuser
):
    conference = small_conference.conference
    nobody = services.rule_save(
        actor=superuser, conference=conference, name="Không ai", roles=[PositionRoleFactory()]
    )
    response = client.get(url("rules", conference))
    assert response.status_code == 200
    matches = {row.rule.name: row.matches for row in response.context["rows"]}
    assert matches == {"Ủy viên BCH": 5, "Chủ tịch CĐCS lớn": 1, nobody.name: 0}
    assert "Không khớp ai" in response.content.decode()


def test_an_organiser_builds_a_rule_from_choices(client, organiser, small_conference, small_tree):
    conference = small_conference.conference
    role = small_conference.committee_rule.roles.get()
    level = small_tree.hcm.kind.level
    response = client.post(
        url("rule_create", conference),
        {
            "name": "BCH cấp tỉnh phía Nam",
            "roles": [role.pk],
            "levels": [level.pk],
            "full_time": "any",
            "min_member_count": "",
            "within": "hcm",
        },
    )
    assert response.status_code == 302
    rule = EligibilityRule.objects.get(conference=conference, name="BCH cấp tỉnh phía Nam")
    assert list(rule.roles.all()) == [role] and list(rule.levels.all()) == [level]
    assert rule.within == small_tree.hcm
    rows = client.get(url("rules", conference)).context["rows"]
    assert {row.rule.name: row.matches for row in rows}["BCH cấp tỉnh phía Nam"] == 1


def test_a_rule_without_conditions_is_refused_on_the_form(client, organiser, small_conference):
    conference = small_conference.conference
    response = client.post(url("rule_create", conference), {"name": "Tất cả", "full_time": "any"})
    assert response.status_code == 200
    assert "ít nhất một điều kiện" in response.content.decode()
    assert not conference.rules.filter(name="Tất cả").exists()


def test_an_unknown_unit_code_is_a_field_error(client, organiser, small_conference):
    response = client.post(
        url("rule_create", small_conference.conference),
        {"name": "X", "full_time": "yes", "within": "KHONG-CO"},
    )
    assert response.context["form"].errors["within"]


def test_editing_and_deleting_a_rule(client, organiser, small_conference):
    conference, rule = small_conference.conference, small_conference.chair_rule
    page = client.get(url("rule_edit", conference, rule.pk))
    assert page.context["form"].initial["min_member_count"] == 2000
    client.post(
        url("rule_edit", conference, rule.pk),
        {
            "name": "Chủ tịch CĐCS",
            "roles": [rule.roles.get().pk],
            "full_time": "any",
            "min_member_count": "100",
        },
    )
    rule.refresh_from_db()
    assert (rule.name, rule.min_member_count) == ("Chủ tịch CĐCS", 100)
    client.post(url("rule_delete", conference, rule.pk))
    assert not EligibilityRule.objects.filter(pk=rule.pk).exists()


def test_rules_cannot_change_once_the_conference_is_live(client, organiser, issued, superuser):
    conference = issued.conference
    services.conference_transition(actor=superuser, conference=conference, to_status=ConferenceStatus.LIVE)
    response = client.post(url("rule_delete", conference, issued.chair_rule.pk), follow=True)
    assert EligibilityRule.objects.filter(pk=issued.chair_rule.pk).exists()
    assert "Đang diễn ra" in response.content.decode()


def test_a_provincial_organiser_sees_the_rules_but_cannot_change_them(
    client, hcm_organiser, small_conference
):
    conference, rule = small_conference.conference, small_conference.chair_rule
    assert client.get(url("rules", conference)).status_code == 200
    assert client.get(url("rule_create", conference)).status_code in (403, 404)
    assert client.post(url("rule_edit", conference, rule.pk), {"name": "x"}).status_code in (403, 404)
    assert client.post(url("rule_delete", conference, rule.pk)).status_code in (403, 404)
    assert EligibilityRule.objects.filter(pk=rule.pk, name="Chủ tịch CĐCS lớn").exists()


# --- Includes and excludes -----------------------------------------------------------------------


def test_a_provincial_organiser_includes_and_excludes_only_people_of_their_subtree(
    client, hcm_organiser, small_conference, small_tree
):
    conference = small_conference.conference
    newcomer = PersonFactory(unit=small_tree.grassroots_b, given_name="Tâm")
    found = client.get(url("overrides", conference), {"q": "nguyen van tam"}).context["found"]
    assert [person.pk for person in found] == [newcomer.pk]

    response = client.post(
        url("overrides", conference), {"person": newcomer.pk, "kind": "include", "reason": "Khách mời"}
    )
    assert response.status_code == 302
    override = InvitationOverride.objects.get(conference=conference, person=newcomer)
    assert (override.kind, override.reason) == (OverrideKind.INCLUDE, "Khách mời")

    hanoi_person = small_conference.people["HN"]
    response = client.post(url("overrides", conference), {"person": hanoi_person.pk, "kind": "exclude"})
    assert response.status_code == 404
    assert not InvitationOverride.objects.filter(person=hanoi_person).exists()

    client.post(url("overrides", conference), {"person": newcomer.pk, "action": "remove"})
    assert not InvitationOverride.objects.filter(person=newcomer).exists()


def test_a_viewer_sees_overrides_but_cannot_post(client, small_conference, small_tree, make_user):
    client.force_login(make_user(GrantRole.VIEWER, small_tree.hcm))
    conference = small_conference.conference
    assert client.get(url("overrides", conference)).status_code == 200
    person = small_conference.people["HCM"]
    assert (
        client.post(url("overrides", conference), {"person": person.pk, "kind": "exclude"}).status_code == 403
    )
    assert not InvitationOverride.objects.exists()


# --- Preview and issuing -------------------------------------------------------------------------


def test_preview_counts_by_category_level_province_and_point_level(client, organiser, small_conference):
    response = client.get(url("preview", small_conference.conference))
    assert response.status_code == 200
    context = response.context
    assert context["preview"].total == 6
    assert {bar["label"]: bar["count"] for bar in context["by_rule"]} == {
        "Ủy viên BCH": 5,
        "Chủ tịch CĐCS lớn": 1,
    }
    assert {bar["label"]: bar["count"] for bar in context["by_province"]} == {
        "Hà Nội": 3,
        "Hồ Chí Minh": 2,
        "Trung ương, ngành": 1,
    }
    assert max(bar["percent"] for bar in context["by_point_level"]) == 100
    assert "Phát hành giấy mời" in response.content.decode()


def test_a_provincial_organisers_preview_counts_only_their_subtree(client, hcm_organiser, small_conference):
    response = client.get(url("preview", small_conference.conference))
    assert response.context["preview"].total == 2
    assert "Phát hành giấy mời" not in response.content.decode()


def test_preview_lists_people_without_a_point_with_a_link_to_assign_one(
    client, organiser, small_conference, superuser
):
    conference = small_conference.conference
    services.point_unserve_unit(actor=superuser, point=small_conference.host, unit=small_conference.host.unit)
    response = client.get(url("preview", conference))
    missing = response.context["preview"].without_point
    assert {person.given_name for person in missing} == {"An", "Bình"}
    national_person = small_conference.people["TLD"]
    link = url("person_point_by_person", conference, national_person.pk)
    assert link in response.content.decode()

    client.post(link, {"point": small_conference.host.pk, "next": url("preview", conference)})
    missing = client.get(url("preview", conference)).context["preview"].without_point
    assert {person.given_name for person in missing} == {"Bình"}


def test_issuing_from_the_preview_writes_the_invitations(client, organiser, small_conference):
    conference = small_conference.conference
    response = client.post(url("issue", conference), follow=True)
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.INVITATIONS_ISSUED
    assert Invitation.objects.filter(conference=conference, status=InvitationStatus.ACTIVE).count() == 6
    assert "Đã phát hành giấy mời" in response.content.decode()

    again = client.post(url("issue", conference), follow=True)
    assert "Chỉ phát hành giấy mời khi hội nghị còn là bản nháp" in again.content.decode()


def test_after_issuing_the_preview_shows_the_difference_and_reapplies(client, organiser, issued, small_tree):
    conference = issued.conference
    small_tree.grassroots_b.member_count = 2100
    small_tree.grassroots_b.save()
    response = client.get(url("preview", conference))
    assert (response.context["preview"].coming_in, response.context["preview"].dropping_out) == (1, 0)
    assert "Áp dụng lại" in response.content.decode()

    response = client.post(url("reapply", conference), follow=True)
    assert "thêm 1" in response.content.decode()
    minh = issued.people["chair-b"]
    assert Invitation.objects.get(conference=conference, person=minh).status == InvitationStatus.ACTIVE


def test_a_viewer_cannot_issue_or_reapply(client, small_conference, small_tree, make_user):
    client.force_login(make_user(GrantRole.VIEWER, small_tree.national))
    conference = small_conference.conference
    assert client.get(url("preview", conference)).status_code == 200
    assert client.post(url("issue", conference)).status_code == 403
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.DRAFT


# --- The invitation list -------------------------------------------------------------------------


def test_the_list_is_in_vietnamese_order_with_categories_and_few_queries(
    client, organiser, issued, django_assert_max_num_queries
):
    conference = issued.conference
    with django_assert_max_num_queries(16):
        response = client.get(url("invitations", conference))
    assert response.status_code == 200
    names = [invitation.person.given_name for invitation in response.context["page"]]
    assert names == ["An", "Bình", "Chi", "Dũng", "Hà", "Lan"]
    html = response.content.decode()
    assert "Ủy viên BCH" in html and "Chủ tịch CĐCS lớn" in html


def test_the_list_filters_by_point_category_province_search_and_status(client, organiser, issued, small_tree):
    conference = issued.conference

    def names(**params):
        response = client.get(url("invitations", conference), params)
        assert response.status_code == 200
        return {invitation.person.given_name for invitation in response.context["page"]}

    assert names(point=issued.ba_dinh_point.pk) == {"Chi", "Lan"}
    assert names(rule=issued.chair_rule.pk) == {"Lan"}
    assert names(province=small_tree.hcm.province_id) == {"Dũng", "Hà"}
    renamed = issued.people["HCM"]
    renamed.family_name, renamed.middle_name = "Trần", "Thị"
    person_fill_derived(renamed).save()
    assert names(q="nguyen van") == {"An", "Bình", "Chi", "Hà", "Lan"}
    assert names(q="tran dung") == {"Dũng"}
    assert names(status="withdrawn") == set()
    partial = client.get(url("invitations", conference), {"q": "nguyen"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()


def test_a_provincial_organiser_lists_only_their_invitees(client, hcm_organiser, issued):
    response = client.get(url("invitations", issued.conference))
    assert {i.person.given_name for i in response.context["page"]} == {"Dũng", "Hà"}
    assert (
        client.get(url("invitations", issued.conference), {"point": issued.ba_dinh_point.pk}).status_code
        == 404
    )


def test_revoking_a_token_gives_a_new_one(client, organiser, issued):
    invitation = Invitation.objects.get(conference=issued.conference, person=issued.people["HCM"])
    old = invitation.token
    response = client.post(url("token_revoke", issued.conference, invitation.pk))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.token != old and invitation.token_revoked_at is not None


def test_moving_an_invitee_to_another_point(client, hcm_organiser, issued, small_tree):
    conference = issued.conference
    invitation = Invitation.objects.get(conference=conference, person=issued.people["HCM-Q1"])
    page = client.get(url("person_point", conference, invitation.pk))
    assert [p.name for p in page.context["points"]] == ["Điểm cầu Hồ Chí Minh"]
    # A point outside their subtree is not found.
    assert (
        client.post(url("person_point", conference, invitation.pk), {"point": issued.host.pk}).status_code
        == 404
    )
    hanoi = Invitation.objects.get(conference=conference, person=issued.people["HN"])
    assert client.get(url("person_point", conference, hanoi.pk)).status_code == 404


def test_a_viewer_cannot_revoke_or_move(client, issued, small_tree, make_user):
    client.force_login(make_user(GrantRole.VIEWER, small_tree.hcm))
    invitation = Invitation.objects.get(conference=issued.conference, person=issued.people["HCM"])
    token = invitation.token
    assert client.get(url("invitations", issued.conference)).status_code == 200
    assert client.post(url("token_revoke", issued.conference, invitation.pk)).status_code == 403
    assert client.get(url("person_point", issued.conference, invitation.pk)).status_code == 403
    invitation.refresh_from_db()
    assert invitation.token == token


# --- Totals and access ---------------------------------------------------------------------------


def test_totals_count_points_by_level_and_invitees_by_category_and_province(client, hcm_organiser, issued):
    response = client.get(url("totals", issued.conference))
    assert response.status_code == 200
    totals = response.context["totals"]
    assert totals.invitees == 2
    assert totals.points_by_level == [("Tỉnh", 1)]
    assert totals.invitees_by_province == [("Hồ Chí Minh", 2)]


@pytest.mark.parametrize("name", ["rules", "overrides", "preview", "invitations", "totals", "outbox"])
def test_someone_without_a_grant_finds_nothing(client, small_conference, make_user, name):
    client.force_login(make_user())
    assert client.get(url(name, small_conference.conference)).status_code == 404


def test_pages_need_a_login(client, small_conference):
    response = client.get(url("invitations", small_conference.conference))
    assert response.status_code == 302
