"""Coalescing of live updates: many changes in a moment become one snapshot per audience.

Services publish a topic on commit (`publishing`): that only bumps the topic's version in the
cache, so a check-in never waits for, or fails because of, the channel layer.

The `Broadcaster` runs as one asyncio task per server process, started by the first live
consumer and ended when the last one leaves. Every `TICK` it looks at the groups its consumers
joined (one group per view, subject and audience, see `registry.group_name`) and, for a group
whose topic changed (or whose last snapshot is older than `REFRESH_EVERY`, so that silent
points turn silent on screen), it claims the group for `MIN_INTERVAL` (a Redis lock to the
millisecond; every due group of the tick in one round trip, so the groups of one subject go to
one process). The process that wins computes the snapshots of all the groups of a subject it
claimed in one pass (`LiveView.messages`: a view whose audiences share their figures computes
them once) and sends each with `group_send`; the layer delivers it to that group's consumers in
every process. So a burst of 1,000 check-ins costs one set of queries and one message per
dashboard every `MIN_INTERVAL` (half a second: a check-in waits for the next update, and p95
under a second needs the wait's p95 well under it), however many audiences watch.

When the snapshots take more than `SNAPSHOT_BUDGET` of a process's time, the groups of audiences
that see only part of the subject are claimed for longer (up to `SLOWEST_INTERVAL`), in
proportion to the overload, while those that see all of it keep `MIN_INTERVAL`: a safety valve
for views whose audiences share nothing. A view with shared figures keeps every group at its
pace: slowing a partial audience down would save only its cut, and cost the figures again in the
tick it falls into.

A page gets the whole snapshot once, when it connects (or polls); what the broadcaster sends is an
update (`update_message`): every figure, but of the `points` only the fields that changed since
the group's previous update. The points are most of a snapshot (about 140 KB of JSON for the 2018
conference); an update in a busy second is a few KB, which is what lets 400 wall screens follow on
two cores. An update names the version it was computed against (`base`): a page holding an older
snapshot missed an update and fetches a fresh snapshot instead of applying it.

When the cache or channel layer (Redis) is away, sending fails: the broadcaster closes its own
consumers with `CLOSE_CODE_UNAVAILABLE`, whose pages poll (`LiveView.poll` behind the app's
endpoint) and reconnect with backoff until it is back.
"""

import asyncio
import json
import logging
import math
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from django.core.cache import cache

from hoinghi.core.cache import locks_take, redis_outage
from hoinghi.core.live.publishing import VERSION_KEY, version
from hoinghi.core.live.registry import Audience, LiveView

logger = logging.getLogger("hoinghi.core.live")

SENT_KEY = "live:sent:{group}"  # (version, time) of the last snapshot sent to a group
LOCK_KEY = "live:lock:{group}"  # held by the process sending to a group, for its interval
LAST_KEY = "live:last:{group}"  # (version, JSON text) of the last snapshot sent to a group
POINTS_KEY = "live:points:{group}"  # (version, {point id: point}) of the last update sent to a group

TICK = 0.1  # seconds between looks at the versions
MIN_INTERVAL = 0.5  # seconds: at most two updates a second per group
REFRESH_EVERY = 15.0  # seconds: resend even without changes (points fall silent without an event)
# Snapshots may take this share of a process's time (averaged over LOAD_WINDOW) before the groups
# of partial audiences (a province's leaders) slow down, in proportion; the groups that see the
# whole subject keep MIN_INTERVAL.
SNAPSHOT_BUDGET = 0.3
LOAD_WINDOW = 5.0  # seconds
SLOWEST_INTERVAL = 10.0  # seconds: a partial audience's screen is never further behind than this
KEEP_LAST_FOR = max(1, math.ceil(MIN_INTERVAL))  # whole seconds: the cache's timeouts
CLOSE_CODE_UNAVAILABLE = 4503  # the client polls and reconnects with backoff
POLL_KEEP_FOR = 1.0  # seconds a process keeps a polled snapshot per group and version


# --- The snapshots of a group, kept in the cache ----------------------------------------------------


