from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from portal.demo import DEMO_PASSWORD, load_demo

# Each app may ship ``<app>/demo.py`` with ``load_demo(stdout)``; they run in this order, after the portal's.
DEMO_MODULES = ["evaluation.demo", "applications.track_b.demo", "applications.track_a.demo", "evaluation.rounds.demo",
                "certificates.demo"]


class Command(BaseCommand):
    help = "Loads the demo data set: institutions, one account per role, and each app's demo records (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            accounts = load_demo()
            for name in DEMO_MODULES:
                try:
                    module = import_module(name)
                except ModuleNotFoundError as exc:
                    if exc.name != name:
                        raise
                    continue
                module.load_demo(self.stdout)
        self.stdout.write("演示账号（密码均为 %s）：" % DEMO_PASSWORD)
        for username, role in accounts:
            self.stdout.write(f"  {username:<16} {role}")
