"""Writes of the resolutions app, by part: `structure` (a resolution, its elements, indicators,
rules, data sets and periods), `values` (a unit's entry), `submissions` (the way up the tree),
`rollups` (the subtree totals), `uploads` (Excel files) and `programmes` (units' action
programmes). The public names are re-exported."""

from hoinghi.resolutions.services.loading import datavalues_load, datavalues_unload
from hoinghi.resolutions.services.programmes import (
    EVIDENCE_MAX_BYTES,
    Evidence,
    Owner,
    action_item_create,
    action_item_status_set,
    action_item_update,
    evidence_check,
    programme_create,
)
from hoinghi.resolutions.services.recompute import rollups_recompute
from hoinghi.resolutions.services.reminders import action_items_overdue_remind
from hoinghi.resolutions.services.rollups import rollups_add
from hoinghi.resolutions.services.structure import (
    dataset_create,
    element_create,
    indicator_create,
    period_ensure,
    resolution_create,
    rule_create,
)
from hoinghi.resolutions.services.submissions import (
    entry_reopen,
    submission_approve,
    submission_return,
    submission_submit,
    submission_unlock,
)
from hoinghi.resolutions.services.uploads import value_upload_apply, value_upload_check
from hoinghi.resolutions.services.values import datavalues_save
from hoinghi.resolutions.services.windows import (
    dataset_period_set,
    reminders_queue,
    reminders_send,
)

__all__ = [
    "EVIDENCE_MAX_BYTES",
    "Evidence",
    "Owner",
    "action_item_create",
    "action_items_overdue_remind",
    "action_item_status_set",
    "action_item_update",
    "dataset_create",
    "dataset_period_set",
    "datavalues_load",
    "datavalues_save",
    "datavalues_unload",
    "element_create",
    "entry_reopen",
    "evidence_check",
    "indicator_create",
    "period_ensure",
    "programme_create",
    "reminders_queue",
    "reminders_send",
    "resolution_create",
    "rollups_add",
    "rollups_recompute",
    "rule_create",
    "submission_approve",
    "submission_return",
    "submission_submit",
    "submission_unlock",
    "value_upload_apply",
    "value_upload_check",
]
