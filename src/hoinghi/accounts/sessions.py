"""Sessions kept in the database and cached in Redis (SESSION_ENGINE when REDIS_URL is set).

Every request of a signed-in user reads its session: from Redis that is one GET instead of a
database query, which matters most for the check-in API (a device posts each scan on its own).
Django's `cached_db` already falls back to the database when a read from the cache fails, but
it then writes the session back to the cache without catching the error: with Redis away every
signed-in request would fail. Here a cache that is away is a miss on read and a lost write: the
database, which is always written first, stays the reference.

Deleting fails the same way (signing in deletes the session it replaces, signing out the
session): Django then raises, so nobody could sign in or out while Redis is away. Here it is
logged, and a session's copy in the cache lives at most `CACHED_FOR` (not the two weeks of the
session): a copy whose deletion was lost (Redis keeping its data across the outage) outlives a
sign-out by that much at most.
"""

import logging

from django.contrib.sessions.backends import cached_db

from hoinghi.core.cache import redis_outage

logger = logging.getLogger(__name__)

CACHED_FOR = 300  # seconds; then read again from the database (once per device and 5 minutes)


class _CacheOrMiss:
    """The session cache, where Redis being away reads as a miss and loses writes."""

    def __init__(self, cache):
        self.cache = cache

    def get(self, key, default=None):
        try:
            value = self.cache.get(key, default)
            redis_outage.succeeded()
            return value
        except Exception as error:  # noqa: BLE001 - Redis away: read the session from the database
            redis_outage.failed("sessions: cache unavailable on read", error)
            return default

    async def aget(self, key, default=None):
        try:
            return await self.cache.aget(key, default)
        except Exception as error:  # noqa: BLE001
            redis_outage.failed("sessions: cache unavailable on read", error)
            return default

    def set(self, key, value, timeout=None):
        try:
            self.cache.set(key, value, _capped(timeout))
        except Exception as error:  # noqa: BLE001 - the database holds the session
            redis_outage.failed("sessions: cache unavailable on write", error)

    async def aset(self, key, value, timeout=None):
        try:
            await self.cache.aset(key, value, _capped(timeout))
        except Exception as error:  # noqa: BLE001
            redis_outage.failed("sessions: cache unavailable on write", error)

    def __contains__(self, key) -> bool:
        try:
            return key in self.cache
        except Exception:  # noqa: BLE001 - `exists` then asks the database
            return False

    def delete(self, key):
        try:
            self.cache.delete(key)
        except Exception as error:  # noqa: BLE001 - the copy expires within CACHED_FOR
            redis_outage.failed("sessions: cache unavailable, a deleted session stays cached", error)

    async def adelete(self, key):
        try:
            await self.cache.adelete(key)
        except Exception as error:  # noqa: BLE001
            redis_outage.failed("sessions: cache unavailable, a deleted session stays cached", error)


def _capped(timeout):
    return CACHED_FOR if timeout is None else min(timeout, CACHED_FOR)


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _CacheOrMiss(self._cache)