def group_seen(group: str, version: int) -> None:
    """A consumer sent its client a fresh snapshot of `version`: the broadcaster need not send
    that version again unless another process already sent something newer (hence `add`)."""
    try:
        cache.add(SENT_KEY.format(group=group), (version, time.time()), timeout=3600)
    except Exception:  # noqa: BLE001
        pass


def remember_snapshot(group: str, version: int, text: str) -> None:
    """Keep the snapshot just sent (a second): pages connecting meanwhile start from it if nothing
    changed since (the version says)."""
    try:
        cache.set(LAST_KEY.format(group=group), (version, text), timeout=KEEP_LAST_FOR)
    except Exception:  # noqa: BLE001
        pass


def recent_snapshot(group: str, topic: str) -> str | None:
    """The JSON text of the group's snapshot sent less than a second ago, if nothing changed since
    (same version of `topic`): 400 pages opening together then cost one snapshot, not 400."""
    try:
        last = cache.get(LAST_KEY.format(group=group))
        if last is not None and last[0] == version(topic):
            return last[1]
    except Exception:  # noqa: BLE001
        pass
    return None


def opening_text(live_view: LiveView, subject, audience: Audience, group: str) -> str:
    """The snapshot a consumer sends when its page connects, as JSON text: the one the broadcaster
    sent less than a second ago if nothing changed since, else a fresh one (whose shared figures
    this process may have computed for another audience within the second)."""
    text = recent_snapshot(group, live_view.topic(subject.pk))
    if text is None:
        snapshot = live_view.message(subject, audience)
        group_seen(group, snapshot["version"])
        text = json.dumps(snapshot)
        remember_snapshot(group, snapshot["version"], text)
    return text


_polled: dict[tuple[str, int], tuple[float, dict]] = {}
_polled_lock = threading.Lock()


def polled_message(live_view: LiveView, subject, audience: Audience) -> dict:
    """The snapshot a polling page gets (its socket is down: Redis away, a proxy without
    WebSockets): the very one a socket would have sent, kept for POLL_KEEP_FOR per process, group
    and version, so forty polling wall screens of one province cost one snapshot a second."""
    key = (live_view.group(subject, audience), version(live_view.topic(subject.pk)))
    now = time.monotonic()
    with _polled_lock:
        kept = _polled.get(key)
        if kept and now - kept[0] < POLL_KEEP_FOR:
            return kept[1]
    snapshot = live_view.message(subject, audience)
    with _polled_lock:
        for stale in [k for k, (at, _s) in _polled.items() if now - at >= POLL_KEEP_FOR]:
            del _polled[stale]
        _polled[key] = (now, snapshot)
    return snapshot


def update_message(snapshot: dict, previous: tuple[int, dict] | None) -> dict:
    """What the broadcaster sends a group after `previous`, the (version, points by id) of its last
    update: the snapshot with `points` replaced by `points_changed`, for each point that changed
    its id and the fields that changed, and `base`, the version of `previous`. Without a previous
    update to compare with, or when points came or went, it is the whole snapshot."""
    points = snapshot.get("points")
    if points is None or previous is None or previous[1].keys() != {point["id"] for point in points}:
        return snapshot
    base, before = previous
    changed = []
    for point in points:
        old = before[point["id"]]
        fields = {key: value for key, value in point.items() if key not in old or old[key] != value}
        if fields:
            changed.append({"id": point["id"], **fields})
    update = {key: value for key, value in snapshot.items() if key != "points"}
    update.update(type="update", base=base, points_changed=changed)
    return update


def swap_points(snapshots: list[tuple[str, dict]]) -> dict[str, tuple[int, dict]]:
    """Keep the points of the updates about to be sent, (group, snapshot) each, and return those
    of the previous update of each group that had one: two round trips for all the groups. Kept
    for four refresh periods: a group nobody watched for a minute starts again from a snapshot."""
    keys = {group: POINTS_KEY.format(group=group) for group, _snapshot in snapshots}
    try:
        previous = cache.get_many(list(keys.values()))
        cache.set_many(
            {
                keys[group]: (
                    snapshot["version"],
                    {point["id"]: point for point in snapshot.get("points", [])},
                )
                for group, snapshot in snapshots
            },
            timeout=int(4 * REFRESH_EVERY),
        )
    except Exception:  # noqa: BLE001 - without the cache the update is the whole snapshot
        return {}
    return {group: previous[key] for group, key in keys.items() if key in previous}


