"""Check-in under load and failure, through the real HTTP API of real server processes.

- 364 concurrent clients send every check-in of the 2018 conference, with retries and people
  scanned at a second point: exactly 24,814 present, every scan stored once, no error.
- The server is killed (SIGKILL) while a batch is in flight, and started again: after the client
  syncs its queue, every scan is counted exactly once.
- Redis goes away: check-ins are still stored, the polling snapshot still answers, and live
  updates come back when Redis does.

The servers are uvicorn processes on the test database (a file for SQLite, see settings), so a
kill is a real kill. Every wait is bounded.
"""

import asyncio
import os
import random
import socket
import subprocess
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from django.core.management import call_command
from django.db import connection

from hoinghi.attendance.models import Attendance, CheckIn
from hoinghi.attendance.testing import Server, free_port, running
from hoinghi.attendance.testing import login as server_login
from hoinghi.conferences.models import Conference, Invitation, InvitationStatus

PASSWORD = "mat-khau-do-tin-cay"
pytestmark = pytest.mark.django_db(transaction=True)


def _login(base_url: str, username: str) -> dict:
    return server_login(base_url, username, PASSWORD)


def _scan(invitation_id: int) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "method": "search",
        "invitation_id": invitation_id,
        "scanned_at": datetime.now(UTC).isoformat(),
    }


@pytest.fixture
def organiser_password(superuser):
    superuser.set_password(PASSWORD)
    superuser.save()
    return superuser


