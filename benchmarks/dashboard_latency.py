"""From a check-in to the dashboards (issues 4 and 13): 400 live dashboards while check-ins arrive.

On the 2018 conference (`demo_load`, scale 1), uvicorn (two workers on PostgreSQL, one on SQLite;
Redis as cache and channel layer) serves 400 WebSocket dashboards (/ws/truc-tiep/<id>/). Of
them, BENCH_AUDIENCES are subtree audiences: signed in as leaders ("organiser") of the national
unit's direct children (85 in 2018: provincial federations and national sector unions), taken in
turn, so 100 of them make 85 distinct audiences (channel groups) with 15 screens shared. The
others are signed in as one organiser granted on the national unit (one audience). Then check-ins
go through the HTTP API at a steady RATE a second for SECONDS seconds, in requests of BATCH scans
of one point (the points in turn; a page sends what it has queued), each signed in as that
point's operator: one request every BATCH/RATE s, whatever the answers.

Request n is sent at s_n and makes the count of people present the number of scans sent up to
and including it (each scan is a different invitee). For each dashboard, the delay of request n
is the time from s_n to the first snapshot whose `totals.people` is at least that count: it
covers the request, the commit, the broadcaster's coalescing (at most one snapshot a second),
the snapshot's queries and the delivery. A subtree screen counts only the scans it sees (at a
point of its subtree, or of a person of its subtree, as `attendance.dashboard.Audience` decides),
and its delays are those of the requests holding at least one such scan. Figures, national and
subtree screens apart: p50/p95/max over every (request, dashboard) pair, messages received per
dashboard per second,
their size (the first is the whole snapshot, the others updates), the server's peak RSS (process
group, sampled every 100 ms). Then BENCH_ISOLATED single check-ins, 2.5 s apart, each waited for:
the delay of a change that meets no coalescing (the page's "a change shows within 1 s").
"""

import asyncio
import logging
import os
import re
import time
import uuid
from collections import Counter
from itertools import pairwise

import httpx
import websockets

from benchmarks._django import percentile, report
from benchmarks._live import (
    PASSWORD,
    PeakMemory,
    now_iso,
    operator_sessions,
    prepare,
    server_options,
    session_cookie,
)

