"""Two app servers behind one load balancer, sharing the database and Redis (issue 13).

Two real `hoinghi serve` processes on different ports and one real Redis (a private
redis-server, so the test runs beside any other): a check-in sent to one reaches a dashboard
connected to the other within a second; a group is broadcast once, not once per server; and when
one server is killed the other goes on serving, with nothing lost.
"""

import json
import os
import re
import socket
import subprocess
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from hoinghi.attendance.models import Attendance, CheckIn
from hoinghi.attendance.testing import Server, free_port
from hoinghi.attendance.testing import login as server_login
from hoinghi.conferences.models import Invitation

PASSWORD = "mat-khau-hai-may-chu"
PEOPLE = re.compile(r'"people": ?(\d+)')
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not any((Path(p) / "redis-server").exists() for p in os.environ["PATH"].split(":")),
        reason="redis-server is not installed",
    ),
]


def _redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return process
        time.sleep(0.05)
    process.kill()
    raise AssertionError("redis-server did not start")


class Screen:
    """A dashboard's WebSocket, read in a thread: (arrival time, message) of every message."""

    def __init__(self, server: Server, session: dict, conference_id: int):
        cookie = "; ".join(f"{name}={value}" for name, value in session["cookies"].items())
        self.socket = connect(
            f"ws://127.0.0.1:{server.port}/ws/truc-tiep/{conference_id}/",
            origin=server.url,
            additional_headers={"Cookie": cookie},
            max_size=None,
            open_timeout=30,
        )
        self.messages: list[tuple[float, dict]] = [
            (time.monotonic(), json.loads(self.socket.recv(timeout=30)))
        ]
        self.closed = False
        self.thread = threading.Thread(target=self._listen, daemon=True)
        self.thread.start()

    def _listen(self) -> None:
        try:
            for text in self.socket:
                self.messages.append((time.monotonic(), json.loads(text)))
        except Exception:  # noqa: BLE001 - a killed server ends the socket one way or another
            pass
        self.closed = True

    def people(self) -> int:
        return int(PEOPLE.search(json.dumps(self.messages[-1][1])).group(1))

    def wait_for(self, people: int, *, since: float, within: float) -> float | None:
        """When (monotonic) the first message after `since` showing `people` present arrived."""
        while time.monotonic() - since < within:
            for arrived, message in list(self.messages):
                if arrived >= since and int(PEOPLE.search(json.dumps(message)).group(1)) >= people:
                    return arrived
            time.sleep(0.01)
        return None

    def close(self) -> None:
        self.socket.close()


def _scan(invitation_id: int) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "method": "search",
        "invitation_id": invitation_id,
        "scanned_at": datetime.now(UTC).isoformat(),
    }


def test_two_servers_share_the_live_layer_and_survive_the_loss_of_one(small_conference, superuser):
    from hoinghi.conferences import services as conferences

    superuser.set_password(PASSWORD)
    superuser.save()
    conference = small_conference.conference
    conferences.conference_issue(actor=superuser, conference=conference)
    point = small_conference.ba_dinh_point
    invitations = list(
        Invitation.objects.filter(conference=conference, point=point).values_list("pk", flat=True)
    )
    assert len(invitations) >= 2

    redis_port = free_port()
    redis = _redis(redis_port)
    env = {"REDIS_URL": f"redis://127.0.0.1:{redis_port}/0"}
    first, second = Server(extra_env=env), Server(extra_env=env)
    screens: list[Screen] = []
    try:
        first.start()
        second.start()
        on_first = server_login(first.url, superuser.username, PASSWORD)
        on_second = server_login(second.url, superuser.username, PASSWORD)
        screens = [Screen(second, on_second, conference.pk), Screen(first, on_first, conference.pk)]
        watching_second, watching_first = screens
        assert watching_second.people() == watching_first.people() == 0
        time.sleep(1.5)  # past the opening snapshot's interval: what comes next is a change

        # A check-in sent to the first server reaches a screen connected to the second.
        before = {id(screen): len(screen.messages) for screen in screens}
        with httpx.Client(base_url=first.url, timeout=30, **on_first) as http:
            sent = time.monotonic()
            response = http.post(f"/api/points/{point.pk}/scans", json={"scans": [_scan(invitations[0])]})
        assert response.status_code == 200, response.text[:300]
        arrived = watching_second.wait_for(1, since=sent, within=5)
        assert arrived is not None, "the check-in never reached the other server's dashboard"
        assert arrived - sent < 1.0, f"shown {arrived - sent:.2f} s after it was sent"

        # One broadcast per group, not one per server: each screen got the change once.
        time.sleep(2.5)
        for screen in screens:
            updates = [m for _at, m in screen.messages[before[id(screen)] :] if PEOPLE.search(json.dumps(m))]
            shown = [m for m in updates if int(PEOPLE.search(json.dumps(m)).group(1)) == 1]
            assert len(shown) == 1, [m.get("type") for m in updates]

        # The first server dies (SIGKILL): the second goes on, and its screen follows.
        first.kill()
        with httpx.Client(base_url=second.url, timeout=30, **on_second) as http:
            sent = time.monotonic()
            response = http.post(f"/api/points/{point.pk}/scans", json={"scans": [_scan(invitations[1])]})
        assert response.status_code == 200, response.text[:300]
        assert watching_second.wait_for(2, since=sent, within=5) is not None
        deadline = time.monotonic() + 10
        while not watching_first.closed and time.monotonic() < deadline:
            time.sleep(0.05)
        assert watching_first.closed
    finally:
        for screen in screens:
            screen.close()
        first.stop()
        second.stop()
        redis.kill()
        redis.wait(timeout=10)

    assert Attendance.objects.filter(conference=conference, point=point).count() == 2
    assert CheckIn.objects.filter(conference=conference).count() == 2