def test_24814_scans_from_364_concurrent_clients_make_24814_people_present(organiser_password):
    call_command("demo_load", verbosity=0)
    conference = Conference.objects.get()
    by_point: dict[int, list[int]] = {}
    for invitation_id, point_id in Invitation.objects.filter(
        conference=conference, status=InvitationStatus.ACTIVE
    ).values_list("pk", "point_id"):
        by_point.setdefault(point_id, []).append(invitation_id)
    points = sorted(by_point)
    assert len(points) == 364
    rng = random.Random(6122018)
    # Every client's scans, in batches as the page sends them; 1 % of people also at another point.
    plan: dict[int, list[dict]] = {
        point: [_scan(i) for i in invitations] for point, invitations in by_point.items()
    }
    for invitations in by_point.values():
        for invitation_id in rng.sample(invitations, k=len(invitations) // 100):
            plan[rng.choice(points)].append(_scan(invitation_id))
    sent_ids = {scan["id"] for scans in plan.values() for scan in scans}

    # SQLite is the one-process demo store: one server process (two would fight over its single
    # write lock); PostgreSQL gets two, as production would.
    with running(workers=2 if connection.vendor == "postgresql" else 1) as server:
        session = _login(server.url, organiser_password.username)
        errors: list[str] = []

        async def client(point: int, scans: list[dict]) -> None:
            async with httpx.AsyncClient(base_url=server.url, timeout=60, **session) as http:
                for start in range(0, len(scans), 25):
                    batch = {"scans": scans[start : start + 25]}
                    attempts = 2 if rng.random() < 0.03 else 1  # 3 % of batches are sent again
                    for _ in range(attempts):
                        response = await http.post(f"/api/points/{point}/scans", json=batch)
                        if response.status_code != 200:
                            errors.append(f"{response.status_code} {response.text[:200]}")

        async def everyone() -> None:
            await asyncio.gather(*(client(point, scans) for point, scans in plan.items()))

        asyncio.run(asyncio.wait_for(everyone(), timeout=900))

    assert errors == []
    present = Attendance.objects.filter(conference=conference).values("person").distinct().count()
    assert present == 24_814
    assert CheckIn.objects.filter(conference=conference).count() == len(sent_ids)
    assert set(map(str, CheckIn.objects.values_list("id", flat=True))) == sent_ids


def test_a_server_killed_mid_batch_counts_every_scan_exactly_once_after_sync(
    small_conference, organiser_password
):
    from hoinghi.conferences import services as conferences
    from hoinghi.orgs.tests.factories import PersonFactory, PositionFactory

    conference = small_conference.conference
    role = small_conference.committee_rule.roles.get()
    for index in range(240):
        PositionFactory(
            person=PersonFactory(unit=small_conference.ba_dinh_point.unit, given_name=f"Người{index}"),
            role=role,
        )
    conferences.conference_issue(actor=organiser_password, conference=conference)
    point = small_conference.ba_dinh_point
    invitations = list(
        Invitation.objects.filter(conference=conference, point=point).values_list("pk", flat=True)
    )
    queue = [_scan(i) for i in invitations]  # the device's queue, as IndexedDB would hold it
    batches = [queue[start : start + 20] for start in range(0, len(queue), 20)]

    server = Server().start()
    try:
        session = _login(server.url, organiser_password.username)
        with httpx.Client(base_url=server.url, timeout=30, **session) as http:
            for batch in batches[:4]:
                assert http.post(f"/api/points/{point.pk}/scans", json={"scans": batch}).status_code == 200
        # The fifth batch is on the wire when the server dies: the device never hears back, and
        # cannot know whether it was stored.
        outcome: list[object] = []

        def send_fifth() -> None:
            with httpx.Client(base_url=server.url, timeout=30, **session) as http:
                try:
                    outcome.append(http.post(f"/api/points/{point.pk}/scans", json={"scans": batches[4]}))
                except httpx.TransportError as error:
                    outcome.append(error)

        sender = threading.Thread(target=send_fifth)
        sender.start()
        time.sleep(0.03)
        server.kill()
        sender.join(timeout=30)
        assert outcome, "the request neither failed nor answered"
    finally:
        server.stop()

    # Started again, on the same database; the device syncs everything it has not seen acknowledged,
    # and (being careful) the acknowledged batches too.
    with running() as again:
        session = _login(again.url, organiser_password.username)
        with httpx.Client(base_url=again.url, timeout=30, **session) as http:
            for batch in batches:
                response = http.post(f"/api/points/{point.pk}/scans", json={"scans": batch})
                assert response.status_code == 200, response.text[:300]

    assert Attendance.objects.filter(conference=conference, point=point).count() == len(invitations)
    assert CheckIn.objects.filter(conference=conference).count() == len(queue)


def _redis_server(port: int) -> subprocess.Popen:
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


@pytest.mark.skipif(
    not any((Path(p) / "redis-server").exists() for p in os.environ["PATH"].split(":")),
    reason="redis-server is not installed",
)
def test_when_redis_goes_away_check_ins_are_stored_and_polling_answers(small_conference, organiser_password):
    from hoinghi.conferences import services as conferences

    conference = small_conference.conference
    conferences.conference_issue(actor=organiser_password, conference=conference)
    point = small_conference.hcm_point
    invitations = list(
        Invitation.objects.filter(conference=conference, point=point).values_list("pk", flat=True)
    )
    redis_port = free_port()
    redis = _redis_server(redis_port)
    try:
        with running(extra_env={"REDIS_URL": f"redis://127.0.0.1:{redis_port}/0"}) as server:
            session = _login(server.url, organiser_password.username)
            with httpx.Client(base_url=server.url, timeout=30, **session) as http:
                redis.kill()
                redis.wait(timeout=10)
                response = http.post(f"/api/points/{point.pk}/scans", json={"scans": [_scan(invitations[0])]})
                assert response.status_code == 200, response.text[:300]
                live = http.get(f"/api/conferences/{conference.pk}/live")
                assert live.status_code == 200, live.text[:300]

                redis = _redis_server(redis_port)
                response = http.post(f"/api/points/{point.pk}/scans", json={"scans": [_scan(invitations[1])]})
                assert response.status_code == 200
    finally:
        redis.kill()
        redis.wait(timeout=10)
    assert Attendance.objects.filter(conference=conference, point=point).count() == 2
