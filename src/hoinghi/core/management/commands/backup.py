"""`hoinghi backup --to DIR [--keep N]`: a consistent copy of the database, restorable as it is.

PostgreSQL: `pg_dump --format=custom` (restore with `hoinghi restore FILE`, which runs
`pg_restore --clean --if-exists --no-owner`). SQLite: the online backup API of sqlite3 (a copy made
while the server runs, consistent at one moment). Files are named by the time they were made; with
`--keep N` only the N newest backups of that directory stay.
"""

import os
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

SUFFIXES = {"postgresql": ".dump", "sqlite": ".sqlite3"}


def pg_environment(settings: dict) -> dict:
    """libpq's variables for the configured database (pg_dump and pg_restore read them)."""
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    return env


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu vào một thư mục."

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, help="thư mục lưu bản sao")
        parser.add_argument("--keep", type=int, default=0, help="giữ N bản mới nhất (0: giữ tất cả)")

    def handle(self, *args, to, keep, **options):
        vendor = connection.vendor
        if vendor not in SUFFIXES:
            raise CommandError(f"Không sao lưu được cơ sở dữ liệu {vendor}.")
        folder = Path(to)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        target = folder / f"hoinghi-{stamp}{SUFFIXES[vendor]}"
        settings = connection.settings_dict
        if vendor == "postgresql":
            result = subprocess.run(
                ["pg_dump", "--format=custom", "--file", str(target), settings["NAME"]],
                env=pg_environment(settings),
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode:
                target.unlink(missing_ok=True)
                raise CommandError(f"pg_dump không chạy được: {result.stderr.strip()}")
        else:
            source = sqlite3.connect(settings["NAME"])
            copy = sqlite3.connect(target)
            with copy:
                source.backup(copy)
            copy.close()
            source.close()
        if keep:
            for old in sorted(folder.glob(f"hoinghi-*{SUFFIXES[vendor]}"))[:-keep]:
                old.unlink()
        self.stdout.write(f"{target} ({target.stat().st_size:,} bytes)")
