from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from applications import diagrams


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("证书")

    def ready(self):
        from portal import audit_labels

        from . import access, dashboard, signals  # noqa: F401  (access rules, dashboard panels, cache upkeep)
        from .diagram import DOCUMENT
        from .models import TRANSITION_LABELS

        audit_labels.register_transitions(self.label, TRANSITION_LABELS)
        diagrams.register(DOCUMENT)  # the workflow diagram in docs/ (manage.py workflow_diagrams)
