"""Extension points: places where an app lets the apps built on it add something, without ever
importing them (dependencies point one way, DESIGN.md).

The app that owns a place declares it in its `AppConfig.ready`, with the signature of what fills
it; the apps above fill it in theirs::

    # attendance/apps.py — the owner
    extensions.declare(
        "attendance.dashboard_snapshot",
        signature="(*, conference, now) -> JSON-ready value, under its key in every audience's snapshot",
        keyed=True,
    )
    # streaming/apps.py — an app above
    extensions.extend("attendance.dashboard_snapshot", selectors.stream_summary, key="stream")
    # attendance/dashboard/figures.py — the owner reads it
    for key, build in extensions.keyed_parts("attendance.dashboard_snapshot"): ...

Django runs the `ready` methods in INSTALLED_APPS order, which is the dependency order, so a
point is declared before any app fills it. Filling or reading a point nobody declared raises
`UnknownExtensionPoint` (at start-up, for a filler), never a silently empty place. A page marks an
HTML point with `{% extension_point "name" key=value … %}` (templatetags/extensions.py): its parts
are `(request, **values) -> HTML or ""`.

The parts of a "keyed" point each come with a key (what it fills: the key of its part of the
dashboard's snapshot); the others are lists, in the order the apps filled them. The points in use
are listed in docs/architecture.md ("Extension points").
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured


class UnknownExtensionPoint(ImproperlyConfigured):
    pass


@dataclass
class ExtensionPoint:
    name: str  # "<owning app>.<place>"
    signature: str  # what a part is called with and returns
    keyed: bool = False  # every part comes with a key
    parts: list[tuple[str | None, Callable]] = field(default_factory=list)  # (key, part)


_POINTS: dict[str, ExtensionPoint] = {}


def declare(name: str, *, signature: str, keyed: bool = False) -> ExtensionPoint:
    """Open the place `name` to the apps built on the caller's. Declaring it again the same way
    changes nothing (its parts stay)."""
    declared = _POINTS.setdefault(name, ExtensionPoint(name, signature, keyed))
    if (declared.signature, declared.keyed) != (signature, keyed):
        raise ImproperlyConfigured(f"extension point {name!r} is already declared differently")
    return declared


def point(name: str) -> ExtensionPoint:
    try:
        return _POINTS[name]
    except KeyError:
        known = ", ".join(sorted(_POINTS)) or "none"
        raise UnknownExtensionPoint(
            f"no extension point {name!r} (declared: {known}). The app that owns it declares it in its "
            "AppConfig.ready; is it installed, and listed in INSTALLED_APPS before the app filling it?"
        ) from None


def extend(name: str, part: Callable, *, key: str | None = None) -> None:
    """Add `part` to the place `name` (with the `key` it fills, for a keyed point). The same part
    again changes nothing; another part under a taken key is refused."""
    place = point(name)
    if place.keyed != (key is not None):
        raise ImproperlyConfigured(
            f"extension point {name!r} {'needs' if place.keyed else 'takes no'} a key for each part"
        )
    for taken_key, taken in place.parts:
        if taken is part and taken_key == key:
            return
        if key is not None and taken_key == key:
            raise ImproperlyConfigured(f"{name!r} already has a part under the key {key!r}")
    place.parts.append((key, part))


def parts(name: str) -> list[Callable]:
    """The parts of a place, in the order the apps added them."""
    return [part for _key, part in point(name).parts]


def keyed_parts(name: str) -> list[tuple[str, Callable]]:
    """The (key, part) pairs of a keyed place."""
    place = point(name)
    if not place.keyed:
        raise ImproperlyConfigured(f"extension point {name!r} has no keys")
    return list(place.parts)
