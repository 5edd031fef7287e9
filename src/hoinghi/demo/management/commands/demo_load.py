import time

from django.core.management.base import BaseCommand, CommandError

from hoinghi.demo.scenario import (
    build_plan,
    conference_2018_create,
    demo_logins_ensure,
    resolution_2018_create,
    scenario_is_loaded,
    scenario_write,
)
from hoinghi.demo.scenario.learning_reports import reports_2018_load


class Command(BaseCommand):
    help = (
        "Load the 2018 scenario (the Confederation's tree, people and positions, the demo logins and the "
        "conference of 6-12-2018); a second run adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="multiply the small grassroots unions and their people (benchmarks)",
        )
        parser.add_argument("--no-conference", action="store_true", help="only the tree, people and logins")

    def handle(self, *args, scale: int, no_conference: bool = False, verbosity: int = 1, **options):
        if scale < 1:
            raise CommandError("--scale phải là số nguyên từ 1 trở lên.")
        started = time.perf_counter()
        if scenario_is_loaded():
            self.stdout.write("Dữ liệu mẫu năm 2018 đã có sẵn; không nạp lại.")
        else:
            self.stdout.write(f"Đang tạo dữ liệu mẫu năm 2018 (hệ số {scale})...")
            plan = build_plan(scale=scale)
            progress = (lambda text: self.stdout.write(f"  đã ghi {text}")) if verbosity >= 1 else None
            counts = scenario_write(plan, progress=progress)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã nạp {counts['units']:,} đơn vị, {counts['people']:,} cán bộ, "
                    f"{counts['positions']:,} chức vụ trong {time.perf_counter() - started:.1f} giây."
                )
            )
        demo_logins_ensure()
        from hoinghi.accounts.models import User

        started = time.perf_counter()
        resolution = resolution_2018_create(actor=User.objects.get(username="admin"))
        self.stdout.write(
            f"Nghị quyết Đại hội XII: {resolution.indicators.count()} chỉ tiêu định lượng "
            f"({time.perf_counter() - started:.1f} giây); số liệu các quý: hoinghi demo-resolution."
        )
        if not no_conference:
            started = time.perf_counter()
            conference = conference_2018_create(actor=User.objects.get(username="admin"))
            invited = conference.invitations.filter(status="active").count()
            self.stdout.write(
                f"Hội nghị ngày 06/12/2018: {conference.points.count()} điểm cầu, {invited:,} người được mời "
                f"({time.perf_counter() - started:.1f} giây)."
            )
            started = time.perf_counter()
            counts = reports_2018_load(actor=User.objects.get(username="admin"), conference=conference)
            self.stdout.write(
                f"Bài thu hoạch của Hà Nội: {counts['reports']:,} bài, {counts['flags']:,} cảnh báo trùng "
                f"lặp ({time.perf_counter() - started:.1f} giây); cả 24.814 bài: hoinghi demo-reports --all."
            )
