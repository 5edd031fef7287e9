"""Background work of learning reports: the copied-text check of a submitted version, and the
automatic reminders before the due date.

The task loads the version by id and calls the service; a version deleted meanwhile is nothing
to do. Not retried: the next submission of the assignment checks against it again."""

from django.tasks import task

from hoinghi.learning_reports.services.reminders import reminders_automatic
from hoinghi.learning_reports.services.similarity import version_similarity_check


@task()
def similarity_check(version_id: int) -> int:
    return len(version_similarity_check(version_id=version_id))


@task()
def reminders_automatic_send() -> dict[str, int]:
    """Send the automatic reminders that are due. Enqueued to run at an assignment's reminder
    time (services.assignments); running early, or a second time, sends nothing more."""
    return {str(pk): n for pk, n in reminders_automatic().items()}
