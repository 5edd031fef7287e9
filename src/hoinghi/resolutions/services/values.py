"""Entering a unit's values for a period: parsed, checked against the validation rules, written
with the roll-ups of every ancestor in the same transaction, audited.

The form and the Excel upload share every step here: `values_parse` reads what was typed,
`values_check` applies the rules to what the unit would hold afterwards, and `values_write` writes
a batch of units at once (the upload's thousands of rows cost a few queries, not one per cell).
"""

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.core.models import audit_many
from hoinghi.core.permissions import require
from hoinghi.resolutions import events
from hoinghi.resolutions.errors import ResolutionsError, ResolutionsErrorCode
from hoinghi.resolutions.models import DataSet, DataValue, Operator, Period, Submission, ValidationRule
from hoinghi.resolutions.models.reporting import VALUE_DIGITS, VALUE_PLACES
from hoinghi.resolutions.selectors import Key, Layout, dataset_layout, key_label, unit_reports
from hoinghi.resolutions.services.bulk import rows_insert
from hoinghi.resolutions.services.rollups import rollups_add
from hoinghi.resolutions.services.windows import window_check

MAX_VALUE = Decimal(10) ** (VALUE_DIGITS - VALUE_PLACES)
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")  # "1.234.567": Vietnamese thousands
_COMPARE = {
    Operator.LTE: lambda a, b: a <= b,
    Operator.LT: lambda a, b: a < b,
    Operator.EQ: lambda a, b: a == b,
    Operator.GTE: lambda a, b: a >= b,
    Operator.GT: lambda a, b: a > b,
}


def value_parse(raw) -> Decimal | None:
    """A typed or read cell as a number: None for blank. Vietnamese writing is accepted
    ("1.234,5"; "1.234.567"); raises ValueError with the reason in Vietnamese."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError(_("không phải là số"))
    if isinstance(raw, int | float | Decimal):
        number = Decimal(str(raw))
    else:
        text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif _THOUSANDS.match(text):
            text = text.replace(".", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("không phải là số")) from None
    if not number.is_finite():
        raise ValueError(_("không phải là số"))
    if number < 0:
        raise ValueError(_("không được là số âm"))
    if number >= MAX_VALUE:
        raise ValueError(_("quá lớn"))
    if number != number.quantize(Decimal(1).scaleb(-VALUE_PLACES)):
        raise ValueError(_("chỉ được có tối đa 2 chữ số thập phân"))
    return number


def values_parse(
    layout: Layout, raw: Mapping[Key, object], *, unit
) -> tuple[dict[Key, Decimal | None], dict[Key, str]]:
    """The values of a form or a row by key, and the reason for each one that cannot be read.
    A blank cell of a column the unit does not report is left out; a filled one is an error."""
    values, errors = {}, {}
    for key, cell in raw.items():
        if key not in layout.columns:
            errors[key] = _("không có chỉ số này trong bộ báo cáo")
            continue
        try:
            value = value_parse(cell)
        except ValueError as error:
            errors[key] = str(error)
            continue
        if not layout.applies_to(key, unit):
            if value is not None:
                errors[key] = _("chỉ số này không áp dụng cho đơn vị cấp này")
            continue
        values[key] = value
    return values, errors


def values_check(rules: list[ValidationRule], values: Mapping[Key, Decimal]) -> dict[Key, str]:
    """The validation rules `values` (everything a unit would hold) break: {left key: message}.
    A rule is checked only when both its sides hold a value."""
    failures: dict[Key, str] = {}
    for rule in rules:
        left = values.get((rule.left_element.code, rule.left_option))
        right = values.get((rule.right_element.code, rule.right_option))
        if left is None or right is None or _COMPARE[rule.operator](left, right):
            continue
        key = (rule.left_element.code, rule.left_option)
        try:
            message = rule.message % {"left": _number(left), "right": _number(right)}
        except (KeyError, TypeError, ValueError):  # a message with a stray "%": shown as written
            message = rule.message
        failures[key] = f"{failures[key]}; {message}" if key in failures else message
    return failures


def _plain(value: Decimal) -> str:
    """A number as text without trailing zeros ("10", "2.5"), for the audit trail."""
    return format(value.normalize(), "f")


def _number(value: Decimal) -> str:
    return f"{value.normalize():,f}".replace(",", ".") if value == value.to_integral() else str(value)


def submissions_lock(*, dataset: DataSet, period: Period, unit_ids: list[int]) -> dict[int, Submission]:
    """The submissions of the units for the period, created as drafts when missing, locked in id
    order (`select_for_update`): whoever writes a unit's values holds its submission's row, so a
    submit or an approval cannot slip in between the check and the write."""
    Submission.objects.bulk_create(
        [Submission(dataset=dataset, unit_id=unit_id, period=period) for unit_id in unit_ids],
        ignore_conflicts=True,
        batch_size=500,
    )
    locked = Submission.objects.select_for_update().filter(
        dataset=dataset, period=period, unit_id__in=unit_ids
    )
    return {submission.unit_id: submission for submission in locked.order_by("pk")}


def stored_values(*, layout: Layout, period: Period, unit_ids: list[int]) -> dict[int, dict[Key, DataValue]]:
    """The stored values of the units for the data set's elements: {unit id: {key: value row}}."""
    rows = DataValue.objects.filter(
        period=period, unit_id__in=unit_ids, element_id__in=[element.pk for element in layout.elements]
    )
    code_of = {element.pk: element.code for element in layout.elements}
    stored: dict[int, dict[Key, DataValue]] = {unit_id: {} for unit_id in unit_ids}
    for row in rows:
        stored[row.unit_id][(code_of[row.element_id], row.option)] = row
    return stored


