"""Background work of learning reports: the copied-text check of a submitted version.

The task loads the version by id and calls the service; a version deleted meanwhile is nothing
to do. Not retried: the next submission of the assignment checks against it again."""

from django.tasks import task

from hoinghi.learning_reports.services.similarity import version_similarity_check


@task()
def similarity_check(version_id: int) -> int:
    return len(version_similarity_check(version_id=version_id))
