"""Kinds of live view, their audiences and the channel groups they are sent to."""

import hashlib
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured

from hoinghi.core.live.publishing import version

NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")  # "<app>.<view>"
NAME_MAX = 40  # a group name (at most 99 characters) is "live.<name>.<subject id>.<24 hex digits>"
SHARED_KEEP_FOR = 1.0  # seconds a process keeps what the audiences of a subject share, per version


class Audience(Protocol):
    """Who watches: everything that decides what a snapshot shows, and nothing else.

    Two users with equal `key`s see the same snapshot, so they share a channel group and the
    broadcaster computes it once for both. A wrong key is a data leak: the key must name every
    grant and relation the snapshot is scoped by. The app that owns a view builds its audiences
    (from `core.permissions` and the view's own relations)."""

    @property
    def key(self) -> str: ...

    def covers(self, subject: Any) -> bool:
        """Does this audience see all of the subject? Such groups keep one update a second when
        the process is overloaded; the others (a province's screens) slow down first."""
        ...


def group_name(*, view: str, subject: Any, audience: Audience) -> str:
    """The channel group of `audience` watching `subject` in the view named `view`.

    At most 99 ASCII characters, as channel layers require; the audience's key is in a digest, so
    a group name says nothing about grants. The subject's creation time (`created_at` of a
    `TimeStampedModel`) is in the digest too, so that a database rebuilt with the same ids (tests,
    demos) never meets the cached snapshots of an older one."""
    created_at = getattr(subject, "created_at", None)
    stamp = created_at.timestamp() if created_at else 0
    digest = hashlib.sha256(f"{view}#{subject.pk}#{audience.key}#{stamp}".encode()).hexdigest()[:24]
    return f"live.{view}.{subject.pk}.{digest}"


@dataclass(frozen=True)
class LiveView:
    """A kind of live view, declared by the app that owns it and registered in its
    `AppConfig.ready` (`register_view`).

    - `name`: "<app>.<view>", lower case; part of every group name.
    - `topic(subject_id)`: the topic whose changes the view follows; the app's services publish
      that same topic (`publish_on_commit`).
    - `load(subject_id)`: the subject (a model instance with `pk`), or None once it is gone; the
      broadcaster reloads it for every snapshot, so titles and states stay current.
    - `snapshot(subject, audience)`: a JSON-ready dict with `"type": "snapshot"`, computed for one
      audience at most every `MIN_INTERVAL`. Its `points`, if any, are a list of dicts with an `id`:
      updates carry only the points' fields that changed (`broadcasting.update_message`).
    - or, for a view whose audiences see parts of the same figures, `shared(subject)` and
      `assemble(subject, shared, audience)` in its place: the figures every audience is cut from,
      computed once per subject and version however many audiences watch (and kept
      `SHARED_KEEP_FOR` per process, for the pages that open or poll meanwhile), and the snapshot
      of one audience cut from them without a query. The dashboard's 86 audiences cost one set
      of queries a second this way, not 86."""

    name: str
    topic: Callable[[int], str]
    load: Callable[[int], Any]
    snapshot: Callable[[Any, Audience], dict] | None = None
    shared: Callable[[Any], Any] | None = None
    assemble: Callable[[Any, Any, Audience], dict] | None = None

    def __post_init__(self) -> None:
        alone = self.snapshot is not None and self.shared is None and self.assemble is None
        cut = self.snapshot is None and self.shared is not None and self.assemble is not None
        if not (alone or cut):
            raise ImproperlyConfigured(
                f"live view {self.name!r}: give `snapshot`, or `shared` and `assemble`"
            )

    def group(self, subject, audience: Audience) -> str:
        return group_name(view=self.name, subject=subject, audience=audience)

    def message(self, subject, audience: Audience) -> dict:
        """A fresh snapshot of `subject` for `audience`, with the topic's `version`."""
        return self.messages(subject, [audience])[0]

    def messages(self, subject, audiences: Sequence[Audience]) -> list[dict]:
        """The snapshots of `subject` for each of `audiences`, with the topic's `version`: what they
        share is computed once (and kept a second per process and version)."""
        current = version(self.topic(subject.pk))  # read first: a change meanwhile is never skipped
        if self.shared is None:
            snapshots = [self.snapshot(subject, audience) for audience in audiences]
        else:
            shared = _shared(self, subject, current)
            snapshots = [self.assemble(subject, shared, audience) for audience in audiences]
        for snapshot in snapshots:
            snapshot["version"] = current
        return snapshots


# (view name, subject pk, subject's stamp) -> (version, computed at, shared figures); one entry a
# subject. A lock a subject: pages opening together wait for one computation instead of each
# making their own (85 provinces' screens at 9 o'clock).
_kept: dict[tuple, tuple[int, float, Any]] = {}
_kept_locks: dict[tuple, threading.Lock] = {}
_kept_guard = threading.Lock()


def _shared(live_view: LiveView, subject, current: int):
    """What the audiences of `subject` share at `current` (or later): computed, or kept from a
    computation of this process less than SHARED_KEEP_FOR ago at the same version."""
    created_at = getattr(subject, "created_at", None)
    key = (live_view.name, subject.pk, created_at.timestamp() if created_at else 0)
    with _kept_guard:
        lock = _kept_locks.setdefault(key, threading.Lock())
    with lock:
        kept = _kept.get(key)
        now = time.monotonic()
        if kept is not None and kept[0] == current and now - kept[1] < SHARED_KEEP_FOR:
            return kept[2]
        shared = live_view.shared(subject)
        with _kept_guard:
            for stale in [k for k, (_v, at, _s) in _kept.items() if now - at >= SHARED_KEEP_FOR]:
                del _kept[stale]  # its lock stays: another thread may hold it
            _kept[key] = (current, time.monotonic(), shared)
        return shared


_VIEWS: dict[str, LiveView] = {}


def register_view(live_view: LiveView) -> LiveView:
    """Make a kind of live view known (consumers name the view they serve). Registering the same
    view again changes nothing; another view under a taken name is refused, as the two would
    share channel groups."""
    if not NAME.match(live_view.name) or len(live_view.name) > NAME_MAX:
        raise ImproperlyConfigured(
            f"live view name {live_view.name!r}: lower-case '<app>.<view>', at most {NAME_MAX} characters"
        )
    registered = _VIEWS.setdefault(live_view.name, live_view)
    if registered is not live_view:
        raise ImproperlyConfigured(f"another live view is already registered as {live_view.name!r}")
    return live_view


def view(name: str) -> LiveView:
    """The live view registered as `name`."""
    try:
        return _VIEWS[name]
    except KeyError:
        known = ", ".join(sorted(_VIEWS)) or "none"
        raise ImproperlyConfigured(
            f"no live view {name!r} (registered: {known}); an app registers its views in AppConfig.ready"
        ) from None