def merged(stored: Mapping[Key, DataValue], changes: Mapping[Key, Decimal | None]) -> dict[Key, Decimal]:
    """What a unit holds once `changes` are written (None removes a value)."""
    values = {key: row.value for key, row in stored.items()}
    for key, value in changes.items():
        if value is None:
            values.pop(key, None)
        else:
            values[key] = value
    return values


def values_write(
    *,
    actor,
    dataset: DataSet,
    period: Period,
    layout: Layout,
    units: Mapping[int, object],
    changes: Mapping[int, Mapping[Key, Decimal | None]],
    comments: Mapping[int, Mapping[Key, str]],
    stored: Mapping[int, Mapping[Key, DataValue]],
) -> int:
    """Write checked changes of several units (by unit id) and move the roll-ups; one audit row per
    unit that changed. The caller holds the units' submissions (`submissions_lock`). Returns the
    number of values created, changed or removed."""
    element_of = {element.code: element for element in layout.elements}
    created, updated, removed, trails = [], [], [], []
    deltas: dict[tuple, tuple[Decimal, int]] = {}
    for unit_id, unit_changes in changes.items():
        unit = units[unit_id]
        unit_comments = comments.get(unit_id, {})
        trail = []
        for key in sorted(set(unit_changes) | set(unit_comments)):
            row = stored.get(unit_id, {}).get(key)
            value = unit_changes.get(key, row.value if row else None)
            comment = unit_comments.get(key, row.comment if row else "")[:500]
            element = element_of[key[0]]
            before = row.value if row else None
            if value is None:
                if row is not None:
                    removed.append(row.pk)
                    deltas[(unit.path, period.pk, element.pk, key[1])] = (-before, -1)
                    trail.append([key_label(key), _plain(before), None])
                continue
            if row is None:
                # A row to insert, not a model instance: an upload makes 100,000 of them.
                created.append((unit_id, element.pk, key[1], value, comment))
                deltas[(unit.path, period.pk, element.pk, key[1])] = (value, 1)
                trail.append([key_label(key), None, _plain(value)])
            elif row.value != value or row.comment != comment:
                row.value, row.comment, row.changed_by = value, comment, actor
                updated.append(row)
                if before != value:
                    deltas[(unit.path, period.pk, element.pk, key[1])] = (value - before, 0)
                    trail.append([key_label(key), _plain(before), _plain(value)])
        if trail:
            # One audit row per unit, inserted together (`audit_many`): an upload of a
            # province's 5,000 units spent seconds on 5,000 single inserts.
            trails.append(
                (unit, unit.path, {"dataset": dataset.code, "period": period.code, "changes": trail})
            )
    audit_many(actor=actor, type="resolutions.value.changed", entries=trails)
    now = timezone.now()
    changed_by = actor.pk if getattr(actor, "pk", None) else None
    rows_insert(
        DataValue,
        [
            "unit_id",
            "period_id",
            "element_id",
            "option",
            "value",
            "comment",
            "changed_by_id",
            "created_at",
            "updated_at",
        ],
        (
            (unit_id, period.pk, element_id, option, value, comment, changed_by, now, now)
            for unit_id, element_id, option, value, comment in created
        ),
    )
    for row in updated:
        row.updated_at = now  # bulk_update does not run auto_now
    DataValue.objects.bulk_update(updated, ["value", "comment", "changed_by", "updated_at"], batch_size=500)
    DataValue.objects.filter(pk__in=removed).delete()
    rollups_add(deltas)
    # The submission's time is the version a form was read at (`datavalues_save`'s `version`).
    Submission.objects.filter(dataset=dataset, period=period, unit_id__in=list(changes)).update(
        updated_at=now
    )
    events.values_changed_on_commit(dataset.resolution_id)
    return len(created) + len(updated) + len(removed)


