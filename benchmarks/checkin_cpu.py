"""The app server's CPU time for one check-in (issue 15): QR scans sent one after another.

On the 2018 conference (`demo_load`, scale 1), one uvicorn worker on PostgreSQL with Redis (as
`checkin_replay` starts it), and one client sending BENCH_CPU_SCANS single QR scans (what a
handheld scanner sends: the invitee's link), each from its point's operator, one request at a
time, in BENCH_CPU_ROUNDS rounds. Nothing waits in a queue and nothing competes for a core but
the client and PostgreSQL, so the server's CPU per request (its process group, from /proc) is
what one check-in costs, whatever the machine's load; the wall time per request is reported too.
The first round includes the worker's warm-up (the first request of each session, Django's
caches); the best round is the figure.
"""

import logging
import os
import time
import uuid

import httpx

from benchmarks._django import report
from benchmarks._live import PASSWORD, now_iso, operator_sessions, prepare, reset, server_options
from benchmarks.checkin_replay import as_qr_codes, database_cpu_seconds, morning_scans

SCANS = int(os.environ.get("BENCH_CPU_SCANS", "500"))
ROUNDS = int(os.environ.get("BENCH_CPU_ROUNDS", "3"))


def main() -> None:
    scene = prepare()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from django.db import connection

    from hoinghi.attendance.models import CheckIn
    from hoinghi.attendance.testing import login, running

    scans = morning_scans(scene.conference)
    database = connection.settings_dict["NAME"] if connection.vendor == "postgresql" else None
    options = {**server_options(connection.vendor), "workers": 1}
    with running(**options) as server:
        organiser = login(server.url, scene.organiser.username, PASSWORD)
        sessions = operator_sessions(scene, organiser)
        coded = as_qr_codes(scans, server.url)
        clients: dict[int, httpx.Client] = {}
        rounds = []
        try:
            for number in range(ROUNDS):
                chosen = coded[number * SCANS : (number + 1) * SCANS]
                cpu, started = server.cpu_seconds(), time.perf_counter()
                database_cpu = database_cpu_seconds(database)
                for _at, point_id, fields in chosen:
                    if point_id not in clients:
                        options = sessions[point_id]
                        clients[point_id] = httpx.Client(base_url=server.url, timeout=30, **options)
                    scan = {"id": str(uuid.uuid4()), **fields, "scanned_at": now_iso()}
                    response = clients[point_id].post(f"/api/points/{point_id}/scans", json={"scans": [scan]})
                    assert response.status_code == 200, response.text[:300]
                    assert response.json()["results"][0]["outcome"] in ("present", "other_point")
                rounds.append(
                    (
                        (server.cpu_seconds() - cpu) * 1000 / len(chosen),
                        (time.perf_counter() - started) * 1000 / len(chosen),
                        (database_cpu_seconds(database) - database_cpu) * 1000 / len(chosen),
                    )
                )
        finally:
            for client in clients.values():
                client.close()
        stored = CheckIn.objects.filter(conference=scene.conference).count()
    best = min(rounds)
    report(
        benchmark="checkin_cpu",
        scans_per_round=SCANS,
        rounds=ROUNDS,
        server_cpu_ms_per_request_best=round(best[0], 2),
        server_cpu_ms_per_request_rounds=[round(cpu, 2) for cpu, _wall, _database in rounds],
        wall_ms_per_request_best=round(min(wall for _cpu, wall, _database in rounds), 2),
        # PostgreSQL's processes serving the bench database (`checkin_replay.database_cpu_seconds`).
        database_cpu_ms_per_request_best=round(min(database for _cpu, _wall, database in rounds), 2),
        target_cpu_ms="<= 6",
        stored=stored,
        load_1min=round(os.getloadavg()[0], 2),
    )
    assert stored == SCANS * ROUNDS, stored
    reset(scene)


if __name__ == "__main__":
    main()
