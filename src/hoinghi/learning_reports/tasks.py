"""Background work of learning reports: the copied-text check of a submitted version, the
copied-text pass over a whole assignment an organiser asks for, and the automatic reminders
before the due date.

Each task loads an id and calls the service; a version or run deleted meanwhile is nothing to
do. Not retried: the next submission checks against the version again, and a failed pass is
marked failed on its row (with the error) for the organiser to start again.
"""

from django.tasks import task

from hoinghi.learning_reports.services.reminders import reminders_automatic
from hoinghi.learning_reports.services.similarity import similarity_run as similarity_run_do
from hoinghi.learning_reports.services.similarity import version_similarity_check


@task()
def similarity_check(version_id: int) -> int:
    return len(version_similarity_check(version_id=version_id))


@task()
def reminders_automatic_send() -> dict[str, int]:
    """Send the automatic reminders that are due. Enqueued to run at an assignment's reminder
    time (services.assignments); running early, or a second time, sends nothing more."""
    return {str(pk): n for pk, n in reminders_automatic().items()}


@task()
def similarity_run(run_id: int) -> int:
    run = similarity_run_do(run_id=run_id)
    return run.flags if run is not None else 0
