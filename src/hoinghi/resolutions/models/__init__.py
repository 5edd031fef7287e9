"""The resolution's structure, its data elements and indicators (`structure`), and the periodic
reports that feed them: data sets, periods, values, submissions and roll-ups (`reporting`), and
the counts of units and reports kept per subtree beside them (`counts`)."""

from hoinghi.resolutions.models.counts import ReportCount, UnitCount
from hoinghi.resolutions.models.programmes import ActionItem, ActionProgramme, ItemStatus, Progress
from hoinghi.resolutions.models.reporting import (
    DataSet,
    DataValue,
    Period,
    Periodicity,
    RollUp,
    Submission,
    SubmissionState,
    ValueUpload,
    ValueUploadStatus,
)
from hoinghi.resolutions.models.structure import (
    DataElement,
    DataElementOption,
    Direction,
    Indicator,
    ItemKind,
    Operator,
    Resolution,
    ResolutionItem,
    Source,
    ValidationRule,
)
from hoinghi.resolutions.models.windows import (
    DataSetPeriod,
    EntryReopening,
    ReminderKind,
    ReminderStatus,
    ReportReminder,
)

__all__ = [
    "ActionItem",
    "ActionProgramme",
    "DataElement",
    "DataElementOption",
    "DataSet",
    "DataSetPeriod",
    "DataValue",
    "Direction",
    "EntryReopening",
    "Indicator",
    "ItemStatus",
    "ItemKind",
    "Operator",
    "Period",
    "Periodicity",
    "Progress",
    "ReminderKind",
    "ReminderStatus",
    "ReportCount",
    "ReportReminder",
    "Resolution",
    "ResolutionItem",
    "RollUp",
    "Source",
    "Submission",
    "SubmissionState",
    "UnitCount",
    "ValidationRule",
    "ValueUpload",
    "ValueUploadStatus",
]
