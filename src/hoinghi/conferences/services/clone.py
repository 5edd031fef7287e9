"""Cloning a conference for the next one: its preparation, none of its morning."""

from datetime import datetime
from pathlib import PurePath

from django.core.files.base import File
from django.db import transaction

from hoinghi.conferences.models import (
    BridgePoint,
    BridgePointUnit,
    Conference,
    EligibilityRule,
    Material,
    Presenter,
    ProgrammeItem,
)
from hoinghi.conferences.services._common import _validate
from hoinghi.core.models import audit
from hoinghi.core.permissions import require

# What a point carries over; its readiness (operator confirmed, equipment, link tested) is of the
# morning it was prepared for, and is checked again.
_POINT_FIELDS = ("name", "level_id", "unit_id", "is_host", "address", "capacity")
_POINT_CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")
_RULE_FIELDS = ("order", "name", "full_time", "min_member_count", "within_id")


def _shifted(value, delta):
    return value + delta if value is not None else None


@transaction.atomic
def conference_clone(
    *, actor, conference: Conference, title: str, starts_at: datetime, keep_operators: bool = False
) -> Conference:
    """A new draft conference of the same organising unit with copies of `conference`'s programme
    (items and presenters, times moved by as much as the start), bridge points (with the units
    they serve and their technical contacts), eligibility rules (with every condition) and
    materials (each file copied, so that deleting one side leaves the other whole).

    Nothing of the morning comes along: no invitations (issuing the clone computes them afresh
    from the rules), no explicit includes or excludes, no point assignments of single people, no
    check-ins, attendance, questions or recordings, no point readiness; and no operators unless
    `keep_operators` (the same accounts then operate the new points too). The original is not
    changed. Requires `conferences.change` on the conference; raises `ConferenceError(invalid)`
    for an empty title or a start the clone's end would precede.
    """
    require(actor, "conferences.change", conference)
    delta = starts_at - conference.starts_at
    clone = Conference(
        title=title,
        subject=conference.subject,
        starts_at=starts_at,
        ends_at=_shifted(conference.ends_at, delta),
        organising_unit=conference.organising_unit,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _validate(clone)
    clone.save()

    items = list(conference.programme.order_by("order", "id"))
    new_items = ProgrammeItem.objects.bulk_create(
        ProgrammeItem(
            conference=clone,
            order=item.order,
            kind=item.kind,
            title=item.title,
            planned_start=_shifted(item.planned_start, delta),
            planned_end=_shifted(item.planned_end, delta),
        )
        for item in items
    )
    item_map = {old.pk: new for old, new in zip(items, new_items, strict=True)}
    presenters = Presenter.objects.bulk_create(
        Presenter(
            item=item_map[presenter.item_id],
            order=presenter.order,
            person_id=presenter.person_id,
            guest_name=presenter.guest_name,
            title=presenter.title,
        )
        for presenter in Presenter.objects.filter(item__conference=conference).order_by("id")
    )

    points = list(conference.points.order_by("id"))
    new_points = BridgePoint.objects.bulk_create(
        BridgePoint(
            conference=clone,
            **{name: getattr(point, name) for name in _POINT_FIELDS + _POINT_CONTACT_FIELDS},
        )
        for point in points
    )
    point_map = {old.pk: new for old, new in zip(points, new_points, strict=True)}
    BridgePointUnit.objects.bulk_create(
        BridgePointUnit(conference=clone, point=point_map[served.point_id], unit_id=served.unit_id)
        for served in BridgePointUnit.objects.filter(conference=conference).order_by("id")
    )
    operators = 0
    if keep_operators:
        through = BridgePoint.operators.through
        links = [
            through(bridgepoint_id=point_map[link.bridgepoint_id].pk, user_id=link.user_id)
            for link in through.objects.filter(bridgepoint__conference=conference).order_by("id")
        ]
        operators = len(through.objects.bulk_create(links))

    rules = list(conference.rules.order_by("order", "id").prefetch_related("roles", "levels", "unit_kinds"))
    new_rules = EligibilityRule.objects.bulk_create(
        EligibilityRule(conference=clone, **{name: getattr(rule, name) for name in _RULE_FIELDS})
        for rule in rules
    )
    for old, new in zip(rules, new_rules, strict=True):
        new.roles.set(old.roles.all())
        new.levels.set(old.levels.all())
        new.unit_kinds.set(old.unit_kinds.all())

    materials = 0
    for material in conference.materials.order_by("id"):
        copy = Material(
            conference=clone,
            item=item_map.get(material.item_id),
            title=material.title,
            content_type=material.content_type,
            size=material.size,
            uploaded_by=material.uploaded_by,
        )
        with material.file.open("rb") as source:
            copy.file.save(PurePath(material.file.name).name, File(source), save=False)
        copy.save()
        materials += 1

    audit(
        actor=actor,
        type="conferences.conference.cloned",
        obj=clone,
        unit_path=conference.organising_unit.path,
        source=conference.pk,
        programme_items=len(new_items),
        presenters=len(presenters),
        points=len(new_points),
        rules=len(new_rules),
        materials=materials,
        operators=operators,
    )
    return clone