def period_check(*, dataset: DataSet, period: Period) -> None:
    """Refuse a period of another periodicity than the data set's."""
    if period.periodicity != dataset.periodicity:
        raise ResolutionsError(
            _("Kỳ %(period)s không phải là kỳ của bộ báo cáo này."),
            code=ResolutionsErrorCode.WRONG_PERIOD,
            params={"period": str(period)},
        )


def entry_check(*, dataset: DataSet, unit, period: Period) -> None:
    """Refuse a period of another periodicity and a unit that does not report the data set."""
    period_check(dataset=dataset, period=period)
    if not unit_reports(dataset=dataset, unit=unit):
        raise ResolutionsError(
            _("Đơn vị “%(unit)s” không báo cáo bộ số liệu này."),
            code=ResolutionsErrorCode.NOT_ASSIGNED,
            params={"unit": unit.name},
        )


def locked_error(submission: Submission) -> ResolutionsError:
    return ResolutionsError(
        _("Báo cáo kỳ này của đơn vị đang ở trạng thái “%(state)s”: không sửa được số liệu."),
        code=ResolutionsErrorCode.LOCKED,
        params={"state": submission.get_state_display()},
    )


@transaction.atomic
def datavalues_save(
    *,
    actor,
    dataset: DataSet,
    unit,
    period: Period,
    values: Mapping[Key, object],
    comments: Mapping[Key, str] | None = None,
    version: str | None = None,
) -> Submission:
    """Save a unit's values for a period: `values` by (element code, option code), each a number,
    a text typed in a form, or None/blank to remove it; `comments` beside them.

    `version` is the submission's `updated_at` the form was read at (ISO text): a form read before
    another save is refused as stale rather than overwriting it. Preconditions: the actor may
    enter the unit's data; the unit reports the data set; its submission is a draft or returned.

    Raises NotFoundError/PermissionDeniedError, ResolutionsError (wrong_period, not_assigned,
    locked, stale, bad_value, rule_failed: with `field_errors` keyed "CODE" or "CODE:OPTION").
    """
    require(actor, "resolutions.enter", unit)
    entry_check(dataset=dataset, unit=unit, period=period)
    window_check(dataset=dataset, unit=unit, period=period)
    layout = dataset_layout(dataset)
    submission = submissions_lock(dataset=dataset, period=period, unit_ids=[unit.pk])[unit.pk]
    if not submission.is_open:
        raise locked_error(submission)
    if version is not None and version != submission.updated_at.isoformat():
        raise ResolutionsError(
            _("Số liệu đã được người khác sửa sau khi anh/chị mở trang. Hãy tải lại trang rồi nhập lại."),
            code=ResolutionsErrorCode.STALE,
        )
    changes, errors = values_parse(layout, values, unit=unit)
    if errors:
        raise _field_errors(ResolutionsErrorCode.BAD_VALUE, _("Số liệu không hợp lệ: %(details)s"), errors)
    stored = stored_values(layout=layout, period=period, unit_ids=[unit.pk])
    failures = values_check(layout.rules, merged(stored[unit.pk], changes))
    if failures:
        raise _field_errors(ResolutionsErrorCode.RULE_FAILED, _("Số liệu chưa hợp lý: %(details)s"), failures)
    values_write(
        actor=actor,
        dataset=dataset,
        period=period,
        layout=layout,
        units={unit.pk: unit},
        changes={unit.pk: changes},
        comments={unit.pk: dict(comments or {})},
        stored=stored,
    )
    submission.refresh_from_db()
    return submission


def _field_errors(code: ResolutionsErrorCode, message: str, errors: Mapping[Key, str]) -> ResolutionsError:
    details = "; ".join(f"{key_label(key)}: {reason}" for key, reason in errors.items())
    return ResolutionsError(
        message,
        code=code,
        params={"details": details},
        field_errors={
            key_label(key): [{"code": str(code), "message": reason, "label": key_label(key)}]
            for key, reason in errors.items()
        },
    )
