from django.core.management.base import BaseCommand

from hoinghi.resolutions.tasks import overdue_remind


class Command(BaseCommand):
    help = (
        "Queue the daily reminder of overdue action items (an e-mail to whoever answers for each item "
        "past its deadline undone, once per deadline). Run once a day: deploy/systemd/hoinghi-remind.timer."
    )

    def handle(self, *args, **options):
        result = overdue_remind.enqueue()
        self.stdout.write(f"Đã xếp lịch nhắc việc quá hạn ({result.id}).")
