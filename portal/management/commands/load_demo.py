from importlib import import_module

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from portal.demo import DEMO_PASSWORD, load_demo
from portal.twofactor import policy, services
from portal.twofactor.models import DEMO_CODE

# Each app may ship ``<app>/demo.py`` with ``load_demo(stdout)``; they run in this order, after the portal's.
DEMO_MODULES = ["evaluation.demo", "applications.track_b.demo", "applications.track_a.demo", "evaluation.rounds.demo",
                "evaluation.rounds.demo_stages", "certificates.demo", "assessment.demo"]


class Command(BaseCommand):
    help = "Loads the demo data set: institutions, one account per role, and each app's demo records (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            load_demo()
            for name in DEMO_MODULES:
                try:
                    module = import_module(name)
                except ModuleNotFoundError as exc:
                    if exc.name != name:
                        raise
                    continue
                module.load_demo(self.stdout)
            # Officials pass the second sign-in step with the demo code (only while TWO_FACTOR_DEMO is on).
            for user in get_user_model().objects.filter(roles__isnull=False).distinct():
                if policy.required_for(user):
                    services.add_demo_device(user)
        # Every account the demo modules made that can sign in (each app adds its own: experts, pool, committee
        # members…, and 张明's, activated by him); the other graduates' accounts wait for their activation.
        self.stdout.write("演示账号（密码均为 %s；经办人、人社局/教育局和系统管理员账号的两步验证码为 %s；"
                          "README 的“Demo accounts”一节说明每个账号先试什么）：" % (DEMO_PASSWORD, DEMO_CODE))
        users = (get_user_model().objects.filter(roles__isnull=False, is_active=True).distinct().order_by("id")
                 .prefetch_related("roles__institution", "roles__city"))
        for user in users:
            self.stdout.write(f"  {user.username:<16} {user.full_name}：{'；'.join(str(r) for r in user.roles.all())}")
