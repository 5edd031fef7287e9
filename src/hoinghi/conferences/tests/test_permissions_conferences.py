"""Who may see and change what of a national conference: a table of actors × actions."""

import pytest

from hoinghi.conferences import selectors, services
from hoinghi.core.errors import DomainError, NotFoundError
from hoinghi.core.permissions import PermissionDeniedError


@pytest.fixture
def actors(small_conference, small_tree, make_user, superuser):
    operator = make_user()
    services.point_operator_add(actor=superuser, point=small_conference.ba_dinh_point, user=operator)
    services.conference_issue(actor=superuser, conference=small_conference.conference)
    return {
        "national organiser": make_user("organiser", small_tree.national),
        "hcm organiser": make_user("organiser", small_tree.hcm),
        "hanoi organiser": make_user("organiser", small_tree.hanoi),
        "hcm viewer": make_user("viewer", small_tree.hcm),
        "ba dinh operator": operator,
        "no grant": make_user(),
    }


# actor -> the points they see, the invitees (by given name) they see
VISIBLE = {
    "national organiser": (
        {"Điểm cầu Trung ương", "Điểm cầu Hồ Chí Minh", "Điểm cầu Ba Đình"},
        {"An", "Bình", "Chi", "Lan", "Dũng", "Hà"},
    ),
    "hcm organiser": ({"Điểm cầu Hồ Chí Minh"}, {"Dũng", "Hà"}),
    "hanoi organiser": ({"Điểm cầu Ba Đình"}, {"Bình", "Chi", "Lan"}),
    "hcm viewer": ({"Điểm cầu Hồ Chí Minh"}, {"Dũng", "Hà"}),
    "ba dinh operator": ({"Điểm cầu Ba Đình"}, {"Chi", "Lan"}),  # their point's roster
    "no grant": (set(), set()),
}


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_each_actor_sees_only_the_points_and_invitees_of_their_subtree(who, actors, small_conference):
    actor = actors[who]
    conference = small_conference.conference
    points, invitees = VISIBLE[who]
    assert {p.name for p in selectors.point_list(actor=actor, conference=conference)} == points
    listed = selectors.invitation_list(actor=actor, conference=conference)
    assert {i.person.given_name for i in listed} == invitees
    if who == "no grant":
        with pytest.raises(NotFoundError):
            selectors.conference_get(actor=actor, pk=conference.pk)
    else:
        assert selectors.conference_get(actor=actor, pk=conference.pk) == conference


def test_an_operator_sees_the_whole_roster_of_their_point_only(actors, small_conference):
    operator = actors["ba dinh operator"]
    conference = small_conference.conference
    roster = selectors.invitation_list(
        actor=operator, conference=conference, point=small_conference.ba_dinh_point
    )
    assert {i.person.given_name for i in roster} == {"Chi", "Lan"}
    with pytest.raises(NotFoundError):
        selectors.point_get(actor=operator, conference=conference, pk=small_conference.host.pk)


# actor -> may change: the HCM point, the Ba Đình point's checklist, the conference, an HCM person's override
CHANGES = {
    "national organiser": (True, True, True, True),
    "hcm organiser": (True, False, False, True),
    "hanoi organiser": (False, True, False, False),
    "hcm viewer": (False, False, False, False),
    "ba dinh operator": (False, True, False, False),
    "no grant": (False, False, False, False),
}


def _allowed(call) -> bool:
    try:
        call()
    except (PermissionDeniedError, NotFoundError):
        return False
    return True


@pytest.mark.parametrize("who", sorted(CHANGES))
def test_each_actor_changes_only_what_their_grant_covers(who, actors, small_conference):
    actor = actors[who]
    conference = small_conference.conference
    hcm_person = small_conference.people["HCM-Q1"]
    outcome = (
        _allowed(lambda: services.point_update(actor=actor, point=small_conference.hcm_point, capacity=120)),
        _allowed(
            lambda: services.point_readiness_mark(
                actor=actor, point=small_conference.ba_dinh_point, item="equipment_ready_at", done=True
            )
        ),
        _allowed(lambda: services.conference_update(actor=actor, conference=conference, title="Đổi tên")),
        _allowed(
            lambda: services.override_set(
                actor=actor, conference=conference, person=hcm_person, kind="exclude"
            )
        ),
    )
    assert outcome == CHANGES[who]


def test_a_refused_change_leaves_nothing_changed(actors, small_conference):
    point = small_conference.hcm_point
    with pytest.raises(DomainError):
        services.point_update(actor=actors["hanoi organiser"], point=point, capacity=999)
    point.refresh_from_db()
    assert point.capacity is None
