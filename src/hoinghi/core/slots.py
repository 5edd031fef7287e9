"""Places in a page that apps built on top fill in (the video player on the invitee's page and
on the check-in page, from streaming), so that an app lower in the dependency order never
imports one above it. A slot's parts are callables (request, **context) -> HTML or "" ."""

from collections import defaultdict
from collections.abc import Callable

_PARTS: dict[str, list[Callable]] = defaultdict(list)


def register(slot: str, part: Callable) -> None:
    if part not in _PARTS[slot]:
        _PARTS[slot].append(part)


def parts(slot: str) -> list[Callable]:
    return list(_PARTS.get(slot, ()))
