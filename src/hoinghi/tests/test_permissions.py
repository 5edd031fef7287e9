"""The permission engine across the apps, tested as a table generated from the declared actions.

Every declared action has a row in `MATRIX`: the roles whose grant holds it, and whether a bridge
point's operators hold it on their point. An action declared without a row fails
`test_every_declared_action_has_a_row_in_the_matrix`; a row that disagrees with the engine fails
the generated tests below.
"""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from hoinghi.conferences import selectors as conference_selectors
from hoinghi.conferences import services as conference_services
from hoinghi.core.errors import NotFoundError
from hoinghi.core.models import AuditEntry
from hoinghi.core.permissions import (
    ACTIONS,
    EVERY_ROLE,
    WHOLE_TREE,
    GrantRole,
    PermissionDeniedError,
    can,
    reach,
    require,
    scope,
)
from hoinghi.orgs import selectors as org_selectors
from hoinghi.orgs.models import Person, Unit

R = GrantRole
ORGANISERS = {R.SYSTEM_ADMIN, R.ORGANISER}
VIEWERS = {R.SYSTEM_ADMIN, R.ORGANISER, R.VIEWER}

# action -> (roles whose grant on a unit holds it in the subtree, held by a point's operators there)
MATRIX = {
    "core.view_audit": ({R.SYSTEM_ADMIN}, False),
    "orgs.view": (set(EVERY_ROLE), False),
    "orgs.export": (set(EVERY_ROLE) - {R.SITE_OPERATOR}, False),
    "orgs.change": (ORGANISERS, False),
    "orgs.import": (ORGANISERS, False),
    "accounts.view_grants": ({R.SYSTEM_ADMIN}, False),
    "accounts.manage_grants": ({R.SYSTEM_ADMIN}, False),
    "conferences.view": (VIEWERS, True),
    "conferences.change": (ORGANISERS, False),
    "conferences.send": (ORGANISERS, False),
    "conferences.prepare_point": (ORGANISERS, True),
    "attendance.operate": (ORGANISERS, True),
    "attendance.view_reports": (VIEWERS, False),
    "attendance.view_board": (VIEWERS, False),
    "attendance.moderate": (ORGANISERS, False),
    "streaming.manage": (ORGANISERS, False),
    "resolutions.view": (VIEWERS | {R.DATA_REPORTER}, False),
    "resolutions.enter": (ORGANISERS | {R.DATA_REPORTER}, False),
    "resolutions.approve": (ORGANISERS | {R.DATA_REPORTER}, False),
    "resolutions.manage": (ORGANISERS, False),
    "resolutions.plan": (ORGANISERS | {R.DATA_REPORTER}, False),
    "resolutions.reminded": ({R.DATA_REPORTER}, False),
    "learning_reports.view_reports": (VIEWERS, False),
    "learning_reports.mark": ({R.REVIEWER}, False),
    "learning_reports.allocate": (ORGANISERS, False),
    "learning_reports.remind": (ORGANISERS, False),
    "learning_reports.release": (ORGANISERS, False),
}

# Where the target sits relative to the granted unit (the Hà Nội federation).
RELATIONS = ["ancestor", "same", "descendant", "sibling", "cousin"]


def _unit(tree, relation: str) -> Unit:
    return {
        "ancestor": tree.national,
        "same": tree.hanoi,
        "descendant": tree.grassroots_a,
        "sibling": tree.hcm,
        "cousin": tree.grassroots_b,
    }[relation]


def test_every_declared_action_has_a_row_in_the_matrix():
    assert set(MATRIX) == set(ACTIONS)


def test_an_undeclared_action_is_an_error(small_tree, make_user):
    with pytest.raises(KeyError):
        can(make_user(R.ORGANISER, small_tree.hanoi), "orgs.fly", small_tree.hanoi)


@pytest.mark.parametrize("action", sorted(MATRIX))
@pytest.mark.parametrize("role", list(GrantRole))
@pytest.mark.parametrize("relation", RELATIONS)
def test_a_role_grant_covers_exactly_its_subtree(small_tree, make_user, action, role, relation):
    actor = make_user(role, small_tree.hanoi)
    target = _unit(small_tree, relation)
    roles, _operators = MATRIX[action]
    expected = role in roles and relation in {"same", "descendant"}
    assert can(actor, action, target.path) is expected
    assert scope(actor, action, Unit.objects.filter(pk=target.pk)).exists() is expected
    if not expected:
        with pytest.raises(NotFoundError):  # a unit path says nothing visible to anyone without a grant
            require(make_user(), action, target.path)


