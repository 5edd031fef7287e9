import time

from django.core.management.base import BaseCommand

from hoinghi.resolutions.services import rollups_recompute


class Command(BaseCommand):
    help = "Rebuild the subtree totals of every reported value (repair); run while nobody enters values."

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = rollups_recompute(actor=None)
        self.stdout.write(
            f"Đã tính lại {rows:,} dòng cộng dồn trong {time.perf_counter() - started:.1f} giây."
        )
