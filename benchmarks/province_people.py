"""On the scenario at --scale N: count the people under one province and list one page of them.

The actor is an organiser granted on the national unit (one scope prefix) looking at the largest
province; and a leader granted on that province. p50/p95 over 200 runs each, after 20 warm-ups.
"""

import os
import time

from benchmarks._django import percentile, report, setup, timed

REPEAT = 200
WARM_UP = 20


def main() -> None:
    setup()
    from django.core.management import call_command
    from django.db import connection

    from hoinghi.accounts.models import Grant, User
    from hoinghi.orgs import selectors
    from hoinghi.orgs.models import Person, Unit

    scale = int(os.environ.get("BENCH_SCALE", "10"))
    started = time.perf_counter()
    call_command("demo_load", scale=scale, verbosity=0)
    report(
        benchmark=f"scenario_scale_{scale}",
        seconds=round(time.perf_counter() - started, 1),
        units=Unit.objects.count(),
        people=Person.objects.count(),
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    federations = Unit.objects.filter(kind__code="provincial_federation")
    province = max(federations, key=lambda unit: Person.objects.filter(unit__path__under=unit.path).count())
    national = Unit.objects.get(parent__isnull=True)
    leader, _ = User.objects.get_or_create(username="bench-province-leader")
    Grant.objects.get_or_create(user=leader, role="viewer", unit=province)
    organiser, _ = User.objects.get_or_create(username="bench-organiser")
    Grant.objects.get_or_create(user=organiser, role="organiser", unit=national)

    for label, actor in (("national_organiser", organiser), ("province_leader", leader)):
        actor = User.objects.get(pk=actor.pk)

        def count_and_page(actor=actor):
            total = selectors.person_count(actor=actor, unit=province)
            page = list(selectors.person_list(actor=actor, unit=province)[:50])
            return total, page

        total, page = count_and_page()
        timed(count_and_page, WARM_UP)
        samples = timed(count_and_page, REPEAT)
        report(
            benchmark="province_people_count_and_page",
            actor=label,
            province=province.name,
            people_in_province=total,
            page_rows=len(page),
            runs=REPEAT,
            p50_ms=round(percentile(samples, 0.5), 2),
            p95_ms=round(percentile(samples, 0.95), 2),
        )


if __name__ == "__main__":
    main()
