"""Coalescing of live updates: many changes in a second become one snapshot per audience.

Services call `conference_changed` on commit (through `events`): it only bumps a version number
in the cache, so a check-in never waits for, or fails because of, the channel layer.

The `Broadcaster` runs as one asyncio task per server process, started by the first dashboard
consumer and ended when the last one leaves. Every `TICK` it looks at the groups its consumers
joined (one group per conference and audience, see `dashboard.Audience.group`) and, for a group
whose conference changed (or whose last snapshot is older than `REFRESH_EVERY`, so that silent
points turn silent on screen), it claims the group for `MIN_INTERVAL` with `cache.add`. The one
process that wins computes the snapshot once and sends it with `group_send`; the layer delivers
it to that group's consumers in every process. So a burst of 1,000 check-ins costs one snapshot
(a handful of aggregate queries) and one message per dashboard and second.

Every audience costs its own snapshot each second. When the snapshots take more than
`SNAPSHOT_BUDGET` of a process's time, the groups of subtree audiences are claimed for longer
(up to `SLOWEST_INTERVAL`), in proportion to the overload, while those that see the whole
conference keep one update a second: with a province's leaders watching too, the national
screen and the check-ins stay fast and the provincial screens fall a few seconds behind.

A page gets the whole snapshot once, when it connects (or polls); what the broadcaster sends is an
update (`update_message`): every figure, but of the 364 points only the fields that changed since
the group's previous update. The points are most of a snapshot (about 140 KB of JSON for the 2018
conference); an update in a busy second is a few KB, which is what lets 400 wall screens follow on
two cores. An update names the version it was computed against (`base`): a page holding an older
snapshot missed an update and fetches a fresh snapshot instead of applying it.

When the cache or channel layer (Redis) is away, sending fails: the broadcaster closes its own
consumers, whose pages poll the API (`api_live`) and reconnect with backoff until it is back.
"""

import asyncio
import json
import logging
import math
import time
from collections import deque
from dataclasses import dataclass, field

from django.core.cache import cache

from hoinghi.core.cache import counter_bump

logger = logging.getLogger(__name__)

VERSION_KEY = "live:version:{conference_id}"
SENT_KEY = "live:sent:{group}"  # (version, time) of the last snapshot sent to a group
LOCK_KEY = "live:lock:{group}"  # held by the process sending to a group, for MIN_INTERVAL
LAST_KEY = "live:last:{group}"  # (version, JSON text) of the last snapshot sent to a group
POINTS_KEY = "live:points:{group}"  # (version, {point id: point}) of the last update sent to a group

TICK = 0.1  # seconds between looks at the versions
MIN_INTERVAL = 1  # seconds: at most one snapshot a second per group (cache timeouts are whole seconds)
REFRESH_EVERY = 15.0  # seconds: resend even without changes (points fall silent without an event)
# Snapshots may take this share of a process's time (averaged over LOAD_WINDOW) before the groups
# of subtree audiences (a province's leaders) slow down, in proportion; the groups that see the
# whole conference keep MIN_INTERVAL. 85 subtree audiences would otherwise take 3 s of work a
# second at the morning's end, starving check-ins (docs/benchmarks.md, dashboard_audiences).
SNAPSHOT_BUDGET = 0.3
LOAD_WINDOW = 5.0  # seconds
SLOWEST_INTERVAL = 10  # seconds: a subtree dashboard is never further behind than this
# Subtree groups claimed in one tick, by their last snapshot's cost: a tick computes its groups one
# after the other, and the whole-conference groups must not wait behind eighty provinces.
SUBTREE_WORK_PER_TICK = 0.15  # seconds
CLOSE_CODE_UNAVAILABLE = 4503  # the client polls and reconnects with backoff


def conference_changed(conference_id: int, topic: str) -> None:
    """Note a change (one round trip to Redis); never raises: a dashboard that misses it catches
    up by polling."""
    try:
        counter_bump(cache, VERSION_KEY.format(conference_id=conference_id))
    except Exception:  # noqa: BLE001 - the cache (Redis) being away must not fail a check-in
        logger.warning("live: could not mark conference %s as changed", conference_id, exc_info=True)


def conference_version(conference_id: int) -> int:
    """A number that grows with every change: pollers compare it to skip unchanged snapshots."""
    try:
        return int(cache.get(VERSION_KEY.format(conference_id=conference_id)) or 0)
    except Exception:  # noqa: BLE001
        return 0


