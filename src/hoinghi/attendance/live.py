"""Coalescing of live updates: many changes in a second become one snapshot per audience.

`conference_changed` only records that something changed (a cache key per conference); the
broadcaster (see `broadcast_due`) sends the snapshots at most once a second. Kept free of the
channel layer here so that services stay synchronous and never fail because Redis is away.
"""

import time

from django.core.cache import cache

DIRTY_KEY = "live:dirty:{conference_id}"
VERSION_KEY = "live:version:{conference_id}"


def conference_changed(conference_id: int, topic: str) -> None:
    """Note a change; never raises (a dashboard that misses it catches up by polling)."""
    try:
        cache.set(DIRTY_KEY.format(conference_id=conference_id), time.time(), timeout=3600)
        try:
            cache.incr(VERSION_KEY.format(conference_id=conference_id))
        except ValueError:
            cache.set(VERSION_KEY.format(conference_id=conference_id), 1, timeout=None)
    except Exception:  # noqa: BLE001 - the cache (Redis) being away must not fail a check-in
        pass


def conference_version(conference_id: int) -> int:
    """A number that grows with every change: pollers compare it to skip unchanged snapshots."""
    try:
        return int(cache.get(VERSION_KEY.format(conference_id=conference_id)) or 0)
    except Exception:  # noqa: BLE001
        return 0
