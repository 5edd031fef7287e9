"""Background work of resolutions: the daily reminder of overdue action items.

The task calls the service, which picks the items itself (no ids to load: "every item overdue
today"). It is not retried: an item whose e-mail failed stays unmarked and the next day's run
tries it again.
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