@pytest.mark.parametrize("action", sorted(MATRIX))
def test_a_point_operator_holds_only_the_point_actions_and_only_on_their_point(
    small_conference, make_user, superuser, action
):
    operator = make_user()
    conference_services.point_operator_add(
        actor=superuser, point=small_conference.ba_dinh_point, user=operator
    )
    _roles, operators = MATRIX[action]
    own, other = small_conference.ba_dinh_point, small_conference.hcm_point
    assert can(operator, action, own) is operators
    assert can(operator, action, other) is False
    assert can(operator, action, own.unit.path) is False  # nothing on the point's unit
    from hoinghi.conferences.models import BridgePoint

    visible = set(scope(operator, action, BridgePoint.objects.all()).values_list("pk", flat=True))
    assert visible == ({own.pk} if operators else set())


def test_inactive_and_anonymous_actors_hold_nothing(small_tree, make_user, superuser):
    from django.contrib.auth.models import AnonymousUser

    inactive = make_user(R.SYSTEM_ADMIN, small_tree.national, is_active=False)
    for actor in (inactive, AnonymousUser(), None):
        assert not can(actor, "orgs.view", small_tree.hanoi)
        assert not scope(actor, "orgs.view", Unit.objects.all()).exists()
    assert can(superuser, "orgs.change", WHOLE_TREE)
    assert not can(make_user(R.SYSTEM_ADMIN, small_tree.national), "orgs.change", WHOLE_TREE)


def test_refusal_inside_what_the_actor_sees_is_forbidden_and_outside_it_not_found(small_tree, make_user):
    viewer = make_user(R.VIEWER, small_tree.hanoi)
    with pytest.raises(PermissionDeniedError):
        require(viewer, "orgs.change", small_tree.ba_dinh)
    with pytest.raises(NotFoundError):
        require(viewer, "orgs.change", small_tree.hcm)


def test_a_provincial_organiser_sees_the_national_conference_but_may_not_change_it(
    small_conference, small_tree, make_user
):
    hanoi = make_user(R.ORGANISER, small_tree.hanoi)
    conference = small_conference.conference
    assert conference_selectors.conference_get(actor=hanoi, pk=conference.pk) == conference
    assert can(hanoi, "conferences.send", conference)  # the invitations of its own part
    with pytest.raises(PermissionDeniedError):
        require(hanoi, "conferences.change", conference)


def test_what_an_actor_holds_is_read_in_one_query(
    small_conference, make_user, superuser, django_assert_num_queries
):
    operator = make_user(R.VIEWER, small_conference.ba_dinh_point.unit)
    conference_services.point_operator_add(actor=superuser, point=small_conference.hcm_point, user=operator)
    from hoinghi.accounts.models import User

    fresh = User.objects.get(pk=operator.pk)
    with django_assert_num_queries(1):
        assert can(fresh, "attendance.operate", small_conference.hcm_point)
        assert can(fresh, "conferences.view", small_conference.ba_dinh_point)
        assert not can(fresh, "conferences.change", small_conference.ba_dinh_point)
        assert reach(fresh, "conferences.view").related_ids("point_operator") == {
            small_conference.hcm_point.pk
        }


# --- The removed operator (issue: operator rights from the relation alone) --------------------------