# --- The broadcaster -------------------------------------------------------------------------------


@dataclass
class Subscription:
    view: LiveView
    subject_id: int
    topic: str
    audience: Audience
    whole: bool = True  # the audience sees the whole subject
    consumers: set = field(default_factory=set)


@dataclass
class Due:
    group: str
    topic: str
    audience: Audience
    version: int


class Broadcaster:
    """The per-process sender of snapshots (see the module's docstring)."""

    def __init__(self) -> None:
        self.groups: dict[str, Subscription] = {}
        self.task: asyncio.Task | None = None
        self.local_sent: dict[str, float] = {}  # when the cache is away: our own pace
        self.spent: deque[tuple[float, float]] = deque()  # (finished at, seconds) of snapshots

    def subscribe(
        self, consumer, *, group: str, view: LiveView, subject_id: int, audience: Audience, whole: bool = True
    ) -> None:
        subscription = self.groups.setdefault(
            group, Subscription(view, subject_id, view.topic(subject_id), audience, whole)
        )
        subscription.consumers.add(consumer)
        loop = asyncio.get_running_loop()
        if self.task is None or self.task.done() or self.task.get_loop() is not loop:
            self.task = loop.create_task(self.run(), name="hoinghi-live-broadcaster")

    def unsubscribe(self, consumer, *, group: str) -> None:
        subscription = self.groups.get(group)
        if subscription is None:
            return
        subscription.consumers.discard(consumer)
        if not subscription.consumers:
            del self.groups[group]
            self.local_sent.pop(group, None)

    async def run(self) -> None:
        while self.groups:
            await asyncio.sleep(TICK)
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - one bad tick must not end live updates
                logger.exception("live: broadcaster tick failed")
        self.task = None

    async def tick(self) -> None:
        from asgiref.sync import sync_to_async
        from channels.db import database_sync_to_async
        from channels.layers import get_channel_layer

        # A partial audience of a view with shared figures costs only its cut: it keeps the pace.
        subscriptions = {
            group: (sub.topic, sub.audience, sub.whole or sub.view.shared is not None)
            for group, sub in self.groups.items()
        }
        if not subscriptions:
            return
        # Taken now: a group may lose its last consumer while this tick awaits.
        sources = {group: (s.view, s.subject_id) for group, s in self.groups.items()}
        due = await sync_to_async(self.claim, thread_sensitive=False)(subscriptions, time.time())
        by_source: dict[tuple[LiveView, int], list[Due]] = {}
        for item in due:
            by_source.setdefault(sources[item.group], []).append(item)
        layer = get_channel_layer()
        for (live_view, subject_id), items in by_source.items():
            started = time.monotonic()
            try:
                messages = await database_sync_to_async(_snapshots_by_id)(
                    live_view, subject_id, [item.audience for item in items]
                )
            except Exception:  # noqa: BLE001
                logger.exception("live: snapshots of %s %s failed", live_view.name, subject_id)
                await sync_to_async(_forget_sent, thread_sensitive=False)([item.group for item in items])
                continue
            finally:
                self.spent.append((time.monotonic(), time.monotonic() - started))
            if messages is None:  # the subject is gone
                continue
            texts = await sync_to_async(_update_texts, thread_sensitive=False)(
                [(item.group, message) for item, message in zip(items, messages, strict=True)]
            )
            for item, text in zip(items, texts, strict=True):
                try:
                    await layer.group_send(item.group, {"type": "live.snapshot", "text": text})
                except Exception as error:  # noqa: BLE001 - Redis away: the pages fall back to polling
                    redis_outage.failed(f"live: sending to {item.group} (its sockets are closed)", error)
                    await self.close_group(item.group)

    def load(self) -> float:
        """The share of this process's time that snapshots took over the last LOAD_WINDOW."""
        horizon = time.monotonic() - LOAD_WINDOW
        while self.spent and self.spent[0][0] < horizon:
            self.spent.popleft()
        return sum(seconds for _finished, seconds in self.spent) / LOAD_WINDOW

    def interval(self, *, whole: bool) -> float:
        """Seconds between two snapshots of a group: MIN_INTERVAL, or a multiple of it for a partial
        audience while snapshots take more than SNAPSHOT_BUDGET of this process."""
        if whole:
            return MIN_INTERVAL
        return min(SLOWEST_INTERVAL, MIN_INTERVAL * max(1, math.ceil(self.load() / SNAPSHOT_BUDGET)))

    def claim(self, subscriptions: dict[str, tuple[str, Audience, bool]], now: float) -> list[Due]:
        """The groups this process should send to now, claimed against the other processes.
        `subscriptions`: group -> (topic, audience, whether the audience sees the whole subject)."""
        try:
            topics = {topic for topic, _audience, _whole in subscriptions.values()}
            versions = cache.get_many([VERSION_KEY.format(topic=topic) for topic in topics])
            sent = cache.get_many([SENT_KEY.format(group=g) for g in subscriptions])
        except Exception as error:  # noqa: BLE001 - no cache: send on our own pace; sending will tell
            redis_outage.failed("live: reading versions", error)
            due = []
            for group, (topic, audience, _whole) in subscriptions.items():
                if now - self.local_sent.get(group, 0) >= REFRESH_EVERY:
                    self.local_sent[group] = now
                    due.append(Due(group, topic, audience, 0))
            return due
        candidates = {}
        for group, (topic, audience, whole) in subscriptions.items():
            current = int(versions.get(VERSION_KEY.format(topic=topic)) or 0)
            last = sent.get(SENT_KEY.format(group=group))
            if last is not None and last[0] == current and now - last[1] < REFRESH_EVERY:
                continue
            candidates[group] = (Due(group, topic, audience, current), self.interval(whole=whole))
        # Every lock in one round trip: the groups of a subject are computed together, in one process.
        taken = locks_take(
            cache, {LOCK_KEY.format(group=group): seconds for group, (_due, seconds) in candidates.items()}
        )
        due = [
            item for group, (item, _seconds) in candidates.items() if LOCK_KEY.format(group=group) in taken
        ]
        if due:
            cache.set_many(
                {SENT_KEY.format(group=item.group): (item.version, now) for item in due}, timeout=3600
            )
        return due

    async def close_group(self, group: str) -> None:
        subscription = self.groups.get(group)
        for consumer in list(subscription.consumers if subscription else ()):
            try:
                await consumer.close(code=CLOSE_CODE_UNAVAILABLE)
            except Exception:  # noqa: BLE001
                pass


def _snapshots_by_id(live_view: LiveView, subject_id: int, audiences: list[Audience]) -> list[dict] | None:
    subject = live_view.load(subject_id)
    if subject is None:
        return None
    return live_view.messages(subject, audiences)


def _update_texts(snapshots: list[tuple[str, dict]]) -> list[str]:
    """The update for each (group, snapshot) as JSON text, encoded once here rather than once per
    consumer (400 dashboards would otherwise make 400 copies through the layer and 400
    `json.dumps`). The whole snapshots are kept for pages connecting within the second, and their
    points for the next updates."""
    try:
        cache.set_many(
            {
                LAST_KEY.format(group=group): (snapshot["version"], json.dumps(snapshot))
                for group, snapshot in snapshots
            },
            timeout=KEEP_LAST_FOR,
        )
    except Exception:  # noqa: BLE001
        pass
    previous = swap_points(snapshots)
    return [json.dumps(update_message(snapshot, previous.get(group))) for group, snapshot in snapshots]


def _forget_sent(groups: list[str]) -> None:
    try:
        cache.delete_many([SENT_KEY.format(group=group) for group in groups])
    except Exception:  # noqa: BLE001
        pass


broadcaster = Broadcaster()
