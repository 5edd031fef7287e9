"""The live layer's interface (core.live), used by a view of its own: publishing on commit, the
channel groups of audiences, and a registered view served by the consumer base over the real
channel layer (in memory, or Redis with REDIS_URL)."""

import asyncio
import json
import random
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from asgiref.testing import ApplicationCommunicator
from channels.routing import URLRouter
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.urls import path

from hoinghi.core import live
from hoinghi.core.errors import NotFoundError, PermissionCode
from hoinghi.core.live.consumers import CLOSE_CODE_FORBIDDEN, LiveConsumer
from hoinghi.core.models import AuditEntry, audit


@dataclass(frozen=True)
class Board:
    """The subject of the test view: a board of notes (notes are audit rows)."""

    pk: int
    created_at: datetime | None = None


@dataclass(frozen=True)
class Readers:
    """An audience: readers of the board's notes of one kind."""

    kind: str

    @property
    def key(self) -> str:
        return self.kind

    def covers(self, board) -> bool:
        return self.kind == "all"


def _notes(board: Board, readers: Readers) -> dict:
    return {"type": "snapshot", "notes": AuditEntry.objects.filter(type=f"tests.note.{board.pk}").count()}


NOTES = live.register_view(
    live.LiveView(name="tests.notes", topic=lambda board_id: f"tests.{board_id}", load=Board, snapshot=_notes)
)


@transaction.atomic
def note_add(*, board: Board, fail: bool = False) -> None:
    """A service as services are: write, then publish on commit."""
    audit(actor=None, type=f"tests.note.{board.pk}")
    live.publish_on_commit(NOTES.topic(board.pk))
    if fail:
        raise RuntimeError("rolled back")


class NotesConsumer(LiveConsumer):
    view = "tests.notes"

    def authorise(self, user, *, board_id):
        if user.username == "outsider":
            raise NotFoundError("Không tìm thấy.", code=PermissionCode.NOT_FOUND)
        return Board(board_id), Readers("all")


_tallies: list[int] = []  # one entry a computation of TALLY's shared figures


def _tally_shared(board: Board) -> dict:
    _tallies.append(board.pk)
    return {"notes": AuditEntry.objects.filter(type=f"tests.note.{board.pk}").count()}


TALLY = live.register_view(
    live.LiveView(
        name="tests.tally",
        topic=lambda board_id: f"tests.{board_id}",
        load=Board,
        shared=_tally_shared,
        assemble=lambda board, shared, readers: {
            "type": "snapshot",
            "notes": shared["notes"],
            "for": readers.kind,
        },
    )
)


class TallyConsumer(LiveConsumer):
    """Every reader is an audience of their own, cut from the same tally."""

    view = "tests.tally"

    def authorise(self, user, *, board_id):
        return Board(board_id), Readers(user.username)


def _socket(board_id: int, user):
    router = URLRouter(
        [
            path("ws/tests/<int:board_id>/", NotesConsumer.as_asgi()),
            path("ws/tests/<int:board_id>/tally/", TallyConsumer.as_asgi()),
        ]
    )

    async def with_user(scope, receive, send):  # what AuthMiddlewareStack does from the session
        return await router({**scope, "user": user}, receive, send)

    return ApplicationCommunicator(with_user, _scope(f"/ws/tests/{board_id}/"))


def _scope(url: str) -> dict:
    return {"type": "websocket", "path": url, "headers": [], "subprotocols": []}


def _board() -> Board:
    # An id of its own: versions and sent snapshots stay in the cache from one run to the next.
    return Board(random.randrange(10**12, 10**13))


@pytest.mark.django_db(transaction=True)
def test_publish_on_commit_changes_the_version_only_when_the_transaction_commits():
    board = _board()
    topic = NOTES.topic(board.pk)
    before = live.version(topic)

    with pytest.raises(RuntimeError):
        note_add(board=board, fail=True)
    assert live.version(topic) == before  # rolled back: nothing published

    with transaction.atomic():
        note_add(board=board)
        assert live.version(topic) == before  # inside the transaction: not yet
    assert live.version(topic) == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_registered_view_reaches_its_group_after_a_commit_and_never_after_a_rollback():
    board = _board()
    reader = SimpleNamespace(is_authenticated=True, username="reader")

    async def scenario():
        socket = _socket(board.pk, reader)
        await socket.send_input({"type": "websocket.connect"})
        assert (await socket.receive_output(5))["type"] == "websocket.accept"
        opening = json.loads((await socket.receive_output(5))["text"])
        assert len(live.broadcaster.groups) == 1

        with pytest.raises(RuntimeError):
            await sync_to_async(note_add)(board=board, fail=True)
        assert await socket.receive_nothing(timeout=live.MIN_INTERVAL + 0.5)  # nothing to send

        await sync_to_async(note_add)(board=board)
        started = time.monotonic()
        update = json.loads((await socket.receive_output(3))["text"])
        took = time.monotonic() - started

        await socket.send_input({"type": "websocket.disconnect", "code": 1000})
        await socket.wait(1)
        return opening, update, took

    opening, update, took = async_to_sync(scenario)()
    assert opening["notes"] == 0
    assert update["notes"] == 1 and update["version"] == opening["version"] + 1
    assert took < live.MIN_INTERVAL + 0.5
    assert not live.broadcaster.groups