DASHBOARDS = int(os.environ.get("BENCH_DASHBOARDS", "400"))
RATE = float(os.environ.get("BENCH_RATE", "200"))
BATCH = int(os.environ.get("BENCH_BATCH", "10"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
# Browsers ask for permessage-deflate, and so do these clients unless BENCH_WS_DEFLATE=0.
DEFLATE = os.environ.get("BENCH_WS_DEFLATE", "1") != "0"
# Then single check-ins this far apart: a change after a quiet spell is sent without waiting.
ISOLATED = int(os.environ.get("BENCH_ISOLATED", "10"))
ISOLATED_EVERY = 2.5  # seconds
# Of the dashboards, this many belong to leaders of the national unit's direct children, taken in
# turn (at most 85 distinct audiences in 2018, each its own channel group).
AUDIENCES = int(os.environ.get("BENCH_AUDIENCES", "0"))
PEOPLE = re.compile(r'"people": (\d+)')  # in "totals"; the only key of that name in a snapshot


class Dashboard:
    def __init__(self, url: str, cookie: str, origin: str, path: str = ""):
        self.url, self.cookie, self.origin = url, cookie, origin
        self.path = path  # the subtree a leader's screen shows; "" for the national screens
        self.received: list[tuple[float, int]] = []  # (when, people) of every snapshot
        self.sizes: list[int] = []  # characters of each message: the first snapshot, then the updates
        self.socket = None
        self.task: asyncio.Task | None = None
        self.closed_with: str | None = None  # the server's close code, or what ended the socket here

    async def open(self) -> None:
        self.socket = await websockets.connect(
            self.url,
            origin=self.origin,
            additional_headers={"Cookie": self.cookie},
            max_size=None,
            compression="deflate" if DEFLATE else None,
            open_timeout=120,
        )
        first = await self.socket.recv()
        self.sizes.append(len(first))
        self.received.append((time.perf_counter(), int(PEOPLE.search(first).group(1))))
        self.task = asyncio.create_task(self.listen())

    async def listen(self) -> None:
        try:
            async for message in self.socket:
                self.sizes.append(len(message))
                self.received.append((time.perf_counter(), int(PEOPLE.search(message).group(1))))
        except websockets.ConnectionClosed as closed:
            if closed.rcvd:
                self.closed_with = str(closed.rcvd.code)
            else:  # no close frame from the server: our own (ping timeout: 1011) or a lost connection
                self.closed_with = f"client {closed.sent.code}" if closed.sent else "lost"


async def shown(dashboards: list, people, *, within: float) -> None:
    """Wait until every dashboard shows `people` (a number, or a function of the dashboard)."""
    expected = people if callable(people) else (lambda _dashboard: people)
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and any(d.received[-1][1] < expected(d) for d in dashboards):
        await asyncio.sleep(0.05)


def delays_of(sent: list[tuple[float, int]], dashboards: list) -> tuple[list[float], int]:
    """For every (request, dashboard): from the request's send to the first message showing it."""
    sent = sorted(sent)
    delays, missing = [], 0
    for dashboard in dashboards:
        position = 0
        for received_at, people in dashboard.received:
            while position < len(sent) and sent[position][1] <= people:
                delays.append(received_at - sent[position][0])
                position += 1
        missing += len(sent) - position
    return delays, missing


def seen_by(path: str, places: dict[int, tuple[str, str]], invitation_ids: list[int]) -> int:
    """How many of these scans a screen of the subtree at `path` counts: those at a point of the
    subtree or of a person of it. `places`: invitation id -> (its point's unit path, its person's)."""
    return sum(1 for i in invitation_ids if places[i][0].startswith(path) or places[i][1].startswith(path))


async def measure(
    server_url: str,
    conference_id: int,
    organiser: dict,
    sessions: dict,
    batches: list,
    leaders: list,
    places: dict,
) -> dict:
    from django.conf import settings

    ws_url = server_url.replace("http://", "ws://") + f"/ws/truc-tiep/{conference_id}/"
    cookie = "; ".join(f"{k}={v}" for k, v in organiser["cookies"].items())
    national = [Dashboard(ws_url, cookie, server_url) for _ in range(DASHBOARDS - AUDIENCES)]
    subtrees = [
        Dashboard(ws_url, f"{settings.SESSION_COOKIE_NAME}={session_key}", server_url, path)
        for session_key, path in (leaders[n % len(leaders)] for n in range(AUDIENCES))
    ]
    dashboards = national + subtrees
    connecting = time.perf_counter()
    for start in range(0, DASHBOARDS, 25):  # as pages opening over a short while
        await asyncio.gather(*(d.open() for d in dashboards[start : start + 25]))
    connected_in = time.perf_counter() - connecting
    await asyncio.sleep(2)

    clients = {
        point_id: httpx.AsyncClient(base_url=server_url, timeout=60, **session)
        for point_id, session in sessions.items()
    }
    sent: list[tuple[float, int]] = []  # (send time, people present once it is in)
    sent_batches: list[int] = []  # the index in `batches` of each request of `sent`
    errors: list[str] = []
    latencies: list[float] = []

    async def check_in(
        point_id: int, invitation_ids: list[int], count_after: int, log=sent, index: int | None = None
    ) -> None:
        scans = [
            {"id": str(uuid.uuid4()), "method": "search", "invitation_id": i, "scanned_at": now_iso()}
            for i in invitation_ids
        ]
        began = time.perf_counter()
        log.append((began, count_after))
        if index is not None:
            sent_batches.append(index)
        try:
            response = await clients[point_id].post(f"/api/points/{point_id}/scans", json={"scans": scans})
        except httpx.HTTPError as error:
            errors.append(repr(error))
            return
        latencies.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            errors.append(f"{response.status_code} {response.text[:200]}")

    total = int(RATE * SECONDS / BATCH)
    requests = []
    window_start = time.perf_counter()
    final = 0  # people present once every request so far is in (a small point has < BATCH)
    for n, (point_id, invitation_ids) in enumerate(batches[:total]):
        delay = window_start + n * BATCH / RATE - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        final += len(invitation_ids)
        requests.append(asyncio.create_task(check_in(point_id, invitation_ids, final, index=n)))
    await asyncio.gather(*requests)
    window_end = time.perf_counter()
    # What each subtree screen must count after each request (the requests in send order).
    paths = {d.path for d in subtrees}
    cumulative = {path: [] for path in paths}
    for path in paths:
        count = 0
        for _point_id, invitation_ids in batches[:total]:
            count += seen_by(path, places, invitation_ids)
            cumulative[path].append(count)
    # Wait for the last snapshots (the broadcaster sends at most once a second).
    await shown(national, final, within=15)
    await shown(subtrees, lambda d: cumulative[d.path][-1] if cumulative[d.path] else 0, within=15)

    # Single check-ins after quiet spells, each waited for.
    isolated: list[tuple[float, int]] = []
    for point_id, invitation_ids in batches[total : total + ISOLATED]:
        await asyncio.sleep(ISOLATED_EVERY)
        final += 1
        await check_in(point_id, invitation_ids[:1], final, log=isolated)
        await shown(national, final, within=5)
    for client in clients.values():
        await client.aclose()

    # Request n (in send order) makes the count its `count_after` once it and those before are in.
    delays, missing = delays_of(sent, national)
    isolated_delays, isolated_missing = delays_of(isolated, national)
    subtree_delays, subtree_missing = [], 0
    for dashboard in subtrees:
        counts = cumulative[dashboard.path]
        seen = [
            (began, counts[index])
            for (began, _count), index in zip(sent, sent_batches, strict=True)
            if counts[index] > (counts[index - 1] if index else 0)
        ]
        found, lost = delays_of(seen, [dashboard])
        subtree_delays += found
        subtree_missing += lost
    rates, subtree_rates, subtree_gaps = [], [], []
    for dashboard in dashboards:
        in_window = [r for r in dashboard.received[1:] if window_start <= r[0] <= window_end + 1.5]
        rate = len(in_window) / (window_end + 1.5 - window_start)
        if dashboard in subtrees:
            subtree_rates.append(rate)
            subtree_gaps += [later[0] - earlier[0] for earlier, later in pairwise(in_window)]
        else:
            rates.append(rate)
        if dashboard.task:
            dashboard.task.cancel()
        await dashboard.socket.close()
    updates = [size for d in dashboards for size in d.sizes[1:]]
    return {
        "first_message_kb": round(sum(d.sizes[0] for d in dashboards) / len(dashboards) / 1000, 1),
        "update_kb_mean": round(sum(updates) / max(1, len(updates)) / 1000, 1),
        "update_kb_max": round(max(updates, default=0) / 1000, 1),
        "connected_in": connected_in,
        "delays": delays,
        "subtree_delays": subtree_delays,
        "isolated_delays": isolated_delays,
        "rates": rates,
        "subtree_rates": subtree_rates,
        "subtree_gaps": subtree_gaps,
        "missing": missing + isolated_missing,
        "subtree_missing": subtree_missing,
        "sent": sum(len(ids) for _point, ids in batches[:total]),
        "requests": len(sent),
        "window": window_end - window_start,
        "latencies": latencies,
        "errors": errors,
        "closed": dict(Counter(d.closed_with for d in dashboards if d.closed_with is not None)),
    }


def subtree_leaders(count: int) -> list:
    """(user, unit path) of users granted "organiser" on each of the first `count` children of the
    national unit (every child when `count` is larger)."""
    from hoinghi.accounts.models import Grant, User
    from hoinghi.orgs.models import Unit

    national = Unit.objects.get(parent__isnull=True)
    leaders = []
    for unit in Unit.objects.filter(parent=national).order_by("path")[:count]:
        user, created = User.objects.get_or_create(username=f"bench-leader-{unit.pk}")
        if created:
            user.set_unusable_password()
            user.save()
            Grant.objects.create(user=user, role="organiser", unit=unit)
        leaders.append((user, unit.path))
    return leaders


def main() -> None:
    load_at_start = os.getloadavg()
    scene = prepare()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from django.db import connection

    from hoinghi.attendance.testing import login, running
    from hoinghi.conferences.models import Invitation, InvitationStatus

    # Requests of BATCH people of one point each, the points taken in turn.
    by_point: dict[int, list[int]] = {}
    places: dict[int, tuple[str, str]] = {}  # invitation id -> (point's unit path, person's unit path)
    for point_id, invitation_id, point_path, person_path in Invitation.objects.filter(
        conference=scene.conference, status=InvitationStatus.ACTIVE
    ).values_list("point_id", "pk", "point__unit__path", "person__unit__path"):
        by_point.setdefault(point_id, []).append(invitation_id)
        places[invitation_id] = (point_path, person_path)
    batches = []
    for start in range(0, max(len(i) for i in by_point.values()), BATCH):
        for point_id, invitation_ids in sorted(by_point.items()):
            if invitation_ids[start : start + BATCH]:
                batches.append((point_id, invitation_ids[start : start + BATCH]))
    leaders = [(session_cookie(user), path) for user, path in subtree_leaders(AUDIENCES)]
    with running(**server_options(connection.vendor)) as server:
        organiser = login(server.url, scene.organiser.username, PASSWORD)
        sessions = operator_sessions(scene, organiser)
        with PeakMemory(server) as memory:
            outcome = asyncio.run(
                measure(server.url, scene.conference.pk, organiser, sessions, batches, leaders, places)
            )
    delays, subtree_delays = outcome["delays"], outcome["subtree_delays"]

    def ms(samples: list[float], fraction: float | None = None) -> int | None:
        if not samples:
            return None
        return round((max(samples) if fraction is None else percentile(samples, fraction)) * 1000)

    report(
        benchmark="dashboard_latency",
        load_1_5_15_at_start=[round(x, 2) for x in load_at_start],
        load_1_5_15_at_end=[round(x, 2) for x in os.getloadavg()],
        dashboards=DASHBOARDS,
        deflate=DEFLATE,
        connect_all_s=round(outcome["connected_in"], 1),
        checkins=outcome["sent"],
        requests=outcome["requests"],
        scans_per_request_max=BATCH,
        checkins_per_s=round(outcome["sent"] / outcome["window"]),
        request_p50_ms=round(percentile(outcome["latencies"], 0.5), 1),
        request_p99_ms=round(percentile(outcome["latencies"], 0.99), 1),
        national_dashboards=DASHBOARDS - AUDIENCES,
        delay_p50_ms=ms(delays, 0.5),
        delay_p95_ms=ms(delays, 0.95),
        delay_max_ms=ms(delays),
        target_p95_ms="< 1000",
        subtree_dashboards=AUDIENCES,
        subtree_audiences=len(leaders),
        subtree_delay_p50_ms=ms(subtree_delays, 0.5),
        subtree_delay_p95_ms=ms(subtree_delays, 0.95),
        subtree_delay_max_ms=ms(subtree_delays),
        isolated_checkins=ISOLATED,
        isolated_delay_p50_ms=ms(outcome["isolated_delays"], 0.5),
        isolated_delay_p95_ms=ms(outcome["isolated_delays"], 0.95),
        isolated_delay_max_ms=ms(outcome["isolated_delays"]),
        snapshots_per_dashboard_per_s=round(sum(outcome["rates"]) / len(outcome["rates"]), 2),
        snapshots_per_dashboard_per_s_max=round(max(outcome["rates"]), 2),
        first_message_kb=outcome["first_message_kb"],
        update_kb_mean=outcome["update_kb_mean"],
        update_kb_max=outcome["update_kb_max"],
        subtree_updates_per_s=round(sum(outcome["subtree_rates"]) / len(outcome["subtree_rates"]), 2)
        if outcome["subtree_rates"]
        else None,
        subtree_gap_p95_ms=round(percentile(outcome["subtree_gaps"], 0.95) * 1000)
        if outcome["subtree_gaps"]
        else None,
        never_shown=outcome["missing"],
        subtree_never_shown=outcome["subtree_missing"],
        sockets_closed=outcome["closed"],
        server_peak_rss_mib=memory.mib,
        errors=len(outcome["errors"]),
    )
    for error in outcome["errors"][:5]:
        print(f"error: {error}")
    assert not outcome["errors"], "requests failed"


if __name__ == "__main__":
    main()
