"""Background work of resolutions: the daily reminders (`hoinghi resolutions-remind`).

- `overdue_remind`: overdue action items, an e-mail to whoever answers for each, once per
  deadline. The service picks the items itself ("every item overdue today"); not retried: an item
  whose e-mail failed stays unmarked and the next day's run tries it again.
- `reminders_remind` / `reminders_send`: the units that have not sent a period's report (a few
  days before the close and on the closing day). Both halves are idempotent: a reminder is queued
  once, and a sent one is never sent again.
"""

import logging

from django.tasks import task

from hoinghi.resolutions import services

logger = logging.getLogger(__name__)


@task()
def overdue_remind() -> dict[str, int]:
    summary = services.action_items_overdue_remind()
    logger.info("overdue action items reminded: %s", summary)
    return summary


@task()
def reminders_remind() -> int:
    """Queue today's reminders of reports (their sending follows on commit)."""
    queued = services.reminders_queue()
    logger.info("resolution reminders: %s queued", queued)
    return queued


@task()
def reminders_send() -> dict[str, int]:
    """Send every queued reminder of reports, in batches."""
    summary = services.reminders_send()
    logger.info("resolution reminders: %s", summary)
    return summary
