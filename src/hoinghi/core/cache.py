"""Django's Redis cache with one connection pool per process.

Under ASGI every request runs in its own context, and Django keeps cache objects per context: the
stock `RedisCache` therefore builds a new connection pool, and opens a new connection to Redis
(name lookup, TCP handshake), for each request that touches the cache — a check-in does twice.
Here the pools live at module level, shared by every cache object of the process, and so do
the clients over them: Django makes a `redis.Redis` per command, whose constructor fills a table
of some 200 response callbacks (a third of a millisecond per check-in); a client is thread-safe
and holds no connection of its own, so one per pool serves every thread."""

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


def counter_bump(cache, key: str) -> int:
    """`SharedPoolRedisCache.bump` on any cache: the demo's file cache has no atomic increment
    that creates a key, so there it is `incr`, or `set` the first time."""
    if isinstance(cache, SharedPoolRedisCache):
        return cache.bump(key)
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
