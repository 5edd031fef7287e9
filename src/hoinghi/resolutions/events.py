"""What the live views of a resolution will hear about, published only after the transaction that
caused it commits (a value entered, a report approved). The live view of a unit's indicators
(live.py) follows it."""

from hoinghi.core import live


def topic(resolution_id: int) -> str:
    return f"resolutions.{resolution_id}"


def values_changed_on_commit(resolution_id: int) -> None:
    live.publish_on_commit(topic(resolution_id))