def group_seen(group: str, version: int) -> None:
    """A consumer sent its client a fresh snapshot of `version`: the broadcaster need not send
    that version again unless another process already sent something newer (hence `add`)."""
    try:
        cache.add(SENT_KEY.format(group=group), (version, time.time()), timeout=3600)
    except Exception:  # noqa: BLE001
        pass


def snapshot_message(*, conference, audience) -> dict:
    """The snapshot of an audience with the conference's version, as consumers and pollers send it."""
    from hoinghi.attendance.dashboard import snapshot_for

    version = conference_version(conference.pk)
    snapshot = snapshot_for(audience=audience, conference=conference)
    snapshot["version"] = version
    return snapshot


def remember_snapshot(group: str, version: int, text: str) -> None:
    """Keep the snapshot just sent (for MIN_INTERVAL): pages connecting meanwhile start from it."""
    try:
        cache.set(LAST_KEY.format(group=group), (version, text), timeout=MIN_INTERVAL)
    except Exception:  # noqa: BLE001
        pass


def recent_snapshot(group: str) -> str | None:
    """The JSON text of the group's snapshot sent less than MIN_INTERVAL ago, if nothing changed
    since (same version): 400 pages opening together then cost one snapshot, not 400."""
    try:
        last = cache.get(LAST_KEY.format(group=group))
        if last is not None and last[0] == conference_version_of_group(group):
            return last[1]
    except Exception:  # noqa: BLE001
        pass
    return None


def update_message(snapshot: dict, previous: tuple[int, dict] | None) -> dict:
    """What the broadcaster sends a group after `previous`, the (version, points by id) of its last
    update: the snapshot with `points` replaced by `points_changed`, for each point that changed
    its id and the fields that changed, and `base`, the version of `previous`. Without a previous
    update to compare with, or when points came or went, it is the whole snapshot."""
    points = snapshot["points"]
    if previous is None or previous[1].keys() != {point["id"] for point in points}:
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


def swap_points(group: str, version: int, points: list[dict]) -> tuple[int, dict] | None:
    """Keep the points of the update about to be sent and return those of the previous one. Kept
    for four refresh periods: a group nobody watched for a minute starts again from a snapshot."""
    key = POINTS_KEY.format(group=group)
    try:
        previous = cache.get(key)
        cache.set(key, (version, {point["id"]: point for point in points}), timeout=int(4 * REFRESH_EVERY))
        return previous
    except Exception:  # noqa: BLE001 - without the cache the update is the whole snapshot
        return None


def conference_version_of_group(group: str) -> int:
    return conference_version(int(group.split(".")[1]))


@dataclass
class Subscription:
    conference_id: int
    audience: object  # dashboard.Audience
    whole: bool = True  # the audience sees the whole conference
    consumers: set = field(default_factory=set)


@dataclass
class Due:
    group: str
    conference_id: int
    audience: object
    version: int


