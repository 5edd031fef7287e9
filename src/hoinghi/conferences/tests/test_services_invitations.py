import pytest

from hoinghi.conferences import readiness, selectors, services
from hoinghi.conferences.errors import ConferenceErrorCode
from hoinghi.conferences.models import ConferenceStatus, Invitation, InvitationStatus, OverrideKind
from hoinghi.core.errors import DomainError
from hoinghi.orgs.tests.factories import PersonFactory, PositionFactory


def _active(conference):
    return {
        invitation.person.unit.code
        if invitation.person.given_name not in ("Lan", "Minh")
        else invitation.person.given_name: invitation.point.name if invitation.point else None
        for invitation in Invitation.objects.filter(
            conference=conference, status=InvitationStatus.ACTIVE
        ).select_related("person__unit", "point")
    }


def test_issuing_invites_the_union_of_the_rules_at_the_nearest_point(small_conference, superuser):
    summary = services.conference_issue(actor=superuser, conference=small_conference.conference)

    assert summary["added"] == 6
    assert _active(small_conference.conference) == {
        "TLD": "Điểm cầu Trung ương",
        "HN": "Điểm cầu Trung ương",  # Hà Nội has no point of its own: the nearest above is the host
        "HN-BD": "Điểm cầu Ba Đình",
        "Lan": "Điểm cầu Ba Đình",  # the chair of the 2,500-member union under Ba Đình
        "HCM": "Điểm cầu Hồ Chí Minh",
        "HCM-Q1": "Điểm cầu Hồ Chí Minh",
    }
    small_conference.conference.refresh_from_db()
    assert small_conference.conference.status == ConferenceStatus.INVITATIONS_ISSUED
    assert small_conference.conference.transitions.get().actor == superuser


def test_a_person_matching_two_rules_is_invited_once_with_both_categories(small_conference, superuser):
    chair = small_conference.people["chair-a"]
    PositionFactory(person=chair, role=small_conference.committee_rule.roles.get())
    services.conference_issue(actor=superuser, conference=small_conference.conference)

    invitation = Invitation.objects.get(conference=small_conference.conference, person=chair)
    assert set(invitation.rules.values_list("name", flat=True)) == {"Ủy viên BCH", "Chủ tịch CĐCS lớn"}


def test_reapplying_after_data_changed_keeps_what_those_who_stay_have(
    small_conference, superuser, small_tree
):
    conference = small_conference.conference
    services.conference_issue(actor=superuser, conference=conference)
    staying = Invitation.objects.get(conference=conference, person=small_conference.people["HCM"])
    token = staying.token

    # CĐCS B grows past 2,000 members; the Ba Đình committee member leaves the committee.
    small_tree.grassroots_b.member_count = 2100
    small_tree.grassroots_b.save()
    small_conference.people["HN-BD"].positions.all().delete()
    preview = selectors.invitation_preview(actor=superuser, conference=conference)
    assert (preview.coming_in, preview.dropping_out) == (1, 1)
    assert [p.given_name for p in preview.coming_in_sample] == ["Minh"]
    assert [p.given_name for p in preview.dropping_out_sample] == ["Chi"]

    summary = services.invitations_reapply(actor=superuser, conference=conference)

    assert (summary["added"], summary["withdrawn"]) == (1, 1)
    staying.refresh_from_db()
    assert staying.token == token and staying.status == InvitationStatus.ACTIVE
    dropped = Invitation.objects.get(conference=conference, person=small_conference.people["HN-BD"])
    assert dropped.status == InvitationStatus.WITHDRAWN and dropped.withdrawn_at is not None


def test_reapplying_an_unchanged_list_changes_nothing(small_conference, superuser):
    services.conference_issue(actor=superuser, conference=small_conference.conference)
    summary = services.invitations_reapply(actor=superuser, conference=small_conference.conference)
    assert summary == {"added": 0, "reactivated": 0, "changed": 0, "withdrawn": 0, "total": 6}


def test_explicit_include_and_exclude_override_the_rules(small_conference, superuser, small_tree):
    conference = small_conference.conference
    outsider = PersonFactory(unit=small_tree.district_1, given_name="Yến")
    services.override_set(actor=superuser, conference=conference, person=outsider, kind=OverrideKind.INCLUDE)
    services.override_set(
        actor=superuser,
        conference=conference,
        person=small_conference.people["HCM"],
        kind=OverrideKind.EXCLUDE,
    )
    services.conference_issue(actor=superuser, conference=conference)

    invited = set(
        Invitation.objects.filter(conference=conference).values_list("person__given_name", flat=True)
    )
    assert "Yến" in invited and "Dũng" not in invited
    assert Invitation.objects.get(conference=conference, person=outsider).is_explicit


def test_a_unit_assigned_to_another_point_takes_its_subtree_there(small_conference, superuser, small_tree):
    services.point_serve_unit(actor=superuser, point=small_conference.host, unit=small_tree.ba_dinh)
    services.conference_issue(actor=superuser, conference=small_conference.conference)
    assert _active(small_conference.conference)["Lan"] == "Điểm cầu Trung ương"


def test_a_person_assigned_elsewhere_goes_there(small_conference, superuser):
    conference = small_conference.conference
    services.person_assign_point(
        actor=superuser,
        conference=conference,
        person=small_conference.people["HN"],
        point=small_conference.ba_dinh_point,
    )
    services.conference_issue(actor=superuser, conference=conference)
    assert _active(conference)["HN"] == "Điểm cầu Ba Đình"


def test_no_new_rules_once_live(small_conference, superuser):
    conference = small_conference.conference
    services.conference_issue(actor=superuser, conference=conference)
    services.conference_transition(actor=superuser, conference=conference, to_status=ConferenceStatus.LIVE)
    conference.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.rule_save(actor=superuser, conference=conference, name="Thêm", full_time="yes")
    assert error.value.code == ConferenceErrorCode.STAGE_FORBIDS


def test_the_life_cycle_refuses_skipping_a_stage(small_conference, superuser):
    with pytest.raises(DomainError) as error:
        services.conference_transition(
            actor=superuser, conference=small_conference.conference, to_status=ConferenceStatus.ENDED
        )
    assert error.value.code == ConferenceErrorCode.BAD_TRANSITION


def test_a_rule_with_no_condition_is_refused(small_conference, superuser):
    with pytest.raises(DomainError) as error:
        services.rule_save(actor=superuser, conference=small_conference.conference, name="Tất cả")
    assert error.value.code == ConferenceErrorCode.RULE_EMPTY


def test_readiness_lists_what_each_point_lacks_and_a_rule_matching_nobody(small_conference, superuser):
    conference = small_conference.conference
    services.rule_save(actor=superuser, conference=conference, name="Không ai", min_member_count=10**6)
    services.point_readiness_mark(
        actor=superuser, point=small_conference.hcm_point, item="link_tested_at", done=True
    )
    result = readiness.readiness(actor=superuser, conference=conference)
    missing = {row.point.name: row.missing for row in result.points}
    assert "chưa thử đường truyền" not in missing["Điểm cầu Hồ Chí Minh"]
    assert "chưa thử đường truyền" in missing["Điểm cầu Ba Đình"]
    preview = selectors.invitation_preview(actor=superuser, conference=conference)
    assert [rule.name for rule in preview.rules_matching_nobody] == ["Không ai"]
