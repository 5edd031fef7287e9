"""Loading many units' values of a period at once: the demo's generated years, or the figures of
the years before the system. Not for entry (no rules, no per-value audit): a period whose values
are loaded must hold none of the data set's values yet."""

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoinghi.core.models import audit
from hoinghi.core.permissions import require
from hoinghi.resolutions.errors import ResolutionsError, ResolutionsErrorCode
from hoinghi.resolutions.models import DataSet, DataValue, Period, Submission, SubmissionState
from hoinghi.resolutions.selectors import Key, dataset_layout
from hoinghi.resolutions.services.rollups import rollups_recompute
from hoinghi.resolutions.services.values import period_check


@transaction.atomic
def datavalues_load(
    *,
    actor,
    dataset: DataSet,
    period: Period,
    values: Mapping[int, Mapping[Key, Decimal]],
    submitted: Mapping[int, tuple[str, object]] | None = None,
) -> int:
    """Insert the values of many units (by unit id) for a period, then rebuild the period's
    roll-ups; `submitted` gives a unit's report state and time ({unit id: (state, when)}).

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
    rows = []
    for unit_id, unit_values in values.items():
        for key, value in unit_values.items():
            if key not in layout.columns:
                raise ResolutionsError(
                    _("Bộ báo cáo không có chỉ số %(key)s."),
                    code=ResolutionsErrorCode.BAD_VALUE,
                    params={"key": ":".join(key).rstrip(":")},
                )
            rows.append(
                DataValue(
                    unit_id=unit_id, period=period, element=element_of[key[0]], option=key[1], value=value
                )
            )
    DataValue.objects.bulk_create(rows, batch_size=1000)
    now = timezone.now()
    Submission.objects.bulk_create(
        [
            Submission(
                dataset=dataset,
                unit_id=unit_id,
                period=period,
                state=state,
                is_locked=state == SubmissionState.APPROVED,
                submitted_at=when if state != SubmissionState.DRAFT else None,
                decided_at=now if state == SubmissionState.APPROVED else None,
            )
            for unit_id, (state, when) in (submitted or {}).items()
        ],
        batch_size=1000,
    )
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
