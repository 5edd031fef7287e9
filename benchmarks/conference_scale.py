"""Who the 2018 conference invites, on the scenario at --scale N (default 10): target < 30 s.

`demo_load --scale N` builds a tree N times the 2018 one and the conference with its rules;
this times `eligibility_compute` over it (best and median of three runs after the load, which
itself computes it once to issue the invitations).
"""

import os
import statistics
import time

from benchmarks._django import report, setup, timed

RUNS = 3


def main() -> None:
    setup()
    from django.core.management import call_command
    from django.db import connection

    from hoinghi.conferences.eligibility import eligibility_compute
    from hoinghi.conferences.models import Conference

    scale = int(os.environ.get("BENCH_SCALE", "10"))
    started = time.perf_counter()
    call_command("demo_load", scale=scale, verbosity=0)
    load_seconds = round(time.perf_counter() - started, 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    conference = Conference.objects.order_by("starts_at").first()
    candidates = len(eligibility_compute(conference).candidates)
    samples = timed(lambda: eligibility_compute(conference), RUNS)
    report(
        benchmark="eligibility_compute",
        scale=scale,
        load_seconds=load_seconds,
        points=conference.points.count(),
        candidates=candidates,
        target="< 30 s",
        best_ms=round(min(samples)),
        median_ms=round(statistics.median(samples)),
    )


if __name__ == "__main__":
    main()
