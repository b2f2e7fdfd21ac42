from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    label = "assessment"
    verbose_name = _("评价实施（职业技能等级认定）")

    def ready(self):
        from . import access, dashboard  # noqa: F401  (registers access rules and dashboard panels)
