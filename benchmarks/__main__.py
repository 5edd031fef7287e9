"""Run every benchmark on fresh databases and print the figures.

    python -m benchmarks [NAME ...] [--only NAME ...] [--scale 10] [--skip-postgres]

Each benchmark runs in its own process against a database it creates: a SQLite file under
var/bench/ and, when a PostgreSQL server answers at BENCH_POSTGRES (default
postgres://postgres@127.0.0.1:5432), a database `hoinghi_bench` created anew.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")

# name -> (module, databases)
BENCHMARKS = {
    "import_people": ("benchmarks.import_people", ["sqlite", "postgres"]),
    "scenario": ("benchmarks.scenario", ["sqlite", "postgres"]),
    "province_people": ("benchmarks.province_people", ["postgres"]),
    "conference_2018": ("benchmarks.conference_2018", ["sqlite", "postgres"]),
    "conference_scale": ("benchmarks.conference_scale", ["postgres"]),
    # Live operations (issue 4): real uvicorn processes with Redis as cache and channel layer.
    "checkin_replay": ("benchmarks.checkin_replay", ["postgres"]),
    "checkin_cpu": ("benchmarks.checkin_cpu", ["postgres"]),
    "dashboard_latency": ("benchmarks.dashboard_latency", ["postgres"]),
    "dashboard_audiences": ("benchmarks.dashboard_audiences", ["postgres"]),
    # Learning reports (issue 11): the statistics page at 25,000 reports.
    "learning_statistics": ("benchmarks.learning_statistics", ["postgres"]),
    # Learning reports (issue 11): 24,814 reports allocated to reviewers by the tree.
    "report_allocation": ("benchmarks.report_allocation", ["postgres"]),
    # Resolutions (issue 12): 125,000 grassroots units × 20 elements × 8 quarters, PostgreSQL only.
    "resolutions_scale": ("benchmarks.resolutions_scale", ["postgres"]),
    # Live video (issue 5): nginx-rtmp, ffmpeg and Chromium; the database only answers callbacks.
    "streaming": ("benchmarks.streaming", ["postgres"]),
    # Action programmes (issue 12): every unit's programme, the target and programme pages.
    "action_programmes": ("benchmarks.action_programmes", ["postgres"]),
    # Copied text in learning reports (issue 11): no database, the detector on files.
    "report_similarity": ("benchmarks.report_similarity", ["none"]),
    # ... and in the application: the check of a new report after the worker starts (the demo's 24,814).
    "report_similarity_restart": ("benchmarks.report_similarity_restart", ["sqlite", "postgres"]),
}


def _postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 - any failure means "not available here"
        return False


def _fresh_database(kind: str, name: str) -> str:
    if kind == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        path = BENCH_DIR / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    database = f"hoinghi_bench_{name}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}"')
        connection.execute(f'CREATE DATABASE "{database}"')
    return f"{POSTGRES}/{database}"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    system = f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    return f"{os.cpu_count()} cores ({cpu}){memory}, {system}"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("names", nargs="*", metavar="NAME", help="the benchmarks to run (as --only)")
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHMARKS), default=sorted(BENCHMARKS))
    parser.add_argument("--scale", type=int, default=10, help="scale of the large scenario (default 10)")
    parser.add_argument("--skip-postgres", action="store_true")
    options = parser.parse_args()
    if options.names:
        unknown = sorted(set(options.names) - set(BENCHMARKS))
        if unknown:
            parser.error(
                f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(sorted(BENCHMARKS))}"
            )
        options.only = options.names

    postgres = not options.skip_postgres and _postgres_available()
    print(f"# machine: {machine()}")
    if not postgres:
        print("# PostgreSQL not reachable: its benchmarks are skipped")
    failed = False
    results = []
    for name in options.only:
        module, databases = BENCHMARKS[name]
        for kind in databases:
            if kind == "postgres" and not postgres:
                continue
            env = dict(
                os.environ,
                DATABASE_URL=_fresh_database(kind, name) if kind != "none" else "",
                HOINGHI_TASKS="immediate",
                BENCH_SCALE=str(options.scale),
                BENCH_DATABASE=kind,
            )
            env.pop("REDIS_URL", None)
            if kind == "none":
                env.pop("DATABASE_URL")
            print(f"## {name}" + (f" on {kind}" if kind != "none" else ""), flush=True)
            completed = subprocess.run(
                [sys.executable, "-m", module], env=env, cwd=ROOT, capture_output=True, text=True
            )
            sys.stderr.write(completed.stderr)
            for line in completed.stdout.splitlines():
                if line.startswith("{"):
                    result = json.loads(line)
                    results.append(result)
                    print("  " + ", ".join(f"{key}={value}" for key, value in result.items()), flush=True)
                else:
                    print("  " + line, flush=True)
            if completed.returncode != 0:
                failed = True
                print(f"  FAILED (exit {completed.returncode})")
    (BENCH_DIR / "results.json").parent.mkdir(parents=True, exist_ok=True)
    (BENCH_DIR / "results.json").write_text(
        json.dumps({"machine": machine(), "results": results}, indent=2, ensure_ascii=False)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
