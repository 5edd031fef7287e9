"""`hoinghi restore FILE --yes`: put a backup made by `hoinghi backup` back in place.

It replaces what the database holds now: stop the app servers and workers first. PostgreSQL:
`pg_restore --clean --if-exists --no-owner` into the configured database. SQLite: the backup API,
copying the file over the configured database.
"""

import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from hoinghi.core.management.commands.backup import pg_environment


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu từ một bản sao lưu (thay toàn bộ dữ liệu hiện có)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="đồng ý thay toàn bộ dữ liệu hiện có")

    def handle(self, *args, file, yes, **options):
        source = Path(file)
        if not source.is_file():
            raise CommandError(f"Không có tệp {source}.")
        if not yes:
            raise CommandError("Khôi phục sẽ thay toàn bộ dữ liệu hiện có: chạy lại với --yes.")
        settings = connection.settings_dict
        connection.close()
        if connection.vendor == "postgresql":
            result = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--dbname",
                    settings["NAME"],
                    str(source),
                ],
                env=pg_environment(settings),
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode:
                raise CommandError(f"pg_restore không chạy được: {result.stderr.strip()[:2000]}")
        elif connection.vendor == "sqlite":
            backup = sqlite3.connect(source)
            target = sqlite3.connect(settings["NAME"])
            with target:
                backup.backup(target)
            target.close()
            backup.close()
        else:
            raise CommandError(f"Không khôi phục được cơ sở dữ liệu {connection.vendor}.")
        self.stdout.write(f"Đã khôi phục {source}.")
