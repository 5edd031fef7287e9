"""Writes of learning reports: the assignment (organisers), the report (its writer, through the
personal link), the notes. One module per part; import from here."""

from hoinghi.learning_reports.services.assignments import assignment_create, assignment_update  # noqa: F401
from hoinghi.learning_reports.services.marking import (  # noqa: F401
    band_thresholds,
    marking_save,
    report_return,
    reports_allocate,
    results_release,
    rubric_maximum,
)
from hoinghi.learning_reports.services.notes import NOTE_MAX_CHARS, note_save  # noqa: F401
from hoinghi.learning_reports.services.reminders import (  # noqa: F401
    reminder_recipients,
    reminders_automatic,
    reminders_send,
)
from hoinghi.learning_reports.services.reports import (  # noqa: F401
    PLANS_MAX,
    SECTION_MAX_CHARS,
    report_draft_save,
    report_submit,
    report_upload,
)
from hoinghi.learning_reports.services.rubric import rubric_set  # noqa: F401