def test_a_removed_operator_sees_nothing(small_conference, make_user, superuser, client):
    from hoinghi.accounts.models import User

    conference = small_conference.conference
    point = small_conference.ba_dinh_point
    conference_services.conference_issue(actor=superuser, conference=conference)
    operator = make_user()
    conference_services.point_operator_add(actor=superuser, point=point, user=operator)

    operator = User.objects.get(pk=operator.pk)
    assert conference_selectors.conference_get(actor=operator, pk=conference.pk) == conference
    assert {
        i.person.given_name
        for i in conference_selectors.invitation_list(actor=operator, conference=conference)
    } == {"Chi", "Lan"}
    # Even while operating, nothing of the point's unit: its people, phones and e-mails.
    assert not org_selectors.person_list(actor=operator).exists()
    assert not scope(operator, "orgs.view", Person.objects.all()).exists()
    client.force_login(operator)
    assert client.get(f"/api/points/{point.pk}/roster").status_code == 200
    assert client.get(reverse("conferences:detail", args=[conference.pk])).status_code == 200
    # The menu does not offer what the operator cannot open (people, imports, exports).
    menu = client.get(reverse("orgs:tree")).content.decode()
    assert reverse("orgs:person_list") not in menu and reverse("orgs:import_start") not in menu

    conference_services.point_operator_remove(actor=superuser, point=point, user=operator)
    operator = User.objects.get(pk=operator.pk)
    assert not conference_selectors.conference_list(actor=operator).exists()
    assert not conference_selectors.point_list(actor=operator, conference=conference).exists()
    assert not conference_selectors.invitation_list(actor=operator, conference=conference).exists()
    assert not org_selectors.person_list(actor=operator).exists()
    assert not org_selectors.unit_list(actor=operator).exists()
    assert client.get(f"/api/points/{point.pk}/roster").status_code == 404
    assert client.get(reverse("conferences:detail", args=[conference.pk])).status_code == 404
    assert not operator.grants.exists()
    types = list(AuditEntry.objects.filter(data__user=operator.username).values_list("type", flat=True))
    assert types.count("conferences.point.operator_added") == 1
    assert types.count("conferences.point.operator_removed") == 1


def test_the_migration_takes_back_grants_made_as_a_side_effect_and_keeps_those_given_on_purpose(
    small_conference, make_user, superuser
):
    import importlib

    from django.apps import apps

    from hoinghi.accounts.models import Grant
    from hoinghi.accounts.services import grant_create

    point = small_conference.ba_dinh_point
    side_effect, on_purpose = make_user(), make_user()
    for user in (side_effect, on_purpose):
        point.operators.add(user)
    Grant.objects.create(user=side_effect, role=R.SITE_OPERATOR, unit=point.unit)  # as the old code did
    grant_create(actor=superuser, user=on_purpose, role=R.SITE_OPERATOR, unit=point.unit)

    migration = importlib.import_module("hoinghi.conferences.migrations.0003_operator_grants_taken_back")
    migration.take_back(apps, None)

    assert not Grant.objects.filter(user=side_effect).exists()
    assert Grant.objects.filter(user=on_purpose, role=R.SITE_OPERATOR).exists()
    assert AuditEntry.objects.filter(type="accounts.grant.revoked", data__user=side_effect.username).exists()


# --- Nothing outside core decides by hand -------------------------------------------------------------

SOURCE = Path(__file__).resolve().parents[1]
# What deciding by hand looked like: reading grant paths, asking whether someone operates a point,
# or checking a role or superuser flag in a view or service.
FORBIDDEN = (
    "scope_paths",
    "granted_paths",
    "point_is_operated_by",
    "point_operator_exists",
    "checkin_allowed_for",
    "operators=actor",
    "operators__",
    "is_superuser",
    "GrantRole.",
)
# Where those words belong: the engine and its declarations, the Grant model, Django's admin
# configuration and management commands (choosing a superuser to act as, not deciding).
ALLOWED = ("core/permissions.py", "/permissions.py", "accounts/models.py", "admin.py", "management/", "demo/")


def test_permission_calls_outside_core_are_only_can_require_scope_and_reach():
    offenders = []
    for path in SOURCE.rglob("*.py"):
        relative = path.relative_to(SOURCE).as_posix()
        if relative.startswith("tests/") or "/tests/" in relative or relative.endswith("conftest.py"):
            continue
        if "/migrations/" in relative or relative.endswith(ALLOWED):
            continue
        if any(part in relative for part in ("management/", "demo/")):
            continue
        text = path.read_text()
        offenders += [f"{relative}: {word}" for word in FORBIDDEN if word in text]
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "hoinghi.core.permissions":
                names = {alias.name for alias in node.names}
                extra = names - {
                    "can",
                    "require",
                    "scope",
                    "reach",
                    "Reach",  # the type of reach()'s answer, for annotations
                    "SYSTEM_REACH",  # what a job without an actor reaches
                    "Action",
                    "GrantRole",
                    "EVERY_ROLE",
                    "PermissionDeniedError",
                    "WHOLE_TREE",
                    "Relation",
                    "declare",
                    "declare_relation",
                    "forget",
                    "holders",
                    "grant_roles",
                }
                offenders += [f"{relative}: imports {name}" for name in sorted(extra)]
    assert offenders == [], "\n".join(offenders)
