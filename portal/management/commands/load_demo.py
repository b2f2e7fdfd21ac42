from django.core.management.base import BaseCommand

from portal.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Loads the demo institutions and one account per role (idempotent)."

    def handle(self, *args, **options):
        accounts = load_demo()
        self.stdout.write("演示账号（密码均为 %s）：" % DEMO_PASSWORD)
        for username, role in accounts:
            self.stdout.write(f"  {username:<16} {role}")
