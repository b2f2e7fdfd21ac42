from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("开放接口")

    def ready(self):
        from . import access, dashboard  # noqa: F401  (access rules, dashboard panels)
