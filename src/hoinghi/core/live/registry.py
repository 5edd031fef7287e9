"""Kinds of live view, their audiences and the channel groups they are sent to."""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured

from hoinghi.core.live.publishing import version

NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")  # "<app>.<view>"
NAME_MAX = 40  # a group name (at most 99 characters) is "live.<name>.<subject id>.<24 hex digits>"


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
      audience at most once a second. Its `points`, if any, are a list of dicts with an `id`:
      updates carry only the points' fields that changed (`broadcasting.update_message`)."""

    name: str
    topic: Callable[[int], str]
    load: Callable[[int], Any]
    snapshot: Callable[[Any, Audience], dict]

    def group(self, subject, audience: Audience) -> str:
        return group_name(view=self.name, subject=subject, audience=audience)

    def message(self, subject, audience: Audience) -> dict:
        """A fresh snapshot of `subject` for `audience`, with the topic's `version`."""
        current = version(self.topic(subject.pk))  # read first: a change meanwhile is never skipped
        snapshot = self.snapshot(subject, audience)
        snapshot["version"] = current
        return snapshot


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
