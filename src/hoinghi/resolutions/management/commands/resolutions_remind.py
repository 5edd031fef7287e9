from django.core.management.base import BaseCommand

from hoinghi.resolutions import services


class Command(BaseCommand):
    help = (
        "Queue and send today's reminders to the units that have not sent a period's report "
        "(a few days before the close and on the closing day); running it again sends nothing more."
    )

    def handle(self, *args, **options):
        queued = services.reminders_queue()
        self.stdout.write(f"Đã xếp {queued:,} thư nhắc báo cáo vào hàng đợi gửi.")
