from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("平台基础")

    def ready(self):
        from portal import auth, checks, dashboard, datagen  # noqa: F401  (signals, system checks, panels, write watch)
