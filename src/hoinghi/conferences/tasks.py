"""Background work of conferences: sending the queued invitation e-mails and SMS, the one-time
passwords of operator accounts.

The task loads the conference by id and calls one service, which records on every message
whether it went or why not. It is not retried by itself: a failed message waits on the outbox
page for an organiser to try again (a wrong address would fail forever otherwise).
"""

import logging

from django.tasks import task
from django.utils.translation import gettext as _

from hoinghi.accounts.models import User
from hoinghi.conferences import services
from hoinghi.conferences.models import Conference, InvitationPrint, PrintStatus
from hoinghi.core.errors import DomainError

logger = logging.getLogger(__name__)


@task()
def outbox_send(conference_id: int) -> dict[str, int]:
    """Send every queued message of the conference, in batches."""
    conference = Conference.objects.filter(pk=conference_id).first()
    if conference is None:
        logger.info("outbox of conference %s: the conference is gone", conference_id)
        return {"sent": 0, "failed": 0}
    summary = services.outbox_send(conference=conference)
    logger.info("outbox of conference %s: %s", conference_id, summary)
    return summary


@task()
def operator_credentials_email(conference_id: int, user_ids: list[int], actor_id: int | None = None) -> dict:
    """E-mail their one-time passwords to the operator accounts just made (the password is made
    here, never passed in: task arguments are stored)."""
    conference = Conference.objects.filter(pk=conference_id).first()
    if conference is None:
        return {"sent": 0, "failed": 0}
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    summary = services.operator_credentials_email(conference=conference, user_ids=user_ids, actor=actor)
    logger.info("operator accounts of conference %s e-mailed: %s", conference_id, summary)
    return summary


@task()
def invitation_print_build(print_id: int) -> None:
    """Draw a point's invitations into one file; a failure is written on the print, so that the
    point's page says so, and not retried (the organiser asks again)."""
    job = (
        InvitationPrint.objects.select_related("conference", "point__unit", "requested_by")
        .filter(pk=print_id)
        .first()
    )
    if job is None or job.status not in (PrintStatus.QUEUED, PrintStatus.RUNNING):
        logger.info("invitation print %s: nothing to do", print_id)
        return
    try:
        services.invitation_print_build(job=job)
    except Exception as error:
        logger.exception("invitation print %s failed", print_id)
        reason = (
            error.message
            if isinstance(error, DomainError)
            else _("lỗi hệ thống, đã được ghi lại để cán bộ kỹ thuật xử lý")
        )
        services.invitation_print_fail(job=job, reason=reason)
        raise


@task()
def sms_send(conference_id: int) -> dict[str, int]:
    """Send every queued SMS of the conference, in batches; the counts so far are logged after
    each batch (the page shows them from the messages' states, committed batch by batch)."""
    conference = Conference.objects.filter(pk=conference_id).first()
    if conference is None:
        logger.info("SMS of conference %s: the conference is gone", conference_id)
        return {"sent": 0, "failed": 0}

    def progress(sent: int, failed: int) -> None:
        logger.info("SMS of conference %s: %s sent, %s failed so far", conference_id, sent, failed)

    summary = services.sms_send(conference=conference, progress=progress)
    logger.info("SMS of conference %s: %s", conference_id, summary)
    return summary
