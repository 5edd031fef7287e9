"""A unit's action programme: making it, adding and changing its items, and recording where an
item stands with its evidence.

Every write requires `resolutions.plan` on the programme's unit (a unit's reporters and
organisers, or those of a unit above it); outside what the actor sees it is "not found". An
item's owner must be inside the programme's unit's subtree, and the part of the resolution it
serves must belong to the programme's resolution. Each write is one audit row.
"""

from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.core.errors import validate
from hoinghi.core.models import audit
from hoinghi.core.permissions import require
from hoinghi.orgs.models import Person, PositionRole, Unit
from hoinghi.resolutions.errors import ResolutionsError, ResolutionsErrorCode
from hoinghi.resolutions.models import (
    ActionItem,
    ActionProgramme,
    ItemStatus,
    Resolution,
    ResolutionItem,
)

_validate = partial(validate, error_class=ResolutionsError, code=ResolutionsErrorCode.BAD_VALUE)

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# What an evidence file may be, and how its first bytes begin (the name alone proves nothing).
EVIDENCE_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


@dataclass(frozen=True)
class Owner:
    """Who answers for an item: a person, or a unit (and optionally a role held there)."""

    person: Person | None = None
    unit: Unit | None = None
    role: PositionRole | None = None


@dataclass(frozen=True)
class Evidence:
    """A file sent as evidence: its name as the user gave it and its bytes."""

    name: str
    content: bytes


def _wrong_resolution() -> ResolutionsError:
    return ResolutionsError(
        _("Nội dung được chọn không thuộc nghị quyết của chương trình này."),
        code=ResolutionsErrorCode.WRONG_RESOLUTION,
    )


def _require_under(unit: Unit, path: str) -> None:
    if not unit.path.startswith(path):
        raise ResolutionsError(
            _("Người hoặc đơn vị phụ trách phải thuộc %(unit)s hoặc đơn vị trực thuộc."),
            code=ResolutionsErrorCode.OWNER_OUTSIDE,
            params={"unit": unit.name},
        )


def _check_parts(programme: ActionProgramme, serves: ResolutionItem, owner: Owner) -> None:
    if serves.resolution_id != programme.resolution_id:
        raise _wrong_resolution()
    unit = programme.unit
    if owner.person is not None:
        if not owner.person.unit.path.startswith(unit.path):
            raise ResolutionsError(
                _("Đồng chí %(person)s không thuộc %(unit)s hoặc đơn vị trực thuộc."),
                code=ResolutionsErrorCode.OWNER_OUTSIDE,
                params={"person": owner.person.full_name, "unit": unit.name},
            )
    elif owner.unit is not None:
        if not owner.unit.path.startswith(unit.path):
            raise ResolutionsError(
                _("%(owner)s không thuộc %(unit)s hoặc đơn vị trực thuộc."),
                code=ResolutionsErrorCode.OWNER_OUTSIDE,
                params={"owner": owner.unit.name, "unit": unit.name},
            )


def evidence_check(evidence: Evidence) -> str:
    """The file's extension once its name, size and first bytes agree; raises `ResolutionsError`
    `evidence_type`, `evidence_too_large` or `evidence_empty` with what to do."""
    suffix = PurePath(evidence.name).suffix.lower()
    allowed = ", ".join(sorted(EVIDENCE_SIGNATURES))
    if suffix not in EVIDENCE_SIGNATURES:
        raise ResolutionsError(
            _("Tệp “%(name)s” không dùng được làm minh chứng; hãy gửi tệp %(allowed)s."),
            code=ResolutionsErrorCode.EVIDENCE_TYPE,
            params={"name": evidence.name, "allowed": allowed},
        )
    if len(evidence.content) > EVIDENCE_MAX_BYTES:
        raise ResolutionsError(
            _("Tệp “%(name)s” quá lớn (%(size)s); giới hạn là %(limit)s."),
            code=ResolutionsErrorCode.EVIDENCE_TOO_LARGE,
            params={
                "name": evidence.name,
                "size": filesizeformat(len(evidence.content)),
                "limit": filesizeformat(EVIDENCE_MAX_BYTES),
            },
        )
    if not evidence.content:
        raise ResolutionsError(
            _("Tệp “%(name)s” rỗng (0 byte); hãy chọn lại tệp."),
            code=ResolutionsErrorCode.EVIDENCE_EMPTY,
            params={"name": evidence.name},
        )
    if not evidence.content.startswith(EVIDENCE_SIGNATURES[suffix]):
        raise ResolutionsError(
            _("Nội dung tệp “%(name)s” không phải là tệp %(kind)s như tên tệp ghi; hãy kiểm tra lại tệp."),
            code=ResolutionsErrorCode.EVIDENCE_TYPE,
            params={"name": evidence.name, "kind": suffix},
        )
    return suffix


@transaction.atomic
def programme_create(
    *, actor, resolution: Resolution, unit: Unit, title: str, adopted_on: date | None = None
) -> ActionProgramme:
    """The unit's action programme for `resolution`. Requires `resolutions.plan` on the unit; the
    unit must be under the resolution's owner (`wrong_resolution`); one per unit and resolution
    (`programme_exists`)."""
    require(actor, "resolutions.plan", unit)
    if not unit.path.startswith(resolution.owner.path):
        raise _wrong_resolution()
    if ActionProgramme.objects.filter(resolution=resolution, unit=unit).exists():
        raise ResolutionsError(
            _("%(unit)s đã có chương trình hành động thực hiện nghị quyết này."),
            code=ResolutionsErrorCode.PROGRAMME_EXISTS,
            params={"unit": unit.name},
        )
    programme = ActionProgramme(resolution=resolution, unit=unit, title=title.strip(), adopted_on=adopted_on)
    _validate(programme)
    programme.save()
    audit(
        actor=actor,
        type="resolutions.programme.created",
        obj=programme,
        unit_path=unit.path,
        resolution=resolution.pk,
    )
    return programme


