import time

from django.core.management.base import BaseCommand, CommandError

from hoinghi.demo.scenario import build_plan, scenario_is_loaded, scenario_write


class Command(BaseCommand):
    help = (
        "Load the 2018 scenario (the Confederation's tree, people and positions); a second run does nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="multiply the small grassroots unions and their people (benchmarks)",
        )

    def handle(self, *args, scale: int, verbosity: int = 1, **options):
        if scale < 1:
            raise CommandError("--scale phải là số nguyên từ 1 trở lên.")
        if scenario_is_loaded():
            self.stdout.write("Dữ liệu mẫu năm 2018 đã có sẵn; không nạp lại.")
            return
        started = time.perf_counter()
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
