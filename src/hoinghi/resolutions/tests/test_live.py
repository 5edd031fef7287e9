"""The live view of a unit's indicators through the real ASGI stack (hoinghi.asgi.application)."""

import json
import time

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from channels.db import database_sync_to_async
from django.conf import settings
from django.test import Client

from hoinghi.asgi import application
from hoinghi.core.live.consumers import CLOSE_CODE_FORBIDDEN
from hoinghi.core.permissions import GrantRole

pytestmark = pytest.mark.django_db(transaction=True)


class Socket(ApplicationCommunicator):
    """A WebSocket client of the ASGI application (channels.testing needs daphne)."""

    def __init__(self, path: str, user):
        client = Client()
        client.force_login(user)
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        headers = [(b"origin", b"http://localhost"), (b"host", b"localhost"), (b"cookie", cookie.encode())]
        super().__init__(
            application,
            {"type": "websocket", "path": path, "query_string": b"", "headers": headers, "subprotocols": []},
        )

    async def connect(self) -> bool:
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(5)
        return response["type"] == "websocket.accept"

    async def receive_json_from(self, timeout: float = 5) -> dict:
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        return json.loads(response["text"])

    async def messages_within(self, seconds: float) -> list[dict]:
        messages, deadline = [], time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if await self.receive_nothing(timeout=min(left, 0.05)):
                continue
            output = await self.receive_output(1)
            if output["type"] == "websocket.send":
                messages.append(json.loads(output["text"]))
        return messages

    async def disconnect(self) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": 1000})
        await self.wait(5)


def _path(reporting, unit) -> str:
    return f"/ws/chi-tieu/{reporting.resolution.pk}/{unit.pk}/{reporting.year.pk}/"


def _figure(message, code):
    return next(i for i in message["indicators"] if i["code"] == code)


def test_a_value_entered_below_reaches_the_province_dashboard(small_tree, reporting, reporter, enter):
    viewer = reporter(small_tree.hanoi)
    socket = Socket(_path(reporting, small_tree.hanoi), viewer)

    async def scenario():
        assert await socket.connect()
        first = await socket.receive_json_from()
        await database_sync_to_async(enter)(
            small_tree.grassroots_a, {"admitted": 9, "workers": 50, "enterprises": 4, "agreements:A": 3}
        )
        later = await socket.messages_within(2.0)
        await socket.disconnect()
        return first, later

    first, later = async_to_sync(scenario)()
    assert first["type"] == "snapshot"
    assert first["unit"] == small_tree.hanoi.pk
    assert _figure(first, "new-members")["value"] is None
    assert later, "no update after the value was saved"
    last = later[-1]
    assert last["version"] > first["version"]
    assert _figure(last, "new-members")["value"] == 9
    assert _figure(last, "agreements-a")["value"] == 75.0
    assert _figure(last, "agreements-a")["values"][-1] == 75.0  # the trend's last point too


def test_a_viewer_of_another_province_gets_nothing_of_this_unit(small_tree, reporting, make_user, enter):
    hcm_viewer = make_user(GrantRole.VIEWER, small_tree.hcm)
    socket = Socket(_path(reporting, small_tree.hanoi), hcm_viewer)

    async def scenario():
        await socket.send_input({"type": "websocket.connect"})
        outputs = [await socket.receive_output(5)]
        while outputs[-1]["type"] != "websocket.close":
            outputs.append(await socket.receive_output(5))
        await database_sync_to_async(enter)(small_tree.grassroots_a, {"admitted": 9, "workers": 50})
        assert await socket.receive_nothing(timeout=1.0)
        return outputs

    outputs = async_to_sync(scenario)()
    sent = [json.loads(o["text"]) for o in outputs if o["type"] == "websocket.send"]
    assert [message["type"] for message in sent] == ["error"]
    assert sent[0]["code"] == "not_found"
    assert outputs[-1]["code"] == CLOSE_CODE_FORBIDDEN


def test_a_province_viewer_ranks_only_their_own_children(small_tree, reporting, make_user, enter):
    enter(small_tree.grassroots_b, {"enterprises": 6, "agreements:A": 4})
    hanoi_viewer = make_user(GrantRole.VIEWER, small_tree.hanoi)
    socket = Socket(_path(reporting, small_tree.hanoi), hanoi_viewer)

    async def scenario():
        assert await socket.connect()
        snapshot = await socket.receive_json_from()
        await socket.disconnect()
        return snapshot

    snapshot = async_to_sync(scenario)()
    assert [child["id"] for child in snapshot["ranking"]["children"]] == [small_tree.ba_dinh.pk]
