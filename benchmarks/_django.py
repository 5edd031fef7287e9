"""Set up Django in a benchmark process against DATABASE_URL and migrate it."""

import json
import os
import statistics
import time


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoinghi.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def report(**figures) -> None:
    """One JSON line per result; `python -m benchmarks` prints and collects them."""
    figures.setdefault("database", os.environ.get("BENCH_DATABASE", "?"))
    print(json.dumps(figures, ensure_ascii=False), flush=True)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def timed(function, repeat: int) -> list[float]:
    """Milliseconds of `repeat` calls."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


__all__ = ["percentile", "report", "setup", "statistics", "timed"]
