from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from applications import diagrams


class RoundsConfig(AppConfig):
    name = "evaluation.rounds"
    label = "rounds"
    verbose_name = _("职称评审工作")

    def ready(self):
        from evaluation.rounds import access, panels  # noqa: F401 — registers access rules and dashboard panels
        from evaluation.rounds.diagram import DOCUMENT
        from evaluation.rounds.labels import TRANSITION_LABELS
        from portal import audit_labels

        audit_labels.register_transitions(self.label, TRANSITION_LABELS)
        diagrams.register(DOCUMENT)  # the workflow diagram in docs/ (manage.py workflow_diagrams)
