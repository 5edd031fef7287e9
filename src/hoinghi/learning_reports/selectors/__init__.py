"""Reads of learning reports, one module per reader:

- `reports`: the assignment, who must write, the reports an organiser or viewer may read and
  their figures (`ACTION` scopes them);
- `writing`: what a writer reads through their personal link (the invitation their token named,
  nothing else);
- `marking`: a reviewer's queue and marking page (`MARK`), and the writer's results;
- `similarity`: copied text: reference texts, flags, a flag's two texts side by side.

Callers import the package (`from hoinghi.learning_reports import selectors`; `selectors.X`):
every public read is named here. The modules import each other directly, never this package.
"""

from hoinghi.learning_reports.selectors.marking import (
    MarkingPage,
    WriterResult,
    marking_get,
    marking_page,
    marking_queue,
    rubric_of,
    writer_result,
)
from hoinghi.learning_reports.selectors.reports import (
    ACTION,
    MARK,
    ReportCounts,
    assignment_of,
    is_required,
    report_counts,
    report_get,
    report_list,
    report_versions,
    reports_conference,
    required_condition,
    required_invitations,
)
from hoinghi.learning_reports.selectors.similarity import (
    REFERENCE_OF_ASSIGNMENT,
    FlagRow,
    SideBySide,
    SimilarityOverview,
    assignment_detector,
    boilerplate,
    flag_get,
    flag_side_by_side,
    flags_of_version,
    is_reviewing_flag,
    may_read_reports,
    reference_texts,
    similarity_overview,
    similarity_run_latest,
    version_text,
)
from hoinghi.learning_reports.selectors.writing import (
    NoteEntry,
    NotesSheet,
    conflicts_open,
    notes_of,
    notes_sheet,
    report_of,
    sections_in_order,
    writer_assignment,
    writer_item,
)

__all__ = [
    "ACTION",
    "MARK",
    "REFERENCE_OF_ASSIGNMENT",
    "FlagRow",
    "MarkingPage",
    "NoteEntry",
    "NotesSheet",
    "ReportCounts",
    "SideBySide",
    "SimilarityOverview",
    "WriterResult",
    "assignment_detector",
    "assignment_of",
    "boilerplate",
    "conflicts_open",
    "flag_get",
    "flag_side_by_side",
    "flags_of_version",
    "is_required",
    "is_reviewing_flag",
    "marking_get",
    "marking_page",
    "marking_queue",
    "may_read_reports",
    "notes_of",
    "notes_sheet",
    "reference_texts",
    "report_counts",
    "report_get",
    "report_list",
    "report_of",
    "report_versions",
    "reports_conference",
    "required_condition",
    "required_invitations",
    "rubric_of",
    "sections_in_order",
    "similarity_overview",
    "similarity_run_latest",
    "version_text",
    "writer_assignment",
    "writer_item",
    "writer_result",
]
