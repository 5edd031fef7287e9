"""Writes to the programme: items and their presenters."""

from django.db import transaction
from django.utils.translation import gettext as _

from hoinghi.conferences.errors import ConferenceError, ConferenceErrorCode
from hoinghi.conferences.models import (
    Conference,
    Presenter,
    ProgrammeItem,
)
from hoinghi.conferences.services._common import _PROGRAMME_OPEN, _require_stage, _validate
from hoinghi.core.models import audit
from hoinghi.core.permissions import require
from hoinghi.orgs.models import Person

# --- Programme -----------------------------------------------------------------------------------


@transaction.atomic
def programme_item_create(
    *,
    actor,
    conference: Conference,
    kind: str,
    title: str,
    planned_start=None,
    planned_end=None,
    order: int | None = None,
) -> ProgrammeItem:
    """Add an item at the end of the programme (or at `order`, shifting the ones after it)."""
    require(actor, "conferences.change", conference)
    _require_stage(conference, _PROGRAMME_OPEN, _("sửa chương trình"))
    items = ProgrammeItem.objects.select_for_update().filter(conference=conference).order_by("-order")
    last = items.first()
    end = (last.order + 1) if last else 1
    order = end if order is None or order > end else max(1, order)
    for item in items.filter(order__gte=order):  # from the end, so the unique order never clashes
        ProgrammeItem.objects.filter(pk=item.pk).update(order=item.order + 1)
    item = ProgrammeItem(
        conference=conference,
        order=order,
        kind=kind,
        title=title,
        planned_start=planned_start,
        planned_end=planned_end,
    )
    _validate(item)
    item.save()
    audit(
        actor=actor,
        type="conferences.programme_item.created",
        obj=item,
        unit_path=conference.organising_unit.path,
        order=order,
    )
    return item


@transaction.atomic
def programme_item_update(*, actor, item: ProgrammeItem, **changes) -> ProgrammeItem:
    require(actor, "conferences.change", item.conference)
    _require_stage(item.conference, _PROGRAMME_OPEN, _("sửa chương trình"))
    for name, value in changes.items():
        if name not in {"kind", "title", "planned_start", "planned_end"}:
            raise TypeError(name)
        setattr(item, name, value)
    _validate(item)
    item.save()
    audit(
        actor=actor,
        type="conferences.programme_item.updated",
        obj=item,
        unit_path=item.conference.organising_unit.path,
        fields=sorted(changes),
    )
    return item


@transaction.atomic
def programme_item_move(*, actor, item: ProgrammeItem, order: int) -> ProgrammeItem:
    """Put the item at position `order` (1-based), renumbering the others."""
    conference = item.conference
    require(actor, "conferences.change", conference)
    _require_stage(conference, _PROGRAMME_OPEN, _("sửa chương trình"))
    items = list(
        ProgrammeItem.objects.select_for_update().filter(conference=conference).order_by("order", "id")
    )
    moved = next(i for i in items if i.pk == item.pk)
    items.remove(moved)
    items.insert(max(0, min(order - 1, len(items))), moved)
    # Two passes so that the unique (conference, order) holds after every statement.
    for index, each in enumerate(items, start=1):
        ProgrammeItem.objects.filter(pk=each.pk).update(order=10_000 + index)
    for index, each in enumerate(items, start=1):
        ProgrammeItem.objects.filter(pk=each.pk).update(order=index)
    item.refresh_from_db()
    audit(
        actor=actor,
        type="conferences.programme_item.moved",
        obj=item,
        unit_path=conference.organising_unit.path,
        order=item.order,
    )
    return item


@transaction.atomic
def programme_item_delete(*, actor, item: ProgrammeItem) -> None:
    conference = item.conference
    require(actor, "conferences.change", conference)
    _require_stage(conference, _PROGRAMME_OPEN, _("sửa chương trình"))
    audit(
        actor=actor,
        type="conferences.programme_item.deleted",
        obj=item,
        unit_path=conference.organising_unit.path,
    )
    item.delete()
    for index, each in enumerate(
        ProgrammeItem.objects.filter(conference=conference).order_by("order", "id"), 1
    ):
        if each.order != index:
            ProgrammeItem.objects.filter(pk=each.pk).update(order=index)


def _position_title(person: Person) -> str:
    position = (
        person.positions.filter(end_date__isnull=True)
        .select_related("role", "unit")
        .order_by("role__sort_order", "id")
        .first()
    )
    return f"{position.role.name} {position.unit.name}" if position else ""


@transaction.atomic
def presenter_add(
    *, actor, item: ProgrammeItem, person: Person | None = None, guest_name: str = "", title: str = ""
) -> Presenter:
    """Name who delivers an item: a person of the tree (visible to the actor) or a guest.

    A person named without a title gets the one their current position gives ("Phó Chủ tịch
    Tổng Liên đoàn Lao động Việt Nam"): the programme print-out names every presenter with it."""
    require(actor, "conferences.change", item.conference)
    if person is not None:
        require(actor, "orgs.view", person)
        title = title.strip() or _position_title(person)
    order = item.presenters.count()
    presenter = Presenter(item=item, person=person, guest_name=guest_name, title=title, order=order)
    _validate(presenter)
    if person is None and not guest_name.strip():
        raise ConferenceError(
            _("Cần chọn một cán bộ hoặc nhập tên khách mời."), code=ConferenceErrorCode.INVALID
        )
    presenter.save()
    audit(
        actor=actor,
        type="conferences.presenter.added",
        obj=presenter,
        unit_path=item.conference.organising_unit.path,
        item=item.pk,
    )
    return presenter


@transaction.atomic
def presenter_remove(*, actor, presenter: Presenter) -> None:
    require(actor, "conferences.change", presenter.item.conference)
    audit(
        actor=actor,
        type="conferences.presenter.removed",
        obj=presenter,
        unit_path=presenter.item.conference.organising_unit.path,
    )
    presenter.delete()
