"""Learning reports' statistics at the 2018 conference's size (issue 11): the national statistics
page at 25,000 reports (target p95 < 300 ms on PostgreSQL), its .xlsx and PDF, and the live
view's snapshot that redraws it.

Loads the 2018 scenario (`demo_load` without its conference, then the conference alone: 24,814
invitees; not the demo's own assignment and Hà Nội's reports), sets the conference an assignment
that all invitees must write, and gives every invitation a report in a fixed spread of states (seeded):
10 % drafts, 15 % submitted, 20 % in marking, 30 % marked and 25 % released, a tenth of them late,
the marked ones in the five grade bands. Then, signed in as the national organiser through
Django's test client (the real URL, middleware and template), each page RUNS times after one
warm-up:

- the statistics page at the top (one row: the Confederation), of the national unit (its
  ~85 children), and of Hà Nội (its districts);
- the same of Hà Nội as .xlsx and as PDF (the PDF lists everyone of Hà Nội who has not submitted);
- the live view's snapshot for the national page (`learning_reports.live.statistics_snapshot`).
"""

import os
import random
import time
from datetime import timedelta

from benchmarks._django import percentile, report, setup, statistics

RUNS = int(os.environ.get("BENCH_RUNS", "30"))
STATES = [("draft", 10), ("submitted", 15), ("in_marking", 20), ("marked", 30), ("released", 25)]
BANDS = ["excellent", "good", "fair", "pass", "fail"]


def _reports(assignment, invitations) -> int:
    from django.utils import timezone

    from hoinghi.learning_reports.models import Report

    rng = random.Random(2018)
    now = timezone.now()
    states = [state for state, weight in STATES for _ in range(weight)]
    rows = []
    for invitation_id in invitations:
        state = rng.choice(states)
        marked = state in ("marked", "released")
        rows.append(
            Report(
                assignment=assignment,
                invitation_id=invitation_id,
                state=state,
                submitted_at=None if state == "draft" else now - timedelta(hours=rng.randint(1, 300)),
                is_late=state != "draft" and rng.random() < 0.1,
                total=rng.randint(3, 10) if marked else None,
                band=rng.choice(BANDS) if marked else "",
                marked_at=now if marked else None,
                released_at=now if state == "released" else None,
            )
        )
    Report.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _figures(samples: list[float]) -> dict:
    return {
        "p50_ms": round(statistics.median(samples)),
        "p95_ms": round(percentile(samples, 0.95)),
        "max_ms": round(max(samples)),
    }


def main() -> None:
    setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from hoinghi.accounts.models import Grant, User
    from hoinghi.conferences.models import InvitationStatus
    from hoinghi.core.permissions import reach
    from hoinghi.demo.scenario import conference_2018_create
    from hoinghi.learning_reports import services
    from hoinghi.learning_reports.live import StatisticsAudience, statistics_snapshot
    from hoinghi.learning_reports.statistics import statistics_units
    from hoinghi.orgs.models import Unit

    started = time.perf_counter()
    call_command("demo_load", scale=1, no_conference=True, verbosity=0)
    admin, _created = User.objects.get_or_create(username="bench-statistics-admin", is_superuser=True)
    conference = conference_2018_create(actor=admin)
    national = Unit.objects.get(parent__isnull=True)
    now = timezone.now()
    assignment = services.assignment_create(
        actor=admin,
        conference=conference,
        title="Bài thu hoạch Nghị quyết Đại hội XII Công đoàn Việt Nam",
        opens_at=now - timedelta(days=14),
        due_at=now + timedelta(days=1),
        who_must_write="all_invitees",
    )
    invitations = list(
        conference.invitations.filter(status=InvitationStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    count = _reports(assignment, invitations)
    if connection.vendor == "postgresql":
        # VACUUM too: autovacuum would otherwise visit the freshly written tables while the first
        # pages are measured (a production table is long since vacuumed).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    report(
        benchmark="learning_statistics_load", reports=count, seconds=round(time.perf_counter() - started, 1)
    )

    organiser, _created = User.objects.get_or_create(username="bench-statistics-organiser")
    Grant.objects.get_or_create(user=organiser, role="organiser", unit=national)
    organiser = User.objects.get(pk=organiser.pk)
    client = Client(HTTP_HOST="localhost")
    client.force_login(organiser)
    url = reverse("learning_reports:statistics", args=[conference.pk])
    hanoi = Unit.objects.get(name="Liên đoàn Lao động Thành phố Hà Nội")

    def page(query: dict, what: str, target: str = "report") -> None:
        def get():
            response = client.get(url, query)
            assert response.status_code == 200, response.status_code
            return response

        size = len(get().content)
        samples = []
        for _ in range(RUNS):
            started = time.perf_counter()
            get()
            samples.append((time.perf_counter() - started) * 1000)
        report(
            benchmark="learning_statistics",
            page=what,
            reports=count,
            bytes=size,
            target=target,
            **_figures(samples),
        )

    page({}, "top (the Confederation)", "p95 < 300 ms")
    page({"don-vi": national.pk}, "national unit, ~85 rows", "p95 < 300 ms")
    page({"don-vi": hanoi.pk}, "Hà Nội, its districts")
    page({"don-vi": hanoi.pk, "xuat": "xlsx"}, "Hà Nội .xlsx")
    page({"don-vi": hanoi.pk, "xuat": "pdf"}, "Hà Nội PDF")

    audience = StatisticsAudience(
        reach(organiser, "learning_reports.view_reports"),
        national.pk,
        tuple(unit.pk for unit in statistics_units(actor=organiser, unit=national)),
    )
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        statistics_snapshot(conference, audience)
        samples.append((time.perf_counter() - started) * 1000)
    report(benchmark="learning_statistics_live_snapshot", rows=len(audience.row_ids), **_figures(samples))


if __name__ == "__main__":
    main()
