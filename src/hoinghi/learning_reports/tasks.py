"""Background work of learning reports: the copied-text check of a submitted version, and the
pass over a whole assignment an organiser asks for.

Each task loads an id and calls the service; a version or run deleted meanwhile is nothing to
do. Not retried: the next submission checks against the version again, and a failed pass is
marked failed on its row (with the error) for the organiser to start again.
"""

from django.tasks import task

from hoinghi.learning_reports.services.similarity import similarity_run as similarity_run_do
from hoinghi.learning_reports.services.similarity import version_similarity_check


@task()
def similarity_check(version_id: int) -> int:
    return len(version_similarity_check(version_id=version_id))


@task()
def similarity_run(run_id: int) -> int:
    run = similarity_run_do(run_id=run_id)
    return run.flags if run is not None else 0