@transaction.atomic
def action_item_create(
    *, actor, programme: ActionProgramme, text: str, serves: ResolutionItem, deadline: date, owner: Owner
) -> ActionItem:
    """Add an item at the end of the programme. Raises `ResolutionsError` `wrong_resolution`,
    `owner_outside`, `bad_value` (an empty text, no owner)."""
    require(actor, "resolutions.plan", programme)
    _check_parts(programme, serves, owner)
    # The programme's row is locked so that two items added at once get different numbers.
    ActionProgramme.objects.select_for_update(of=("self",)).filter(pk=programme.pk).order_by().first()
    last = programme.items.order_by("-number").values_list("number", flat=True).first() or 0
    item = ActionItem(
        programme=programme,
        number=last + 1,
        text=text.strip(),
        serves=serves,
        deadline=deadline,
        owner_person=owner.person,
        owner_unit=owner.unit,
        owner_role=owner.role if owner.unit is not None else None,
    )
    _validate(item, exclude=["evidence_file"])
    item.save()
    audit(
        actor=actor,
        type="resolutions.action_item.created",
        obj=item,
        unit_path=programme.unit.path,
        programme=programme.pk,
        serves=serves.pk,
        deadline=deadline.isoformat(),
    )
    return item


def _locked(item: ActionItem) -> ActionItem:
    return (
        ActionItem.objects.select_for_update(of=("self",)).select_related("programme__unit").get(pk=item.pk)
    )


@transaction.atomic
def action_item_update(
    *, actor, item: ActionItem, text: str, serves: ResolutionItem, deadline: date, owner: Owner
) -> ActionItem:
    """Change an item's text, the part it serves, its deadline or owner (its row locked). Moving
    the deadline of an overdue item makes it current again, and a reminder is due again if the
    new one passes too."""
    require(actor, "resolutions.plan", item)
    item = _locked(item)
    _check_parts(item.programme, serves, owner)
    before = {"text": item.text, "serves": item.serves_id, "deadline": item.deadline.isoformat()}
    item.text, item.serves, item.deadline = text.strip(), serves, deadline
    item.owner_person, item.owner_unit = owner.person, owner.unit
    item.owner_role = owner.role if owner.unit is not None else None
    _validate(item, exclude=["evidence_file"])
    item.save()
    after = {"text": item.text, "serves": item.serves_id, "deadline": item.deadline.isoformat()}
    audit(
        actor=actor,
        type="resolutions.action_item.changed",
        obj=item,
        unit_path=item.programme.unit.path,
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
    )
    return item


@transaction.atomic
def action_item_status_set(
    *,
    actor,
    item: ActionItem,
    status: str,
    evidence_text: str = "",
    evidence: Evidence | None = None,
    today: date | None = None,
) -> ActionItem:
    """Record where an item stands, with its evidence (text, and optionally a file that replaces
    the one before). "Done" needs evidence: a word or a file, given now or before
    (`evidence_required`); it is dated `today`. Another status clears the day. The row is locked,
    so two people recording at once are applied one after the other. Raises `ResolutionsError`:
    `bad_value` (an unknown status), `evidence_required`, and the `evidence_*` codes of
    `evidence_check`; nothing is written when it raises."""
    require(actor, "resolutions.plan", item)
    if status not in ItemStatus.values:
        raise ResolutionsError(
            _("Tình trạng “%(status)s” không có trong danh sách."),
            code=ResolutionsErrorCode.BAD_VALUE,
            params={"status": status},
        )
    suffix = evidence_check(evidence) if evidence is not None else None
    item = _locked(item)
    text = evidence_text.strip()
    has_evidence = bool(text or evidence is not None or item.evidence_text or item.evidence_file)
    if status == ItemStatus.DONE and not has_evidence:
        raise ResolutionsError(
            _("Việc đã hoàn thành cần có minh chứng: ghi kết quả hoặc gửi kèm tệp."),
            code=ResolutionsErrorCode.EVIDENCE_REQUIRED,
        )
    before = item.status
    item.status = status
    if status == ItemStatus.DONE:
        item.done_on = item.done_on if before == ItemStatus.DONE else (today or timezone.localdate())
    else:
        item.done_on = None
    if text:
        item.evidence_text = text
    _validate(item, exclude=["evidence_file"])
    if evidence is not None:
        # Stored under a name made from the item, never the one the user typed; written last,
        # after every check, so a refusal leaves no file behind.
        item.evidence_file.save(
            f"{item.programme.unit.code}-{item.pk}{suffix}", ContentFile(evidence.content), save=False
        )
        item.evidence_name = PurePath(evidence.name).name[:255]
    item.save()
    audit(
        actor=actor,
        type="resolutions.action_item.status_changed",
        obj=item,
        unit_path=item.programme.unit.path,
        before=before,
        after=status,
        evidence=bool(text),
        file=item.evidence_name if evidence is not None else "",
    )
    return item
