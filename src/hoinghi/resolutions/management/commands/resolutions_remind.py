from django.core.management.base import BaseCommand

from hoinghi.resolutions import services
from hoinghi.resolutions.tasks import overdue_remind


class Command(BaseCommand):
    help = (
        "The daily reminders of resolutions (deploy/systemd/hoinghi-remind.timer): queue and send today's "
        "reminders to the units that have not sent a period's report (a few days before the close and on "
        "the closing day), and queue the reminder of overdue action items (once per deadline). Running it "
        "again the same day sends nothing more."
    )

    def handle(self, *args, **options):
        queued = services.reminders_queue()
        self.stdout.write(f"Đã xếp {queued:,} thư nhắc báo cáo vào hàng đợi gửi.")
        result = overdue_remind.enqueue()
        self.stdout.write(f"Đã xếp lịch nhắc việc quá hạn ({result.id}).")
