"""A resolution on the small tree: a yearly data set every unit reports, a breakdown by grade,
a validation rule, and indicators of every shape (a count, a ratio of elements, a ratio over a
count of units)."""

from dataclasses import dataclass
from datetime import date

import pytest

from hoinghi.core.permissions import GrantRole
from hoinghi.orgs.models import UnitKind
from hoinghi.resolutions import services
from hoinghi.resolutions.models import DataSet, Indicator, Operator, Period, Periodicity, Resolution
from hoinghi.resolutions.services.recompute import counts_recompute


@dataclass
class Reporting:
    resolution: Resolution
    dataset: DataSet
    year: Period
    last_year: Period
    new_members: Indicator
    agreements_share: Indicator
    strong_share: Indicator


@pytest.fixture
def reporting(small_tree, superuser) -> Reporting:
    # The small tree is written by factories, as a bulk load is: its units are counted once here.
    counts_recompute()
    resolution = services.resolution_create(
        actor=superuser,
        owner=small_tree.national,
        code="nq-thu",
        title="Nghị quyết thử",
        adopted_on=date(2018, 9, 26),
        items=[
            ("target", "Kết nạp đoàn viên"),
            ("target", "Thỏa ước lao động tập thể"),
            ("task", "Nhiệm vụ 1"),
        ],
    )
    make = services.element_create
    workers = make(actor=superuser, resolution=resolution, code="workers", name="Số lao động", order=1)
    admitted = make(
        actor=superuser, resolution=resolution, code="admitted", name="Đoàn viên kết nạp mới", order=2
    )
    enterprises = make(
        actor=superuser, resolution=resolution, code="enterprises", name="Doanh nghiệp có CĐ", order=3
    )
    agreements = make(
        actor=superuser,
        resolution=resolution,
        code="agreements",
        name="Thỏa ước đã ký",
        options=[("A", "Loại A"), ("B", "Loại B"), ("C", "Loại C"), ("D", "Loại D")],
        order=4,
    )
    strong = make(actor=superuser, resolution=resolution, code="strong", name="CĐCS vững mạnh", order=5)
    services.rule_create(
        actor=superuser,
        resolution=resolution,
        code="admitted-le-workers",
        left=admitted,
        operator=Operator.LTE,
        right=workers,
        message="Số đoàn viên kết nạp mới (%(left)s) không được lớn hơn số lao động (%(right)s).",
    )
    dataset = services.dataset_create(
        actor=superuser,
        resolution=resolution,
        code="bc-nam",
        name="Báo cáo năm",
        periodicity=Periodicity.YEAR,
        elements=[workers, admitted, enterprises, agreements, strong],
    )
    target_members, target_agreements = resolution.items.filter(kind="target").order_by("number")
    new_members = services.indicator_create(
        actor=superuser,
        resolution=resolution,
        code="new-members",
        name="Kết nạp đoàn viên mới",
        numerator=admitted,
        target_value=100,
        deadline=date(2023, 12, 31),
        is_cumulative=True,
        target=target_members,
        order=1,
    )
    agreements_share = services.indicator_create(
        actor=superuser,
        resolution=resolution,
        code="agreements-a",
        name="Tỷ lệ thỏa ước loại A",
        numerator=(agreements, "A"),
        denominator=enterprises,
        factor=100,
        target_value=45,
        is_yearly=True,
        target=target_agreements,
        order=2,
    )
    strong_share = services.indicator_create(
        actor=superuser,
        resolution=resolution,
        code="strong",
        name="Tỷ lệ CĐCS vững mạnh",
        numerator=strong,
        denominator_units=UnitKind.objects.get(code="grassroots"),
        factor=100,
        target_value=80,
        is_yearly=True,
        order=3,
    )
    return Reporting(
        resolution,
        dataset,
        services.period_ensure(periodicity=Periodicity.YEAR, year=2019),
        services.period_ensure(periodicity=Periodicity.YEAR, year=2018),
        new_members,
        agreements_share,
        strong_share,
    )


@pytest.fixture
def reporter(make_user):
    """reporter(unit) -> a data reporter granted on that unit."""
    return lambda unit: make_user(GrantRole.DATA_REPORTER, unit)


@pytest.fixture
def enter(reporting, superuser):
    """enter(unit, values, period=None) -> the unit's values saved by the superuser."""

    def save(unit, values, period=None, actor=None):
        return services.datavalues_save(
            actor=actor or superuser,
            dataset=reporting.dataset,
            unit=unit,
            period=period or reporting.year,
            values={(label.partition(":")[0], label.partition(":")[2]): v for label, v in values.items()},
        )

    return save


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass
class Programmes:
    """An action programme at Hà Nội, at Ba Đình and at Hồ Chí Minh, an item in each serving the
    first target (Hà Nội's owned by Ba Đình's unit, Ba Đình's by a person of Ba Đình)."""

    hanoi: "object"
    ba_dinh: "object"
    hcm: "object"
    target: "object"
    task: "object"
    hanoi_item: "object"
    ba_dinh_item: "object"
    hcm_item: "object"
    ba_dinh_person: "object"


@pytest.fixture
def programmes(small_tree, reporting, superuser) -> Programmes:
    from hoinghi.orgs.tests.factories import PersonFactory

    target = reporting.resolution.items.get(kind="target", number=1)
    task = reporting.resolution.items.get(kind="task", number=1)
    person = PersonFactory(unit=small_tree.ba_dinh, given_name="An", email="an@example.vn")
    made = {}
    for name, unit in (("hanoi", small_tree.hanoi), ("ba_dinh", small_tree.ba_dinh), ("hcm", small_tree.hcm)):
        made[name] = services.programme_create(
            actor=superuser, resolution=reporting.resolution, unit=unit, title=f"Chương trình {unit.name}"
        )
    owners = {
        "hanoi": services.Owner(unit=small_tree.ba_dinh),
        "ba_dinh": services.Owner(person=person),
        "hcm": services.Owner(unit=small_tree.hcm),
    }
    items = {
        name: services.action_item_create(
            actor=superuser,
            programme=made[name],
            text=f"Phát triển đoàn viên ở {made[name].unit.name}",
            serves=target,
            deadline=date(2030, 6, 30),
            owner=owners[name],
        )
        for name in made
    }
    return Programmes(
        made["hanoi"],
        made["ba_dinh"],
        made["hcm"],
        target,
        task,
        items["hanoi"],
        items["ba_dinh"],
        items["hcm"],
        person,
    )
