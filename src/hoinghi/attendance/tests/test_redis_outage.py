"""A dashboard while Redis is away and when it comes back (issue 16).

While Redis (cache, sessions' copies and the channel layer) is down, opening a dashboard must not
fail the WebSocket handshake: the page is told to poll (close code 4503) and polls. When Redis is
back, the next connection works at once (no stale pool answering 500), and the server's log holds
one warning for the outage, no traceback.
"""

import os
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from hoinghi.attendance.testing import Server, free_port
from hoinghi.attendance.testing import login as server_login

PASSWORD = "mat-khau-redis-vang"
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


def _open(server: Server, session: dict, conference_id: int) -> tuple[str, int | None]:
    """("snapshot", None) when the dashboard opened, ("closed", code) when it was told to poll;
    an HTTP error on the handshake raises."""
    cookie = "; ".join(f"{name}={value}" for name, value in session["cookies"].items())
    with connect(
        f"ws://127.0.0.1:{server.port}/ws/truc-tiep/{conference_id}/",
        origin=server.url,
        additional_headers={"Cookie": cookie},
        max_size=None,
        open_timeout=30,
    ) as socket_:
        try:
            message = socket_.recv(timeout=30)
        except ConnectionClosed as closed:
            return "closed", closed.rcvd.code if closed.rcvd else None
        return ("snapshot", None) if '"snapshot"' in message or '"totals"' in message else ("other", None)


def test_dashboards_poll_while_redis_is_away_and_reconnect_after(small_conference, superuser, tmp_path):
    from hoinghi.conferences import services as conferences

    superuser.set_password(PASSWORD)
    superuser.save()
    conference = small_conference.conference
    conferences.conference_issue(actor=superuser, conference=conference)
    port = free_port()
    redis = _redis(port)
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        server = Server(extra_env={"REDIS_URL": f"redis://127.0.0.1:{port}/0"}, log=log)
        try:
            server.start()
            session = server_login(server.url, superuser.username, PASSWORD)
            assert _open(server, session, conference.pk) == ("snapshot", None)

            redis.kill()
            redis.wait(timeout=10)
            try:
                outcome = _open(server, session, conference.pk)
            except InvalidStatus as refused:  # the handshake itself failed: what the probe saw
                pytest.fail(f"handshake answered {refused.response.status_code} while Redis was away")
            assert outcome == ("closed", 4503)
            with httpx.Client(base_url=server.url, timeout=30, **session) as http:
                assert http.get(f"/api/conferences/{conference.pk}/live").status_code == 200

            redis = _redis(port)
            try:
                first_after = _open(server, session, conference.pk)
            except InvalidStatus as refused:
                pytest.fail(f"first handshake after Redis came back answered {refused.response.status_code}")
            assert first_after == ("snapshot", None)
        finally:
            server.stop()
            redis.kill()
            redis.wait(timeout=10)
    text = log_path.read_text()
    assert "Traceback" not in text, text[-3000:]
    assert "_session_cache" not in text
