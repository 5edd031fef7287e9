from django.core.management.base import BaseCommand

from hoinghi.demo.scenario import DEMO_PASSWORD, demo_logins_ensure


class Command(BaseCommand):
    help = "Create the demo's staff logins (once) and print them."

    def handle(self, *args, **options):
        rows = demo_logins_ensure()
        self.stdout.write("")
        self.stdout.write(f"Tài khoản thử (mật khẩu chung: {DEMO_PASSWORD}):")
        width = max(len(username) for username, _purpose, _unit in rows)
        for username, purpose, unit in rows:
            self.stdout.write(f"  {username:<{width}}  {purpose} — {unit}")
        self.stdout.write("")
