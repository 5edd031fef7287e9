"""Django's Redis cache with one connection pool per process.

Under ASGI every request runs in its own context, and Django keeps cache objects per context: the
stock `RedisCache` therefore builds a new connection pool, and opens a new connection to Redis
(name lookup, TCP handshake), for each request that touches the cache — a check-in does twice.
Here the pools live at module level, shared by every cache object of the process."""

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_pools: dict = {}
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


class SharedPoolRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedPoolRedisCacheClient
