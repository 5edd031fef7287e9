"""The resolution's structure, its data elements and indicators (`structure`), and the periodic
reports that feed them: data sets, periods, values, submissions and roll-ups (`reporting`)."""

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

__all__ = [
    "ActionItem",
    "ActionProgramme",
    "DataElement",
    "DataElementOption",
    "DataSet",
    "DataValue",
    "Direction",
    "Indicator",
    "ItemStatus",
    "ItemKind",
    "Operator",
    "Period",
    "Periodicity",
    "Progress",
    "Resolution",
    "ResolutionItem",
    "RollUp",
    "Source",
    "Submission",
    "SubmissionState",
    "ValidationRule",
    "ValueUpload",
    "ValueUploadStatus",
]