@pytest.mark.django_db(transaction=True)
def test_audiences_cut_from_shared_figures_cost_one_computation_per_change_however_many_watch():
    board = _board()
    readers = [SimpleNamespace(is_authenticated=True, username=f"reader{n}") for n in range(5)]
    router = URLRouter([path("ws/tests/<int:board_id>/tally/", TallyConsumer.as_asgi())])

    def socket_of(user):
        async def with_user(scope, receive, send):
            return await router({**scope, "user": user}, receive, send)

        return ApplicationCommunicator(with_user, _scope(f"/ws/tests/{board.pk}/tally/"))

    async def scenario():
        sockets = [socket_of(user) for user in readers]
        openings = []
        for socket in sockets:
            await socket.send_input({"type": "websocket.connect"})
            assert (await socket.receive_output(5))["type"] == "websocket.accept"
            openings.append(json.loads((await socket.receive_output(5))["text"]))
        opened_with = len([pk for pk in _tallies if pk == board.pk])

        await sync_to_async(note_add)(board=board)
        updates = [json.loads((await socket.receive_output(3))["text"]) for socket in sockets]
        for socket in sockets:
            await socket.send_input({"type": "websocket.disconnect", "code": 1000})
            await socket.wait(1)
        return openings, opened_with, updates

    openings, opened_with, updates = async_to_sync(scenario)()
    assert [opening["for"] for opening in openings] == [user.username for user in readers]
    assert opened_with == 1  # five pages opening within the second: one computation
    assert [update["for"] for update in updates] == [user.username for user in readers]
    assert {update["notes"] for update in updates} == {1}
    assert len([pk for pk in _tallies if pk == board.pk]) == 2  # and one for the five updates


def test_a_view_gives_a_snapshot_or_shared_figures_with_their_assembly_not_both():
    for parts in ({}, {"snapshot": _notes, "shared": _tally_shared}, {"shared": _tally_shared}):
        with pytest.raises(ImproperlyConfigured):
            live.LiveView(name="tests.wrong", topic=str, load=Board, **parts)


REDIS_AWAY = "redis://127.0.0.1:1/0"  # nothing listens there


@pytest.mark.django_db(transaction=True)
def test_when_redis_is_away_the_broadcaster_closes_its_sockets_with_4503_so_that_pages_poll(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_AWAY}
    }
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_AWAY]}}
    }
    closed = []

    class Socket:
        async def close(self, code=None):
            closed.append(code)

    board, socket = _board(), Socket()
    group = NOTES.group(board, Readers("all"))

    async def scenario():
        live.broadcaster.subscribe(
            socket, group=group, view=NOTES, subject_id=board.pk, audience=Readers("all")
        )
        try:
            deadline = time.monotonic() + 10
            while not closed and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
        finally:
            live.broadcaster.unsubscribe(socket, group=group)

    async_to_sync(scenario)()
    assert closed and set(closed) == {live.CLOSE_CODE_UNAVAILABLE}


OUTSIDER = SimpleNamespace(is_authenticated=True, username="outsider")


@pytest.mark.parametrize("user", [AnonymousUser(), OUTSIDER])
def test_the_consumer_refuses_anonymous_and_unauthorised_users_with_the_error_then_4403(user):
    async def scenario():
        socket = _socket(_board().pk, user)
        await socket.send_input({"type": "websocket.connect"})
        return [await socket.receive_output(5) for _ in range(3)]

    accepted, refusal, closed = async_to_sync(scenario)()
    assert accepted["type"] == "websocket.accept"  # accepted first, so that the page reads the code
    assert json.loads(refusal["text"])["code"] == "not_found"  # as the API writes it
    assert closed["type"] == "websocket.close" and closed["code"] == CLOSE_CODE_FORBIDDEN
    assert not live.broadcaster.groups


def test_audiences_with_the_same_key_share_a_group_and_any_difference_separates_them():
    board = Board(7, created_at=datetime(2018, 12, 6, tzinfo=UTC))
    group = NOTES.group(board, Readers("hanoi"))

    assert NOTES.group(board, Readers("hanoi")) == group
    assert NOTES.group(board, Readers("hcm")) != group  # another audience
    assert NOTES.group(Board(8, board.created_at), Readers("hanoi")) != group  # another subject
    assert NOTES.group(Board(7, datetime(2019, 1, 1, tzinfo=UTC)), Readers("hanoi")) != group  # rebuilt
    assert live.group_name(view="tests.other", subject=board, audience=Readers("hanoi")) != group
    assert group.startswith("live.tests.notes.7.") and "hanoi" not in group  # grants stay out of names

    longest = live.group_name(view="a" * 20 + "." + "b" * 19, subject=Board(2**63 - 1), audience=Readers("x"))
    assert re.fullmatch(r"[a-zA-Z\d\-_.]{1,99}", longest)  # what channel layers accept


def test_a_view_needs_a_dotted_name_of_its_own():
    with pytest.raises(ImproperlyConfigured):
        live.register_view(live.LiveView(name="Notes", topic=str, load=Board, snapshot=_notes))
    with pytest.raises(ImproperlyConfigured):  # another view under a taken name would share groups
        live.register_view(live.LiveView(name="tests.notes", topic=str, load=Board, snapshot=_notes))
    assert live.register_view(NOTES) is NOTES  # the same one again changes nothing
    with pytest.raises(ImproperlyConfigured, match="attendance.dashboard"):
        live.view("tests.unknown")
    assert live.view("attendance.dashboard").name == "attendance.dashboard"
