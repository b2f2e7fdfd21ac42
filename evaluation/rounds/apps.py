from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "evaluation.rounds"
    label = "rounds"
    verbose_name = _("职称评审工作")
