"""Background work of the orgs app: checking and applying imported files.

Each task loads the job by id and calls one service. A task is not retried: an apply that
broke off has rolled back, and the user decides whether to try again. Whatever goes wrong is
written on the job, so the page that polls it can say so.
"""

import logging

from django.tasks import task
from django.utils.translation import gettext as _

from hoinghi.core.errors import DomainError
from hoinghi.orgs import services
from hoinghi.orgs.models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)


def _job(job_id: int) -> ImportJob | None:
    return ImportJob.objects.select_related("scope_unit", "created_by").filter(pk=job_id).first()


def _run(job_id: int, service, expected: set[str]) -> None:
    job = _job(job_id)
    if job is None or job.status not in expected:
        logger.info("import job %s: nothing to do (status %s)", job_id, getattr(job, "status", "deleted"))
        return
    try:
        service(job=job)
    except Exception as error:
        logger.exception("import job %s failed", job_id)
        # A refusal of the domain says why in the user's words; anything else (a database error,
        # a bug) is for the log, and the page only says that the system failed.
        reason = (
            error.message
            if isinstance(error, DomainError)
            else _("lỗi hệ thống, đã được ghi lại để cán bộ kỹ thuật xử lý")
        )
        services.import_job_fail(job=_job(job_id), reason=reason)
        raise


@task()
def import_check(job_id: int) -> None:
    """Read and check an uploaded file; the job then holds the preview."""
    _run(job_id, services.import_job_check, {ImportStatus.PENDING, ImportStatus.CHECKING})


@task()
def import_apply(job_id: int) -> None:
    """Write a checked file all-or-nothing."""
    _run(job_id, services.import_job_apply, {ImportStatus.APPLYING})
