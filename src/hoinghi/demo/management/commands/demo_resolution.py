import time

from django.core.management.base import BaseCommand, CommandError

from hoinghi.demo.scenario import programmes_2018_create, resolution_2018_values, scenario_is_loaded


class Command(BaseCommand):
    help = (
        "Generate the quarterly reports of the 2018 resolution for every reporting unit of the demo tree "
        "(fixed seeds, a few provinces lagging), for the years given, and a few federations' action "
        "programmes with items in every status; quarters and programmes loaded before are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", default="2019-2020", help="a year or a range: 2019, 2019-2023")

    def handle(self, *args, years: str, **options):
        if not scenario_is_loaded():
            raise CommandError("Chưa có dữ liệu mẫu: chạy hoinghi demo-load trước.")
        first, _sep, last = years.partition("-")
        try:
            span = range(int(first), int(last or first) + 1)
        except ValueError:
            raise CommandError("--years phải là một năm hoặc một khoảng năm, ví dụ 2019-2023.") from None
        from hoinghi.accounts.models import User

        started = time.perf_counter()
        written = resolution_2018_values(
            actor=User.objects.get(username="admin"),
            years=span,
            progress=lambda text: self.stdout.write(f"  {text}"),
        )
        self.stdout.write(f"Đã nạp {written:,} số liệu trong {time.perf_counter() - started:.1f} giây.")
        made = programmes_2018_create(actor=User.objects.get(username="admin"))
        self.stdout.write(f"Đã lập {made} chương trình hành động mẫu.")
