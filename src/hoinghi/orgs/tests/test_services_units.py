import pytest

from hoinghi.core.models import AuditEntry
from hoinghi.core.permissions import GrantRole
from hoinghi.orgs import services
from hoinghi.orgs.errors import OrgsError, OrgsErrorCode
from hoinghi.orgs.models import Unit
from hoinghi.orgs.tests.factories import PersonFactory, UnitFactory


def test_created_unit_path_extends_its_parents(small_tree, superuser):
    unit = services.unit_create(
        actor=superuser,
        parent=small_tree.ba_dinh,
        code="HN-BD-002",
        name="Công đoàn Trường THPT Phan Đình Phùng",
        kind=small_tree.grassroots_a.kind,
        member_count=80,
    )
    assert unit.path == f"{small_tree.ba_dinh.path}{unit.pk}/"
    assert unit.depth == small_tree.ba_dinh.depth + 1
    assert Unit.objects.get(pk=unit.pk).path == unit.path
    assert AuditEntry.objects.filter(type="orgs.unit.created", actor=superuser).count() == 1


def test_moving_a_subtree_rewrites_every_path_below_it(small_tree, superuser):
    deep = UnitFactory(parent=small_tree.grassroots_a, code="DEEP")
    services.unit_move(actor=superuser, unit=small_tree.ba_dinh, new_parent=small_tree.hcm)

    for unit in Unit.objects.select_related("parent"):
        expected = (unit.parent.path if unit.parent else "/") + f"{unit.pk}/"
        assert unit.path == expected
        assert unit.depth == (unit.parent.depth + 1 if unit.parent else 0)
    deep.refresh_from_db()
    assert deep.path.startswith(small_tree.hcm.path)
    assert set(Unit.objects.filter(path__under=small_tree.hcm.path).values_list("code", flat=True)) == {
        "HCM",
        "HCM-Q1",
        "HCM-Q1-001",
        "HN-BD",
        "HN-BD-001",
        "DEEP",
    }
    assert not Unit.objects.filter(path__under=small_tree.hanoi.path).exclude(pk=small_tree.hanoi.pk).exists()


def test_a_unit_cannot_move_into_its_own_subtree(small_tree, superuser):
    with pytest.raises(OrgsError) as error:
        services.unit_move(actor=superuser, unit=small_tree.hanoi, new_parent=small_tree.grassroots_a)
    assert error.value.code == OrgsErrorCode.MOVE_INTO_OWN_SUBTREE
    small_tree.hanoi.refresh_from_db()
    assert small_tree.hanoi.parent == small_tree.national


def test_deleting_a_unit_with_sub_units_is_refused_with_the_reason(small_tree, superuser):
    with pytest.raises(OrgsError) as error:
        services.unit_delete(actor=superuser, unit=small_tree.ba_dinh)
    assert error.value.code == OrgsErrorCode.UNIT_HAS_CHILDREN
    assert "1" in error.value.message
    assert Unit.objects.filter(pk=small_tree.ba_dinh.pk).exists()


def test_deleting_a_unit_with_people_is_refused(small_tree, superuser):
    PersonFactory(unit=small_tree.grassroots_a)
    with pytest.raises(OrgsError) as error:
        services.unit_delete(actor=superuser, unit=small_tree.grassroots_a)
    assert error.value.code == OrgsErrorCode.UNIT_HAS_PEOPLE
    assert Unit.objects.filter(pk=small_tree.grassroots_a.pk).exists()


def test_deleting_an_empty_unit_works_and_is_audited(small_tree, make_user):
    actor = make_user(GrantRole.ORGANISER, small_tree.hanoi)
    services.unit_delete(actor=actor, unit=small_tree.grassroots_a)
    assert not Unit.objects.filter(code="HN-BD-001").exists()
    assert AuditEntry.objects.filter(type="orgs.unit.deleted", actor=actor).exists()


def test_duplicate_code_is_a_validation_error(small_tree, superuser):
    with pytest.raises(OrgsError) as error:
        services.unit_create(
            actor=superuser, parent=small_tree.hanoi, code="HN-BD", name="Trùng", kind=small_tree.ba_dinh.kind
        )
    assert error.value.code == OrgsErrorCode.INVALID
    assert Unit.objects.filter(code="HN-BD").count() == 1


def test_only_a_superuser_creates_a_root(small_tree, make_user):
    actor = make_user(GrantRole.SYSTEM_ADMIN, small_tree.national)
    with pytest.raises(OrgsError) as error:
        services.unit_create(
            actor=actor, parent=None, code="ROOT2", name="Gốc khác", kind=small_tree.national.kind
        )
    assert error.value.code == OrgsErrorCode.ROOT_NEEDS_SUPERUSER
