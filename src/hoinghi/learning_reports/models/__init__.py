"""The models of learning reports: writing (reports.py) and marking (marking.py)."""

from hoinghi.learning_reports.models.marking import (  # noqa: F401
    DEFAULT_BAND_THRESHOLDS,
    LIVE_MARKING_STATES,
    BandThreshold,
    Criterion,
    CriterionLevel,
    FlagStatus,
    GradeBand,
    Marking,
    MarkingRound,
    MarkingState,
    Score,
    SimilarityFlag,
    SimilarityRun,
    SimilarityRunStatus,
    VersionShingles,
)
from hoinghi.learning_reports.models.reports import *  # noqa: F403
from hoinghi.learning_reports.models.reports import (  # noqa: F401
    REQUIRED_SECTIONS,
    SECTION_LEARNED,
    SECTION_PLANS,
    WRITABLE_STATES,
    default_sections,
)
