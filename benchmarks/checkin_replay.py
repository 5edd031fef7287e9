"""The 2018 morning through the HTTP API (issue 4): 24,814 check-ins from 364 concurrent clients.

The scenario is loaded with `demo_load` (scale 1); uvicorn serves it (two workers on PostgreSQL,
Redis as cache and channel layer), and one asyncio client per bridge point (`_device.Device`:
HTTP/1.1 keep-alive by h11, lighter on the shared cores than httpx), signed in as that point's
operator, plays the point's part of `simulation.morning_plan`. Like the check-in page, a
client sends whatever its queue holds (at most `batch` scans) in one request and waits for the
answer before sending again. Three runs, each on an emptied attendance:

0. saturation: the morning's 25 minutes of arrivals squeezed into BENCH_REPLAY_SECONDS (2 s:
   12,400 scans a second arrive, four times the target), faster than the server can take them,
   so the server sets the pace: the throughput. Batches of up to PAGE_BATCH (200, as the check-in
   page sends), all 24,814 scans. Until 2026-12-06 the squeeze was 8 s: 3,100 scans a second,
   which a server near 3,000 a second no longer lags behind, so the figure measured the
   arrivals as much as the server (even an instant server could not pass 24,814 / 8 s).
1. busiest_real_pace: the busiest BENCH_BUSIEST_SECONDS (60 s) of the morning at its real pace,
   batches of up to PAGE_BATCH: the latency a morning sees.
2. saturation with one scan a request (as a page without batching would), for
   BENCH_SINGLE_SECONDS (60 s): the clients stop sending then.
3. the same with every scan a QR code (what a handheld scanner sends: the link the code holds,
   one request a scan), the figure to set beside other check-in systems.

Figures: check-ins per second (scans acknowledged / time from the first request to the last
answer), requests per second, mean batch, request latency p50/p95/p99 (client side), and the
server's peak RSS (the sum over uvicorn's process group, sampled every 100 ms), and the CPU time
per request of the app server (uvicorn's processes), of PostgreSQL (its processes), from /proc,
and of the clients (this process), with what the cores would answer without the clients on them.
After each run the database must hold exactly the acknowledged scans and as many people present,
the full run 24,814, and no request may have failed. BENCH_RUNS=0,1 picks runs.
"""

import asyncio
import logging
import os
import time
import uuid
from collections import defaultdict

from benchmarks._device import Device
from benchmarks._django import percentile, report
from benchmarks._live import PASSWORD, PeakMemory, now_iso, operator_sessions, prepare, reset, server_options

SQUEEZE_SECONDS = float(os.environ.get("BENCH_REPLAY_SECONDS", "2"))
BUSIEST_SECONDS = float(os.environ.get("BENCH_BUSIEST_SECONDS", "60"))
SINGLE_SECONDS = float(os.environ.get("BENCH_SINGLE_SECONDS", "60"))
RUNS = os.environ.get("BENCH_RUNS", "0,1,2,3")
PEOPLE = 24_814
PAGE_BATCH = int(os.environ.get("BENCH_BATCH", "200"))  # BATCH of attendance/.../checkin/page.js


def morning_scans(conference) -> list[tuple[float, int, dict]]:
    """(seconds from the first scan, point id, what the device sends) of the morning's scans, in
    time order: the invitation, or the QR code of someone at another point than their own."""
    from hoinghi.attendance.simulation import morning_plan

    scans = [step for step in morning_plan(conference) if step.kind == "scan"]
    first = scans[0].at
    return [((s.at - first).total_seconds(), s.point_id, s.scan_fields()) for s in scans]


def as_qr_codes(scans, base_url: str) -> list[tuple[float, int, dict]]:
    """The same scans, each sent as what the invitee's QR code holds (their personal link)."""
    from hoinghi.conferences.models import Invitation

    ids = [fields["invitation_id"] for _at, _point, fields in scans if "invitation_id" in fields]
    tokens = dict(Invitation.objects.filter(pk__in=ids).values_list("pk", "token"))
    coded = []
    for at, point_id, fields in scans:
        token = fields.get("token") or tokens[fields["invitation_id"]]
        coded.append((at, point_id, {"method": "qr", "token": f"{base_url}/moi/{token}/"}))
    return coded


