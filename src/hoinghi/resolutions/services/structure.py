"""Setting a resolution up: its parts, the data elements and indicators, data sets and periods."""

import calendar
from datetime import date
from decimal import Decimal
from functools import partial

from django.db import transaction

from hoinghi.core.errors import validate
from hoinghi.core.models import audit
from hoinghi.core.permissions import require
from hoinghi.resolutions.errors import ResolutionsError, ResolutionsErrorCode
from hoinghi.resolutions.models import (
    DataElement,
    DataElementOption,
    DataSet,
    Direction,
    Indicator,
    ItemKind,
    Period,
    Periodicity,
    Resolution,
    ResolutionItem,
    Source,
    ValidationRule,
)

_validate = partial(validate, error_class=ResolutionsError, code=ResolutionsErrorCode.BAD_VALUE)


@transaction.atomic
def resolution_create(
    *, actor, owner, code: str, title: str, adopted_on: date, general_objective: str = "", items=()
) -> Resolution:
    """Create a resolution owned by `owner` with its parts: `items` as (kind, text), numbered in
    order within each kind. Requires `resolutions.manage` on the owner."""
    require(actor, "resolutions.manage", owner)
    resolution = Resolution(
        owner=owner, code=code, title=title, adopted_on=adopted_on, general_objective=general_objective
    )
    _validate(resolution)
    resolution.save()
    numbers = dict.fromkeys(ItemKind.values, 0)
    parts = []
    for kind, text in items:
        numbers[kind] += 1
        parts.append(ResolutionItem(resolution=resolution, kind=kind, number=numbers[kind], text=text))
    ResolutionItem.objects.bulk_create(parts)
    audit(actor=actor, type="resolutions.resolution.created", obj=resolution, unit_path=owner.path, code=code)
    return resolution


@transaction.atomic
def element_create(
    *, actor, resolution: Resolution, code: str, name: str, options=(), unit_kinds=(), levels=(), order=100
) -> DataElement:
    """A data element (for the resolution's owner to manage), with `options` as (code, name)."""
    require(actor, "resolutions.manage", resolution.owner)
    element = DataElement(code=code, name=name, order=order)
    _validate(element)
    element.save()
    DataElementOption.objects.bulk_create(
        [DataElementOption(element=element, code=c, name=n, order=i) for i, (c, n) in enumerate(options)]
    )
    element.unit_kinds.set(unit_kinds)
    element.levels.set(levels)
    audit(
        actor=actor,
        type="resolutions.element.created",
        obj=element,
        unit_path=resolution.owner.path,
        code=code,
    )
    return element


@transaction.atomic
def indicator_create(
    *,
    actor,
    resolution: Resolution,
    code: str,
    name: str,
    target_value: Decimal | int,
    numerator: DataElement | tuple | None = None,
    denominator: DataElement | tuple | None = None,
    numerator_units=None,
    denominator_units=None,
    factor: Decimal | int = 1,
    direction: str = Direction.AT_LEAST,
    deadline: date | None = None,
    is_yearly: bool = False,
    is_cumulative: bool = False,
    target: ResolutionItem | None = None,
    unit_label: str = "",
    order: int = 100,
) -> Indicator:
    """An indicator: each side an element, an (element, option) pair, or a count of units of a kind
    (`*_units`, a UnitKind). Requires `resolutions.manage` on the resolution's owner."""
    require(actor, "resolutions.manage", resolution.owner)
    indicator = Indicator(
        resolution=resolution,
        target=target,
        code=code,
        name=name,
        factor=factor,
        target_value=target_value,
        direction=direction,
        deadline=deadline,
        is_yearly=is_yearly,
        is_cumulative=is_cumulative,
        unit_label=unit_label,
        order=order,
    )
    for side, element, units in (
        ("numerator", numerator, numerator_units),
        ("denominator", denominator, denominator_units),
    ):
        if element is not None:
            element, option = element if isinstance(element, tuple) else (element, "")
            setattr(indicator, f"{side}_source", Source.ELEMENT)
            setattr(indicator, f"{side}_element", element)
            setattr(indicator, f"{side}_option", option)
        elif units is not None:
            setattr(indicator, f"{side}_source", Source.UNITS)
            setattr(indicator, f"{side}_unit_kind", units)
        else:
            setattr(indicator, f"{side}_source", Source.NONE)
    _validate(indicator)
    indicator.save()
    audit(
        actor=actor,
        type="resolutions.indicator.created",
        obj=indicator,
        unit_path=resolution.owner.path,
        code=code,
    )
    return indicator


@transaction.atomic
def rule_create(
    *, actor, resolution: Resolution, code: str, left, operator: str, right, message: str
) -> ValidationRule:
    """A validation rule; `left` and `right` are elements or (element, option) pairs."""
    require(actor, "resolutions.manage", resolution.owner)
    left, left_option = left if isinstance(left, tuple) else (left, "")
    right, right_option = right if isinstance(right, tuple) else (right, "")
    rule = ValidationRule(
        code=code,
        left_element=left,
        left_option=left_option,
        operator=operator,
        right_element=right,
        right_option=right_option,
        message=message,
    )
    _validate(rule)
    rule.save()
    audit(actor=actor, type="resolutions.rule.created", obj=rule, unit_path=resolution.owner.path, code=code)
    return rule


@transaction.atomic
def dataset_create(
    *,
    actor,
    resolution: Resolution,
    code: str,
    name: str,
    periodicity: str,
    elements,
    unit_kinds=(),
    levels=(),
    due_days=15,
) -> DataSet:
    require(actor, "resolutions.manage", resolution.owner)
    dataset = DataSet(resolution=resolution, code=code, name=name, periodicity=periodicity, due_days=due_days)
    _validate(dataset)
    dataset.save()
    dataset.elements.set(elements)
    dataset.unit_kinds.set(unit_kinds)
    dataset.levels.set(levels)
    audit(
        actor=actor,
        type="resolutions.dataset.created",
        obj=dataset,
        unit_path=resolution.owner.path,
        code=code,
    )
    return dataset


def period_ensure(*, periodicity: str, year: int, number: int = 1) -> Period:
    """The period `number` (month 1-12, quarter 1-4, or 1 for the year) of `year`, made if missing."""
    if periodicity == Periodicity.MONTH:
        first, last, code = number, number, f"{year}M{number:02d}"
    elif periodicity == Periodicity.QUARTER:
        first, last, code = 3 * number - 2, 3 * number, f"{year}Q{number}"
    else:
        first, last, code = 1, 12, str(year)
    start = date(year, first, 1)
    end = date(year, last, calendar.monthrange(year, last)[1])
    period, _created = Period.objects.get_or_create(
        periodicity=periodicity, start=start, defaults={"end": end, "code": code}
    )
    return period
