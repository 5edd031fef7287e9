"""Counts kept per subtree beside the roll-ups, so that a dashboard reads a few rows whatever the
size of the subtree: how many units of each kind it holds (the denominators "per grassroots
union", the units expected to report), and how many of its units' reports of a period were
sent and approved (completeness and timeliness).

Both are keyed by the kind of the unit counted, never by its level: a level is read through its
kinds (`UnitKind.level`), so re-assigning a kind to another level changes no stored count, and a
data set's reporting units (kinds or levels, `dataset_unit_q`) are chosen when the counts are
read. Kept current in the transaction of every service that changes them (`services/counts.py`);
`rollups_recompute` rebuilds them from scratch.
"""

from django.db import models


class UnitCount(models.Model):
    """How many units of `kind` lie in `unit`'s subtree, the unit itself included."""

    SCOPE_PATH = "unit__path"

    # Indexed by the unique constraint, which starts with it.
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.ForeignKey("orgs.UnitKind", on_delete=models.CASCADE, related_name="+")
    units = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="resolutions_unitcount_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.kind_id}: {self.units}"


class ReportCount(models.Model):
    """The reports of a data set's period sent (submitted or approved) by the units of `kind` in
    `unit`'s subtree on the local day `submitted_on`, and how many of those are approved.

    The day, not an "on time" flag: whether a report was on time depends on the period's window
    and the data set's `due_days`, which may change after it was sent; a report is on time when
    its day is at most the due day, so the count of those is a sum over the days.
    """

    SCOPE_PATH = "unit__path"

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+", db_index=False)
    dataset = models.ForeignKey("resolutions.DataSet", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey("resolutions.Period", on_delete=models.CASCADE, related_name="+")
    kind = models.ForeignKey("orgs.UnitKind", on_delete=models.CASCADE, related_name="+")
    submitted_on = models.DateField()
    reported = models.PositiveIntegerField()
    approved = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "dataset", "period", "kind", "submitted_on"],
                name="resolutions_reportcount_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.dataset_id}/{self.period_id}/{self.kind_id}: {self.reported}"