class Broadcaster:
    """The per-process sender of snapshots (see the module's docstring)."""

    def __init__(self) -> None:
        self.groups: dict[str, Subscription] = {}
        self.task: asyncio.Task | None = None
        self.local_sent: dict[str, float] = {}  # when the cache is away: our own pace
        self.spent: deque[tuple[float, float]] = deque()  # (finished at, seconds) of snapshots
        self.cost: dict[str, float] = {}  # group -> seconds its last snapshot took

    def subscribe(self, consumer, *, group: str, conference_id: int, audience, whole: bool = True) -> None:
        subscription = self.groups.setdefault(group, Subscription(conference_id, audience, whole))
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
            self.cost.pop(group, None)

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

        subscriptions = {group: (s.conference_id, s.audience, s.whole) for group, s in self.groups.items()}
        if not subscriptions:
            return
        due = await sync_to_async(self.claim, thread_sensitive=False)(subscriptions, time.time())
        layer = get_channel_layer()
        for item in due:
            started = time.monotonic()
            try:
                message = await database_sync_to_async(_snapshot_by_id)(item.conference_id, item.audience)
            except Exception:  # noqa: BLE001
                logger.exception("live: snapshot of %s failed", item.group)
                await sync_to_async(_forget_sent, thread_sensitive=False)(item.group)
                continue
            finally:
                self.cost[item.group] = time.monotonic() - started
                self.spent.append((time.monotonic(), self.cost[item.group]))
            if message is None:  # the conference is gone
                continue
            text = await sync_to_async(_update_text, thread_sensitive=False)(item.group, message)
            try:
                await layer.group_send(item.group, {"type": "live.snapshot", "text": text})
            except Exception:  # noqa: BLE001 - Redis away: the pages fall back to polling
                logger.warning("live: could not send to %s; closing its sockets", item.group, exc_info=True)
                await self.close_group(item.group)

    def load(self) -> float:
        """The share of this process's time that snapshots took over the last LOAD_WINDOW."""
        horizon = time.monotonic() - LOAD_WINDOW
        while self.spent and self.spent[0][0] < horizon:
            self.spent.popleft()
        return sum(seconds for _finished, seconds in self.spent) / LOAD_WINDOW

    def interval(self, *, whole: bool) -> int:
        """Seconds between two snapshots of a group (whole, as the cache's lock timeouts are)."""
        if whole:
            return MIN_INTERVAL
        return min(
            SLOWEST_INTERVAL, max(MIN_INTERVAL, math.ceil(MIN_INTERVAL * self.load() / SNAPSHOT_BUDGET))
        )

    def claim(self, subscriptions: dict[str, tuple[int, object, bool]], now: float) -> list[Due]:
        """The groups this process should send to now, claimed against the other processes."""
        try:
            conference_ids = {conference_id for conference_id, _audience, _whole in subscriptions.values()}
            versions = cache.get_many([VERSION_KEY.format(conference_id=c) for c in conference_ids])
            sent = cache.get_many([SENT_KEY.format(group=g) for g in subscriptions])
        except Exception:  # noqa: BLE001 - no cache: send on our own pace; sending will tell
            logger.warning("live: cache unavailable", exc_info=True)
            due = []
            for group, (conference_id, audience, _whole) in subscriptions.items():
                if now - self.local_sent.get(group, 0) >= REFRESH_EVERY:
                    self.local_sent[group] = now
                    due.append(Due(group, conference_id, audience, 0))
            return due
        candidates = []
        for group, (conference_id, audience, whole) in subscriptions.items():
            version = int(versions.get(VERSION_KEY.format(conference_id=conference_id)) or 0)
            last = sent.get(SENT_KEY.format(group=group))
            if last is not None and last[0] == version and now - last[1] < REFRESH_EVERY:
                continue
            candidates.append((not whole, last[1] if last else 0.0, group, conference_id, audience, version))
        candidates.sort(key=lambda candidate: candidate[:2])  # whole groups first, then the longest waiting
        due, work = [], 0.0
        for is_subtree, _last, group, conference_id, audience, version in candidates:
            cost = self.cost.get(group, 0.0) if is_subtree else 0.0
            if work and work + cost > SUBTREE_WORK_PER_TICK:
                break  # the others wait for the next tick
            if cache.add(LOCK_KEY.format(group=group), 1, timeout=self.interval(whole=not is_subtree)):
                cache.set(SENT_KEY.format(group=group), (version, now), timeout=3600)
                due.append(Due(group, conference_id, audience, version))
                work += cost  # a group another process holds costs this one nothing
        return due

    async def close_group(self, group: str) -> None:
        subscription = self.groups.get(group)
        for consumer in list(subscription.consumers if subscription else ()):
            try:
                await consumer.close(code=CLOSE_CODE_UNAVAILABLE)
            except Exception:  # noqa: BLE001
                pass


def _snapshot_by_id(conference_id: int, audience) -> dict | None:
    from hoinghi.conferences.models import Conference

    conference = Conference.objects.select_related("organising_unit").filter(pk=conference_id).first()
    if conference is None:
        return None
    return snapshot_message(conference=conference, audience=audience)


def _update_text(group: str, snapshot: dict) -> str:
    """The update for `group` as JSON text, encoded once here rather than once per consumer (400
    dashboards would otherwise make 400 copies through the layer and 400 `json.dumps`). The whole
    snapshot is kept for pages connecting within the second, and its points for the next update."""
    remember_snapshot(group, snapshot["version"], json.dumps(snapshot))
    previous = swap_points(group, snapshot["version"], snapshot["points"])
    return json.dumps(update_message(snapshot, previous))


def _forget_sent(group: str) -> None:
    try:
        cache.delete(SENT_KEY.format(group=group))
    except Exception:  # noqa: BLE001
        pass


broadcaster = Broadcaster()
