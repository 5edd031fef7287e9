"""Publishing a change: a topic's version grows by one, after the transaction commits.

A publish carries no payload: the live views of the topic compute a fresh snapshot (coalesced
to one a second per audience, `broadcasting`), so a service only says *that* something changed.
It is one round trip to the cache (Redis) and never raises: a check-in must not wait for, or fail
because of, the live layer; a dashboard that misses a change catches up by polling.
"""

import logging
from functools import partial

from django.core.cache import cache
from django.db import transaction

from hoinghi.core.cache import counter_bump, redis_outage

logger = logging.getLogger("hoinghi.core.live")

VERSION_KEY = "live:version:{topic}"


def publish(topic: str) -> None:
    """Note a change of `topic` now. Services call `publish_on_commit` instead."""
    try:
        counter_bump(cache, VERSION_KEY.format(topic=topic))
        redis_outage.succeeded()
    except Exception as error:  # noqa: BLE001 - the cache (Redis) being away must not fail the write
        redis_outage.failed(f"live: marking {topic} as changed", error)


def publish_on_commit(topic: str, *, using: str | None = None) -> None:
    """Note a change of `topic` once the current transaction commits (at once outside one).

    A transaction that rolls back publishes nothing, so no screen ever shows, even for a second,
    what the database never held (Zulip's `send_event_on_commit`)."""
    transaction.on_commit(partial(publish, topic), using=using)


def version(topic: str) -> int:
    """A number that grows with every change of `topic` (0 without the cache): snapshots carry it,
    pollers compare it to skip unchanged snapshots, updates name the one they follow (`base`)."""
    try:
        return int(cache.get(VERSION_KEY.format(topic=topic)) or 0)
    except Exception:  # noqa: BLE001
        return 0
