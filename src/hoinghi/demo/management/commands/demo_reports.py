import time

from django.core.management.base import BaseCommand, CommandError

from hoinghi.demo.scenario import CONFERENCE_TITLE
from hoinghi.demo.scenario.learning_reports import reports_2018_load


class Command(BaseCommand):
    help = (
        "Generate the 2018 conference's learning reports (fixed seeds, with planted copies and pastes from "
        "the resolution) and run the copied-text pass: Hà Nội's invitees, or --all 24,814."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="every invitee of the conference")

    def handle(self, *args, all: bool = False, **options):
        from hoinghi.accounts.models import User
        from hoinghi.conferences.models import Conference

        conference = Conference.objects.filter(title=CONFERENCE_TITLE).first()
        admin = User.objects.filter(username="admin").first()
        if conference is None or admin is None:
            raise CommandError("Chưa có hội nghị năm 2018: chạy hoinghi demo-load trước.")
        started = time.perf_counter()
        counts = reports_2018_load(
            actor=admin,
            conference=conference,
            everyone=all,
            progress=lambda text: self.stdout.write(f"  {text}"),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Bài thu hoạch: {counts['reports']:,} bài mới, {counts['flags']:,} cảnh báo trùng lặp, "
                f"{counts.get('allocated', 0):,} bài giao người chấm “chambai” "
                f"({time.perf_counter() - started:.1f} giây)."
            )
        )
