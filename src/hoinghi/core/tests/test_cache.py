"""The Redis cache keeps one connection pool per process (core.cache)."""

import asyncio
import os

import pytest
from asgiref.sync import sync_to_async
from django.core.cache import caches

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="Redis only (REDIS_URL)")


def _pool_of_this_context():
    cache = caches["default"]
    cache.set("hoinghi:test:pool", 1, timeout=5)
    return cache._cache._get_connection_pool(True)


def test_every_request_context_uses_the_same_pool():
    async def two_requests():
        # Each ASGI request runs sync code in its own context, as these two calls do.
        return await asyncio.gather(
            sync_to_async(_pool_of_this_context, thread_sensitive=False)(),
            sync_to_async(_pool_of_this_context, thread_sensitive=False)(),
        )

    first, second = asyncio.run(two_requests())
    assert first is second
    assert first is _pool_of_this_context()
