"""Django's Redis cache with one connection pool per process.

Under ASGI every request runs in its own context, and Django keeps cache objects per context: the
stock `RedisCache` therefore builds a new connection pool, and opens a new connection to Redis
(name lookup, TCP handshake), for each request that touches the cache — a check-in does twice.
Here the pools live at module level, shared by every cache object of the process, and so do
the clients over them: Django makes a `redis.Redis` per command, whose constructor fills a table
of some 200 response callbacks (a third of a millisecond per check-in); a client is thread-safe
and holds no connection of its own, so one per pool serves every thread."""

import math
import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_pools: dict = {}
_clients: dict = {}  # pool -> the redis.Redis over it
_lock = threading.Lock()


class SharedPoolRedisCacheClient(RedisCacheClient):
    def _get_connection_pool(self, write):
        index = self._get_connection_pool_index(write)
        key = (self._servers[index], self._pool_class, repr(sorted(self._pool_options.items())))
        pool = _pools.get(key)
        if pool is None:
            with _lock:
                pool = _pools.get(key)
                if pool is None:
                    pool = _pools[key] = self._pool_class.from_url(self._servers[index], **self._pool_options)
        return pool

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = _clients.get(pool)
        if client is None:
            client = _clients.setdefault(pool, self._client(connection_pool=pool))
        return client


class SharedPoolRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedPoolRedisCacheClient

    def bump(self, key: str) -> int:
        """Add one to the counter at `key`, creating it at 1 with no expiry: one INCR, where
        Django's `incr` makes two round trips (EXISTS, INCRBY) and raises on a missing key. Redis
        keeps the number as the plain integer that `get` reads."""
        key = self.make_and_validate_key(key)
        return self._cache.get_client(key, write=True).incr(key)

    def locks_take(self, seconds_by_key: dict[str, float]) -> set[str]:
        """Take each lock nobody holds, for its number of seconds to the millisecond (SET NX PX),
        in one round trip and one MULTI: a process ticking at the same moment takes all or none of
        a batch, so the groups of one subject are not split between two processes."""
        if not seconds_by_key:
            return set()
        pipeline = self._cache.get_client(write=True).pipeline(transaction=True)
        for key, seconds in seconds_by_key.items():
            pipeline.set(self.make_and_validate_key(key), 1, nx=True, px=max(1, round(seconds * 1000)))
        return {key for key, taken in zip(seconds_by_key, pipeline.execute(), strict=True) if taken}


# The two functions below take `django.core.cache.cache` as well as a backend: that is a proxy to
# the backend of the current context, which `isinstance` does not see through, so they ask for the
# method instead (the proxy forwards attributes).


def locks_take(cache, seconds_by_key: dict[str, float]) -> set[str]:
    """Take each lock of `seconds_by_key` (key -> seconds to hold it) that nobody holds; return the
    keys taken. On Redis, to the millisecond (`SharedPoolRedisCache.locks_take`); other caches
    (the demo's files) keep timeouts in whole seconds, so there a lock lasts the seconds rounded up."""
    if take := getattr(cache, "locks_take", None):
        return take(seconds_by_key)
    return {key for key, seconds in seconds_by_key.items() if cache.add(key, 1, timeout=math.ceil(seconds))}


def counter_bump(cache, key: str) -> int:
    """`SharedPoolRedisCache.bump` on any cache: the demo's file cache has no atomic increment
    that creates a key, so there it is `incr`, or `set` the first time."""
    if bump := getattr(cache, "bump", None):
        return bump(key)
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=None)
        return 1


class Outage:
    """Redis being away, as this process sees it: the first failure of an outage is logged as one
    warning (no traceback: it is an outage, not a bug), later failures are quiet, and the first
    success after it logs that Redis is back. Sessions, the live layer and the consumers all report
    through `redis_outage`, so an outage costs the log one warning per process, not one a request."""

    def __init__(self, logger_name: str = "hoinghi.redis"):
        import logging

        self.logger = logging.getLogger(logger_name)
        self.down = False
        self._lock = threading.Lock()

    def failed(self, what: str, error: BaseException) -> None:
        with self._lock:
            if self.down:
                return
            self.down = True
        self.logger.warning(
            "Redis unavailable (%s: %s: %s): sessions come from the database and pages poll until it is back",
            what,
            type(error).__name__,
            error,
        )

    def succeeded(self) -> None:
        if self.down:
            with self._lock:
                was, self.down = self.down, False
            if was:
                self.logger.warning("Redis is back")


redis_outage = Outage()
