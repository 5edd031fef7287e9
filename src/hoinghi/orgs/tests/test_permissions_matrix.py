"""Roles × units × actions: a grant covers its unit's subtree and nothing else."""

import pytest

from hoinghi.accounts.tests.factories import GrantFactory
from hoinghi.core.errors import NotFoundError
from hoinghi.core.permissions import GrantRole, PermissionDeniedError, can, require, scope
from hoinghi.orgs import selectors, services
from hoinghi.orgs.models import Person, Unit
from hoinghi.orgs.tests.factories import PersonFactory

# Where the target sits relative to the granted unit (the Hà Nội federation).
RELATIONS = ["ancestor", "same", "descendant", "sibling", "cousin"]

CHANGERS = {GrantRole.SYSTEM_ADMIN, GrantRole.ORGANISER}


def _target(tree, relation: str) -> Unit:
    return {
        "ancestor": tree.national,
        "same": tree.hanoi,
        "descendant": tree.grassroots_a,
        "sibling": tree.hcm,
        "cousin": tree.grassroots_b,
    }[relation]


@pytest.mark.parametrize("role", list(GrantRole))
@pytest.mark.parametrize("relation", RELATIONS)
def test_view_covers_exactly_the_granted_subtree(small_tree, make_user, role, relation):
    actor = make_user(role, small_tree.hanoi)
    target = _target(small_tree, relation)
    expected = relation in {"same", "descendant"}

    assert can(actor, "orgs.view", target) is expected
    assert scope(actor, "orgs.view", Unit.objects.filter(pk=target.pk)).exists() is expected
    person = PersonFactory(unit=target)
    assert scope(actor, "orgs.view", Person.objects.filter(pk=person.pk)).exists() is expected


@pytest.mark.parametrize("role", list(GrantRole))
@pytest.mark.parametrize("relation", RELATIONS)
def test_change_needs_a_changing_role_inside_the_subtree(small_tree, make_user, role, relation):
    actor = make_user(role, small_tree.hanoi)
    target = _target(small_tree, relation)
    inside = relation in {"same", "descendant"}
    expected = inside and role in CHANGERS

    assert can(actor, "orgs.change", target) is expected
    if expected:
        services.unit_update(actor=actor, unit=target, member_count=4321)
        target.refresh_from_db()
        assert target.member_count == 4321
    else:
        before = Unit.objects.get(pk=target.pk).member_count
        # Outside the grant the unit does not exist for the actor; inside it is forbidden.
        with pytest.raises(PermissionDeniedError if inside else NotFoundError):
            services.unit_update(actor=actor, unit=target, member_count=4321)
        assert Unit.objects.get(pk=target.pk).member_count == before


@pytest.mark.parametrize("relation", RELATIONS)
def test_creating_a_person_is_allowed_only_under_the_grant(small_tree, make_user, relation):
    actor = make_user(GrantRole.ORGANISER, small_tree.hanoi)
    target = _target(small_tree, relation)
    allowed = relation in {"same", "descendant"}
    if allowed:
        person = services.person_create(
            actor=actor, unit=target, code="P-NEW", given_name="An", family_name="Lê"
        )
        assert person.unit == target
    else:
        with pytest.raises(NotFoundError):
            services.person_create(actor=actor, unit=target, code="P-NEW", given_name="An")
        assert not Person.objects.filter(code="P-NEW").exists()


def test_moving_needs_rights_on_both_the_unit_and_the_new_parent(small_tree, make_user):
    actor = make_user(GrantRole.ORGANISER, small_tree.hanoi)
    with pytest.raises(NotFoundError):
        services.unit_move(actor=actor, unit=small_tree.ba_dinh, new_parent=small_tree.hcm)
    small_tree.ba_dinh.refresh_from_db()
    assert small_tree.ba_dinh.parent == small_tree.hanoi


def test_user_without_grants_sees_nothing(small_tree, make_user):
    actor = make_user()
    assert not selectors.unit_list(actor=actor).exists()
    assert list(selectors.unit_roots(actor=actor)) == []
    with pytest.raises(NotFoundError):
        require(actor, "orgs.view", small_tree.national)


def test_inactive_user_loses_every_grant(small_tree, make_user):
    actor = make_user(GrantRole.SYSTEM_ADMIN, small_tree.national, is_active=False)
    assert not can(actor, "orgs.view", small_tree.hanoi)
    assert not scope(actor, "orgs.view", Unit.objects.all()).exists()


def test_two_grants_give_the_union_of_their_subtrees(small_tree, make_user):
    actor = make_user(GrantRole.VIEWER, small_tree.ba_dinh)
    GrantFactory(user=actor, role=GrantRole.VIEWER, unit=small_tree.district_1)
    visible = set(selectors.unit_list(actor=actor).values_list("code", flat=True))
    assert visible == {"HN-BD", "HN-BD-001", "HCM-Q1", "HCM-Q1-001"}
    assert {unit.code for unit in selectors.unit_roots(actor=actor)} == {"HN-BD", "HCM-Q1"}


def test_superuser_sees_everything(small_tree, superuser):
    assert selectors.unit_list(actor=superuser).count() == Unit.objects.count()
