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


def test_a_counter_is_bumped_in_one_round_trip_and_reads_back_as_a_number():
    from hoinghi.core.cache import counter_bump

    cache = caches["default"]
    cache.delete("hoinghi:test:counter")
    client = cache._cache.get_client("hoinghi:test:counter", write=True)
    sent = []
    original = client.execute_command
    client.execute_command = lambda *args, **options: sent.append(args[0]) or original(*args, **options)
    try:
        assert counter_bump(cache, "hoinghi:test:counter") == 1
        assert counter_bump(cache, "hoinghi:test:counter") == 2
    finally:
        del client.execute_command
    assert sent == ["INCRBY", "INCRBY"]
    assert cache.get("hoinghi:test:counter") == 2
    assert client.ttl(cache.make_and_validate_key("hoinghi:test:counter")) == -1  # never expires


def test_the_cache_proxy_of_django_bumps_in_one_round_trip_too():
    """`django.core.cache.cache`, which services use, is a proxy that `isinstance` does not see through."""
    from django.core.cache import cache as proxy

    from hoinghi.core.cache import counter_bump

    backend = caches["default"]
    backend.delete("hoinghi:test:proxied")
    client = backend._cache.get_client("hoinghi:test:proxied", write=True)
    sent = []
    original = client.execute_command
    client.execute_command = lambda *args, **options: sent.append(args[0]) or original(*args, **options)
    try:
        assert counter_bump(proxy, "hoinghi:test:proxied") == 1
    finally:
        del client.execute_command
    assert sent == ["INCRBY"]


def test_locks_are_taken_together_for_milliseconds_and_only_by_one_taker():
    from django.core.cache import cache as proxy

    from hoinghi.core.cache import locks_take

    backend = caches["default"]
    keys = {"hoinghi:test:lock:a": 0.3, "hoinghi:test:lock:b": 0.3}
    backend.delete_many(list(keys))
    assert locks_take(proxy, keys) == set(keys)
    assert locks_take(proxy, {**keys, "hoinghi:test:lock:c": 0.3}) == {"hoinghi:test:lock:c"}
    client = backend._cache.get_client(write=True)
    for key in keys:  # held for 300 ms, not rounded to a second
        assert 0 < client.pttl(backend.make_and_validate_key(key)) <= 300
    backend.delete_many([*keys, "hoinghi:test:lock:c"])
