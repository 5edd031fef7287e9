"""factory_boy factories that keep related objects in one subtree."""

import factory

from hoinghi.core.tree import path_child
from hoinghi.orgs.models import (
    Level,
    Person,
    Position,
    PositionRole,
    Province,
    Unit,
    UnitKind,
    person_fill_derived,
    unit_fill_derived,
)


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Level
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"level-{n}")
    name = factory.Sequence(lambda n: f"Cấp {n}")
    rank = factory.Sequence(lambda n: n)


class UnitKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitKind
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"kind-{n}")
    name = factory.Sequence(lambda n: f"Loại {n}")
    level = factory.SubFactory(LevelFactory)


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{n:02d}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử {n}")
    short_name = factory.Sequence(lambda n: f"Thử {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    """A unit with a correct materialized path; pass `parent=` to place it in a subtree."""

    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"DV{n:05d}")
    name = factory.Sequence(lambda n: f"Công đoàn thử {n}")
    kind = factory.SubFactory(UnitKindFactory)
    parent = None
    member_count = 100
    province = factory.LazyAttribute(lambda unit: unit.parent.province if unit.parent else None)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        parent = kwargs.get("parent")
        unit = model_class(*args, **kwargs)
        unit.depth = parent.depth + 1 if parent else 0
        unit.path = f"/pending-{unit.code}/"
        unit_fill_derived(unit)
        unit.save()
        unit.path = path_child(parent.path if parent else "", unit.pk)
        unit.save(update_fields=["path"])
        return unit


class PositionRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PositionRole
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"role-{n}")
    name = factory.Sequence(lambda n: f"Chức vụ {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    code = factory.Sequence(lambda n: f"CB{n:06d}")
    family_name = "Nguyễn"
    middle_name = "Văn"
    given_name = factory.Iterator(["An", "Bình", "Chi", "Dũng", "Đức", "Hà", "Hùng", "Lan", "Minh", "Nga"])
    unit = factory.SubFactory(UnitFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        person = model_class(*args, **kwargs)
        person_fill_derived(person)
        person.save()
        return person


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    unit = factory.LazyAttribute(lambda position: position.person.unit)
    role = factory.SubFactory(PositionRoleFactory)
