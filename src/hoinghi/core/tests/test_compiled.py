"""core.compiled: a queryset's SQL built once, run with new values, giving what the ORM gives."""

import pytest

from hoinghi.accounts.models import User
from hoinghi.accounts.tests.factories import UserFactory
from hoinghi.core.compiled import Compiled, CompiledModels
from hoinghi.orgs.models import Person, Unit
from hoinghi.orgs.tests.factories import PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _users(pk):
    return User.objects.filter(pk=pk).values_list("username", "is_active", "date_joined", "last_login")


def test_rows_are_the_orm_s_values_converted_alike():
    active = UserFactory(username="hoat-dong")
    inactive = UserFactory(username="nghi", is_active=False)
    users = Compiled(User, _users)

    for user in (active, inactive):
        assert users.rows(user.pk) == list(_users(user.pk))
    # Converted as the ORM converts: booleans, aware datetimes (SQLite stores text and 0/1).
    username, is_active, joined, last_login = users.rows(inactive.pk)[0]
    assert is_active is False and joined.tzinfo is not None and last_login is None


def test_the_sql_is_built_once_per_shape_and_lists_are_padded_to_a_power_of_two():
    people = [PersonFactory() for _ in range(5)]
    built = []

    def by_codes(unit_id, codes):
        built.append(len(codes))
        return Person.objects.filter(unit_id=unit_id, code__in=codes).order_by("code").values_list("code")

    compiled = Compiled(Person, by_codes)
    first = people[0]
    for _ in range(3):
        assert compiled.rows(first.unit_id, [first.code]) == [(first.code,)]
    assert compiled.rows(first.unit_id, [first.code, people[1].code]) == [(first.code,)]  # another unit's
    everyone = Person.objects.filter(pk__in=[p.pk for p in people])
    everyone.update(unit_id=first.unit_id)
    # Three values and four are one shape (the third repeated); each row comes once.
    assert compiled.rows(first.unit_id, [p.code for p in people[:3]]) == sorted((p.code,) for p in people[:3])
    assert compiled.rows(first.unit_id, [p.code for p in people[:4]]) == sorted((p.code,) for p in people[:4])
    assert compiled.rows(first.unit_id, [p.code for p in people]) == sorted((p.code,) for p in people)

    assert built == [1, 2, 4, 8]


def test_a_value_reaches_every_place_the_query_uses_it():
    unit = UnitFactory()
    other = UnitFactory(parent=unit)
    PersonFactory(unit=unit)
    PersonFactory(unit=other)

    def here_and_below(unit_id):
        here = Person.objects.filter(unit_id=unit_id).order_by().values_list("unit_id")
        below = Person.objects.filter(unit__parent_id=unit_id).order_by().values_list("unit_id")
        return here.union(below, all=True).order_by()

    compiled = Compiled(Person, here_and_below)

    assert sorted(compiled.rows(unit.pk)) == sorted([(unit.pk,), (other.pk,)])
    assert compiled.rows(other.pk) == [(other.pk,)]


def test_an_id_no_column_can_hold_matches_nothing_instead_of_failing():
    person = PersonFactory()
    compiled = Compiled(Person, lambda pk: Person.objects.filter(pk=pk).values_list("code"))
    codes = Compiled(Person, lambda pks: Person.objects.filter(pk__in=pks).values_list("code"))

    assert compiled.rows(2**70) == []
    assert codes.rows([2**70, person.pk]) == [(person.code,)]


def test_a_query_that_leaves_a_value_out_is_refused():
    unused = Compiled(Person, lambda pk: Person.objects.values_list("code"))

    with pytest.raises(ValueError, match="every value"):
        unused.rows(1)


def test_models_come_whole_with_their_related_rows_and_annotations():
    parent = UnitFactory()
    unit = UnitFactory(parent=parent)
    person = PersonFactory(unit=unit)
    from django.db.models import F

    people = CompiledModels(
        Person,
        lambda pk: Person.objects.filter(pk=pk).annotate(parent_of_unit=F("unit__parent_id")),
        related=("unit",),
        annotations=("parent_of_unit",),
    )

    (found,) = people.list(person.pk)
    expected = Person.objects.select_related("unit").get(pk=person.pk)
    for field in Person._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    for field in Unit._meta.concrete_fields:
        assert getattr(found.unit, field.attname) == getattr(expected.unit, field.attname), field.name
    assert found.parent_of_unit == parent.pk
    assert not found._state.adding
    # The unit came with the person: reading it runs no query.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert found.unit.path == unit.path
    assert len(queries) == 0


def test_a_missing_related_row_is_none():
    unit = UnitFactory(parent=None)
    units = CompiledModels(Unit, lambda pk: Unit.objects.filter(pk=pk), related=("parent",))

    (found,) = units.list(unit.pk)

    assert found.parent is None and found.parent_id is None
    assert units.list(unit.pk + 10_000) == []


def test_a_related_row_of_a_related_row_comes_too():
    parent = UnitFactory()
    person = PersonFactory(unit=UnitFactory(parent=parent))
    people = CompiledModels(Person, lambda pk: Person.objects.filter(pk=pk), related=("unit", "unit__parent"))

    (found,) = people.list(person.pk)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert found.unit.parent.path == parent.path
    assert len(queries) == 0


def test_only_loads_the_fields_named_and_defers_the_rest():
    person = PersonFactory()
    people = CompiledModels(
        Person,
        lambda pk: Person.objects.filter(pk=pk),
        related=("unit",),
        only={"": ("code",), "unit": ("path",)},
    )

    (found,) = people.list(person.pk)

    assert found.get_deferred_fields() >= {"given_name", "family_name"}
    assert "code" not in found.get_deferred_fields() and found.code == person.code
    assert found.unit.path == person.unit.path and "name" in found.unit.get_deferred_fields()
    assert found.given_name == person.given_name  # a deferred field, read when asked for
