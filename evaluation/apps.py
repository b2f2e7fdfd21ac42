from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("毕业生与资格评价")

    def ready(self):
        from evaluation import access, panels  # noqa: F401  (access rules, dashboard panels)
