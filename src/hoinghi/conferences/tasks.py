"""Background work of conferences: sending the queued invitation e-mails.

The task loads the conference by id and calls one service, which records on every message
whether it went or why not. It is not retried by itself: a failed message waits on the outbox
page for an organiser to try again (a wrong address would fail forever otherwise).
"""

import logging

from django.tasks import task

from hoinghi.conferences import services
from hoinghi.conferences.models import Conference

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
