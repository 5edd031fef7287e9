"""Time to generate the 2018 scenario at scale 1 (`hoinghi demo-load`)."""

import time

from benchmarks._django import report, setup


def main() -> None:
    setup()
    from django.core.management import call_command

    from hoinghi.orgs.models import Person, Position, Unit

    started = time.perf_counter()
    call_command("demo_load", scale=1, verbosity=0)
    seconds = time.perf_counter() - started
    report(
        benchmark="scenario_scale_1",
        seconds=round(seconds, 1),
        units=Unit.objects.count(),
        people=Person.objects.count(),
        positions=Position.objects.count(),
    )


if __name__ == "__main__":
    main()
