"""Background work of resolutions: the reminders to units that have not sent a period's report.

`reminders_remind` is the daily job (`hoinghi resolutions-remind` enqueues it, or runs it at once
with --now): it queues the reminders due today and sends them. Both halves are idempotent: a
reminder is queued once, and a sent one is never sent again.
"""

import logging

from django.tasks import task

from hoinghi.resolutions import services

logger = logging.getLogger(__name__)


@task()
def reminders_remind() -> int:
    """Queue today's reminders (their sending follows on commit)."""
    queued = services.reminders_queue()
    logger.info("resolution reminders: %s queued", queued)
    return queued


@task()
def reminders_send() -> dict[str, int]:
    """Send every queued reminder, in batches."""
    summary = services.reminders_send()
    logger.info("resolution reminders: %s", summary)
    return summary