def database_cpu_seconds(database: str | None) -> float:
    """CPU time (user + system) of PostgreSQL's processes on this machine that work for
    `database`, from /proc: its connections, autovacuum and the processes shared by every
    database (the WAL writer, the checkpointer, the postmaster). Connections to other
    databases (another benchmark's data being written, tests of other work on the machine) are
    left out. Connections that have closed count through the postmaster, which is told the CPU
    of the children it reaps, whatever database they served: the server's pool renews each
    connection every 30 s (settings), so a run outlives most of them. SQLite (`database` None)
    works in the server's own processes."""
    if database is None:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                name, rest = stat.read().split(" (", 1)[1].rsplit(")", 1)
            if name != "postgres":
                continue
            with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                title = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
            served = _served_database(title)
            if served not in (None, database):
                continue
            fields = rest.split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
            if served is None:
                total += int(fields[13]) + int(fields[14])  # of its reaped children (the postmaster's)
        except (OSError, ValueError, IndexError):
            continue
    return total / ticks


def _served_database(title: str) -> str | None:
    """The database a PostgreSQL process's title names: "postgres: 15/main: USER DATABASE
    HOST(PORT) STATE" for a connection, "... autovacuum worker DATABASE" for autovacuum; None
    for the processes every database shares."""
    words = title.rsplit(": ", 1)[-1].split()
    if words[:2] == ["autovacuum", "worker"] and len(words) > 2:
        return words[2]
    if len(words) >= 3 and ("(" in words[2] or words[2] == "[local]"):
        return words[1]
    return None


def by_point(scans) -> dict[int, list[tuple[float, dict]]]:
    points: dict[int, list[tuple[float, dict]]] = defaultdict(list)
    for at, point_id, fields in scans:
        points[point_id].append((at, fields))
    return points


def squeezed(scans, seconds: float):
    """The whole morning with its arrivals squeezed into `seconds`."""
    span = scans[-1][0] or 1
    return by_point([(at / span * seconds, p, i) for at, p, i in scans])


def busiest(scans, seconds: float):
    """The busiest `seconds` of the morning, at its real pace."""
    best, start, end = (0, 0, 0), 0, 0
    for end in range(len(scans)):
        while scans[end][0] - scans[start][0] > seconds:
            start += 1
        best = max(best, (end - start + 1, start, end))
    _count, start, end = best
    origin = scans[start][0]
    return by_point([(at - origin, p, i) for at, p, i in scans[start : end + 1]])


async def replay(url: str, sessions: dict, plan: dict, batch: int, stop_after: float | None = None) -> dict:
    latencies: list[float] = []
    sizes: list[int] = []
    errors: list[str] = []
    acknowledged = [0]
    resent: list[str] = []

    clients = {point_id: Device(url, **sessions[point_id]) for point_id in plan}
    started = time.perf_counter()
    ended = [started]

    async def device(point_id: int, scans: list[tuple[float, dict]]) -> None:
        queue: list[dict] = []
        position = 0
        http = clients[point_id]
        try:
            while position < len(scans) or queue:
                elapsed = time.perf_counter() - started
                if stop_after is not None and elapsed > stop_after:
                    return
                if not queue and scans[position][0] > elapsed:
                    await asyncio.sleep(scans[position][0] - elapsed)
                    elapsed = time.perf_counter() - started
                while position < len(scans) and scans[position][0] <= elapsed:
                    queue.append({"id": str(uuid.uuid4()), **scans[position][1], "scanned_at": now_iso()})
                    position += 1
                sending, queue = queue[:batch], queue[batch:]
                sent = time.perf_counter()
                try:
                    status, answer = await http.post_json(f"/api/points/{point_id}/scans", {"scans": sending})
                except ConnectionError as error:
                    # The server closed an idle keep-alive connection as the request left: the
                    # page keeps the scans and sends them again (same ids, so idempotent).
                    resent.append(repr(error))
                    queue = sending + queue
                    continue
                answered = time.perf_counter()
                latencies.append((answered - sent) * 1000)
                sizes.append(len(sending))
                acknowledged[0] += len(sending)
                ended[0] = max(ended[0], answered)
                if status != 200:
                    errors.append(f"{status} {str(answer)[:200]}")
                    continue
                results = answer["results"]
                bad = [r for r in results if r["outcome"] not in ("present", "other_point")]
                if len(results) != len(sending) or bad:
                    errors.append(f"unexpected results: {bad[:2]}")
        finally:
            await http.aclose()

    await asyncio.gather(*(device(point_id, scans) for point_id, scans in plan.items()))
    return {
        "seconds": ended[0] - started,
        "latencies": latencies,
        "sizes": sizes,
        "errors": errors,
        "acknowledged": acknowledged[0],
        "resent": len(resent),
    }


