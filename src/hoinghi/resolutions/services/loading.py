"""Loading many units' values of a period at once: the demo's generated years, or the figures of
the years before the system. Not for entry (no rules, no per-value audit): a period whose values
are loaded must hold none of the data set's values yet.

The rows are written without the ORM's per-object work (`bulk.rows_insert`): the ORM's
bulk_create spent nine tenths of the demo's time building SQL for 160,000 values a year. The
roll-ups are rebuilt by the database (`rollups_recompute`), once per period or once at the end
of a load of many (`recompute=False`).
"""

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.core.models import audit
from hoinghi.core.permissions import require
from hoinghi.resolutions.errors import ResolutionsError, ResolutionsErrorCode
from hoinghi.resolutions.models import (
    DataSet,
    DataSetPeriod,
    DataValue,
    Period,
    Submission,
    SubmissionState,
    ValueUpload,
)
from hoinghi.resolutions.selectors import Key, dataset_layout
from hoinghi.resolutions.services.bulk import rows_insert
from hoinghi.resolutions.services.recompute import rollups_recompute
from hoinghi.resolutions.services.values import period_check


@transaction.atomic
def datavalues_load(
    *,
    actor,
    dataset: DataSet,
    period: Period,
    values: Mapping[int, Mapping[Key, Decimal]],
    submitted: Mapping[int, tuple[str, object]] | None = None,
    recompute: bool = True,
) -> int:
    """Insert the values of many units (by unit id) for a period, then rebuild the period's
    roll-ups; `submitted` gives a unit's report state and time ({unit id: (state, when)}).
    With `recompute=False` the roll-ups are left for the caller, who loads several periods and
    then calls `rollups_recompute` once: until then the dashboards do not show these values.

    Requires `resolutions.manage` on the resolution's owner. Raises ResolutionsError(wrong_period;
    bad_value for a key the data set does not hold; locked when the period holds values already).
    Returns the number of values written.
    """
    require(actor, "resolutions.manage", dataset.resolution.owner)
    period_check(dataset=dataset, period=period)
    layout = dataset_layout(dataset)
    element_of = {element.code: element for element in layout.elements}
    if DataValue.objects.filter(period=period, element__in=layout.elements).exists():
        raise ResolutionsError(
            _("Kỳ %(period)s đã có số liệu: không nạp chồng lên được."),
            code=ResolutionsErrorCode.LOCKED,
            params={"period": str(period)},
        )
    now = timezone.now()
    rows = []
    for unit_id, unit_values in values.items():
        for key, value in unit_values.items():
            if key not in layout.columns:
                raise ResolutionsError(
                    _("Bộ báo cáo không có chỉ số %(key)s."),
                    code=ResolutionsErrorCode.BAD_VALUE,
                    params={"key": ":".join(key).rstrip(":")},
                )
            rows.append((unit_id, period.pk, element_of[key[0]].pk, key[1], value, "", now, now))
    rows_insert(
        DataValue,
        ["unit_id", "period_id", "element_id", "option", "value", "comment", "created_at", "updated_at"],
        rows,
    )
    approved = SubmissionState.APPROVED
    rows_insert(
        Submission,
        [
            "dataset_id",
            "unit_id",
            "period_id",
            "state",
            "is_locked",
            "submitted_at",
            "decided_at",
            "comment",
            "created_at",
            "updated_at",
        ],
        (
            (
                dataset.pk,
                unit_id,
                period.pk,
                state,
                state == approved,
                when if state != SubmissionState.DRAFT else None,
                now if state == approved else None,
                "",
                now,
                now,
            )
            for unit_id, (state, when) in (submitted or {}).items()
        ),
    )
    if recompute:
        rollups_recompute(actor=actor, period=period)
    audit(
        actor=actor,
        type="resolutions.value.loaded",
        obj=dataset,
        unit_path=dataset.resolution.owner.path,
        period=period.code,
        values=len(rows),
    )
    return len(rows)


@transaction.atomic
def datavalues_unload(*, actor, dataset: DataSet, period: Period) -> int:
    """Remove every value, report, upload and the window of a data set's period, then rebuild
    the period's roll-ups: the inverse of `datavalues_load`, for a demo's replay run again or a
    load made by mistake; never for reports units sent in earnest. Requires
    `resolutions.manage` on the resolution's owner; audited. Returns the values removed."""
    require(actor, "resolutions.manage", dataset.resolution.owner)
    values = DataValue.objects.filter(period=period, element__in=dataset.elements.all())
    removed = values.count()
    values.delete()
    Submission.objects.filter(dataset=dataset, period=period).delete()
    ValueUpload.objects.filter(dataset=dataset, period=period).delete()
    DataSetPeriod.objects.filter(dataset=dataset, period=period).delete()
    rollups_recompute(actor=actor, period=period)
    audit(
        actor=actor,
        type="resolutions.value.unloaded",
        obj=dataset,
        unit_path=dataset.resolution.owner.path,
        period=period.code,
        values=removed,
    )
    return removed
