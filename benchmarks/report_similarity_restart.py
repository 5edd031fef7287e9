"""Copied text in the application (issue 11): the check of one submitted report against the other
24,813 of the 2018 demo, in a worker that has just started and in one that has checked before.

    python -m benchmarks report_similarity_restart        (SQLite and PostgreSQL, fresh databases)
    DATABASE_URL=... python -m benchmarks.report_similarity_restart   (a database of your own)

Loads the 2018 scenario and all its reports (`demo-load`, `demo-reports --all`: the whole pass
stores every version's sample of shingles) unless the database holds them already. Then, each in
a new process, as the task `similarity_check` runs it (`version_similarity_check`, in its
transaction; checking a version again stores no new flag):

- *stored samples*: the first check after the process starts (the assignment's index read from
  the `VersionShingles` rows), RUNS times in RUNS processes; then CHECKS later checks of other
  reports in the last process (the index kept in its memory);
- *from the texts*: the same first check with no stored sample (as just after the migration, or
  with samples of another algorithm): every other report read, folded and hashed, and the samples
  stored; the process's later checks as above.

The version checked first is a planted copy (its candidates verified); the later ones alternate
copies and honest reports. Peak memory is the process's maximum resident set (VmHWM). On
PostgreSQL the tables are vacuumed and analysed after the load and after the samples are made
again, as autovacuum would have done in a database in use.
"""

import json
import os
import statistics
import subprocess
import sys
import time

from benchmarks._django import report, setup

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
CHECKS = int(os.environ.get("BENCH_CHECKS", "20"))
ALL_REPORTS = 24_000  # fewer in the assignment: the demo's reports are loaded


def _assignment():
    from hoinghi.conferences.models import Conference
    from hoinghi.demo.scenario import CONFERENCE_TITLE
    from hoinghi.learning_reports.models import Assignment

    conference = Conference.objects.filter(title=CONFERENCE_TITLE).first()
    return Assignment.objects.filter(conference=conference).first() if conference else None


def _ensure_demo() -> None:
    from django.core.management import call_command

    from hoinghi.learning_reports.models import Report

    assignment = _assignment()
    if assignment is None:
        call_command("demo_load", verbosity=0)
    assignment = _assignment()
    if assignment is None or Report.objects.filter(assignment=assignment).count() < ALL_REPORTS:
        started = time.perf_counter()
        call_command("demo_reports", all=True, verbosity=0)
        print(f"# demo-reports --all: {time.perf_counter() - started:.1f} s", flush=True)


def _settle() -> None:
    """PostgreSQL: the freshly written tables vacuumed and analysed (their dead rows and their
    statistics as autovacuum leaves them), so a measurement does not meet it at work."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (
                "learning_reports_report",
                "learning_reports_reportversion",
                "learning_reports_versionshingles",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")


def _peak_rss_kb() -> int:
    """This process's peak resident set (VmHWM: since its exec, not its parent's before it)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def _versions(assignment) -> list[int]:
    """A copy first, then copies and honest reports alternately (fixed: the lowest ids)."""
    from hoinghi.learning_reports.models import SimilarityFlag
    from hoinghi.learning_reports.services.similarity import latest_versions

    latest = [pk for pk, _, _ in latest_versions(assignment.pk)]
    flagged = set(
        SimilarityFlag.objects.filter(
            version__report__assignment=assignment, other_version__isnull=False
        ).values_list("version_id", flat=True)
    )
    copies = sorted(pk for pk in latest if pk in flagged)[: CHECKS // 2 + 1]
    honest = [pk for pk in latest if pk not in flagged][:: max(1, len(latest) // CHECKS)][: CHECKS // 2]
    chosen = [copies[0]]
    for copy, own in zip(copies[1:], honest, strict=False):
        chosen += [copy, own]
    return chosen[: CHECKS + 1]


def _worker(version_ids: list[int]) -> None:
    """In a new process: the first check, then the later ones; one JSON line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoinghi.settings")
    import django

    django.setup()
    from hoinghi.learning_reports.services.similarity import version_similarity_check

    before = _peak_rss_kb()
    started = time.perf_counter()
    version_similarity_check(version_id=version_ids[0])
    first = time.perf_counter() - started
    later = []
    for version_id in version_ids[1:]:
        started = time.perf_counter()
        version_similarity_check(version_id=version_id)
        later.append(time.perf_counter() - started)
    peak = _peak_rss_kb()
    print(json.dumps({"first": first, "later": later, "rss_before": before, "rss_peak": peak}))


def _in_new_process(version_ids: list[int]) -> dict:
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.report_similarity_restart", "--worker", *map(str, version_ids)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _stored_figures(assignment) -> dict:
    from django.db.models import Sum
    from django.db.models.functions import Length

    from hoinghi.learning_reports.models import VersionShingles

    rows = VersionShingles.objects.filter(version__report__assignment=assignment)
    return {
        "rows": rows.count(),
        "stored_mb": round((rows.aggregate(size=Sum(Length("sample")))["size"] or 0) / 1e6, 1),
    }


def _figures(runs: list[dict]) -> dict:
    later = runs[-1]["later"]
    return {
        "first_check_s": [round(run["first"], 3) for run in runs],
        "later_checks_median_s": round(statistics.median(later), 3) if later else None,
        "later_checks_max_s": round(max(later), 3) if later else None,
        "later_checks": len(later),
        "peak_rss_mb": round(max(run["rss_peak"] for run in runs) / 1024),
        "rss_before_first_check_mb": round(runs[-1]["rss_before"] / 1024),
    }


def main() -> None:
    setup()
    _ensure_demo()
    from hoinghi.learning_reports.models import VersionShingles
    from hoinghi.learning_reports.services.similarity import latest_versions

    assignment = _assignment()
    versions = _versions(assignment)
    reports = len(latest_versions(assignment.pk))
    VersionShingles.objects.filter(version__report__assignment=assignment).delete()
    _settle()
    from_texts = _in_new_process(versions)
    report(benchmark="report_similarity_restart.from_texts", reports=reports, **_figures([from_texts]))
    _settle()
    stored = [_in_new_process(versions if run == RUNS - 1 else versions[:1]) for run in range(RUNS)]
    report(
        benchmark="report_similarity_restart.stored_samples",
        reports=reports,
        **_figures(stored),
        **_stored_figures(assignment),
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        _worker([int(pk) for pk in sys.argv[2:]])
    else:
        main()