def runs(scans, qr_scans) -> list[dict]:
    """Saturation with the page's batches (the throughput), the busiest minutes of the morning at
    their real pace (the latency of a morning), and saturation with one scan a request for a while."""
    return [
        {
            "run": "saturation",
            "batch": PAGE_BATCH,
            "plan": squeezed(scans, SQUEEZE_SECONDS),
            "arrivals_over_s": SQUEEZE_SECONDS,
        },
        {
            "run": "busiest_real_pace",
            "batch": PAGE_BATCH,
            "plan": busiest(scans, BUSIEST_SECONDS),
            "arrivals_over_s": BUSIEST_SECONDS,
        },
        {
            "run": "saturation",
            "batch": 1,
            "plan": squeezed(scans, SQUEEZE_SECONDS),
            "arrivals_over_s": SQUEEZE_SECONDS,
            "stop_after": SINGLE_SECONDS,
        },
        {
            "run": "saturation_qr",
            "batch": 1,
            "plan": squeezed(qr_scans, SQUEEZE_SECONDS),
            "arrivals_over_s": SQUEEZE_SECONDS,
            "stop_after": SINGLE_SECONDS,
        },
    ]


def main() -> None:
    scene = prepare()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # the sign-ins: not a line per request
    from django.db import connection

    from hoinghi.attendance.models import Attendance, CheckIn
    from hoinghi.attendance.testing import login, running

    scans = morning_scans(scene.conference)
    database = connection.settings_dict["NAME"] if connection.vendor == "postgresql" else None
    with running(**server_options(connection.vendor)) as server:
        organiser = login(server.url, scene.organiser.username, PASSWORD)
        sessions = operator_sessions(scene, organiser)
        chosen = [runs(scans, as_qr_codes(scans, server.url))[int(n)] for n in RUNS.split(",")]
        for number, run in enumerate(chosen):
            if number:
                reset(scene)
            plan = run["plan"]
            planned = sum(len(s) for s in plan.values())
            cpu_before, database_before = server.cpu_seconds(), database_cpu_seconds(database)
            client_before = time.process_time()
            with PeakMemory(server) as memory:
                outcome = asyncio.run(replay(server.url, sessions, plan, run["batch"], run.get("stop_after")))
            app_cpu = server.cpu_seconds() - cpu_before
            database_cpu = database_cpu_seconds(database) - database_before
            client_cpu = time.process_time() - client_before
            present = (
                Attendance.objects.filter(conference=scene.conference).values("person").distinct().count()
            )
            stored = CheckIn.objects.filter(conference=scene.conference).count()
            latencies, seconds, done = outcome["latencies"], outcome["seconds"], outcome["acknowledged"]
            report(
                benchmark="checkin_replay",
                run=run["run"],
                clients=len(plan),
                batch_max=run["batch"],
                arrivals_over_s=run["arrivals_over_s"],
                planned=planned,
                checkins=done,
                seconds=round(seconds, 2),
                checkins_per_s=round(done / seconds),
                requests=len(latencies),
                requests_per_s=round(len(latencies) / seconds),
                mean_batch=round(sum(outcome["sizes"]) / max(1, len(outcome["sizes"])), 1),
                p50_ms=round(percentile(latencies, 0.5), 1),
                p95_ms=round(percentile(latencies, 0.95), 1),
                p99_ms=round(percentile(latencies, 0.99), 1),
                server_cpu_ms_per_request=round(app_cpu * 1000 / max(1, len(latencies)), 2),
                database_cpu_ms_per_request=round(database_cpu * 1000 / max(1, len(latencies)), 2),
                # The 364 devices' side, in this process: on the same two cores as the server.
                client_cpu_ms_per_request=round(client_cpu * 1000 / max(1, len(latencies)), 2),
                # What the machine's cores would answer with no client on them: app + database time.
                server_capacity_requests_per_s=round(
                    (os.cpu_count() or 1) * len(latencies) / max(1e-9, app_cpu + database_cpu)
                ),
                load_1min=round(os.getloadavg()[0], 2),
                server_peak_rss_mib=memory.mib,
                present=present,
                stored=stored,
                errors=len(outcome["errors"]),
                resent_after_transport_error=outcome["resent"],
            )
            for error in outcome["errors"][:5]:
                print(f"error: {error}")
            assert not outcome["errors"], "requests failed"
            assert present == stored == done, (present, stored, done)
            if run.get("stop_after") is None:
                assert done == planned, (done, planned)
                if planned == len(scans):
                    assert present == PEOPLE, present


if __name__ == "__main__":
    main()
