from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("证书")

    def ready(self):
        from . import access, dashboard, signals  # noqa: F401  (access rules, dashboard panels, cache upkeep)
