from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from applications import diagrams


class TrackAConfig(AppConfig):
    name = "applications.track_a"
    label = "track_a"
    verbose_name = _("产业工程师职称自主评审试点")

    def ready(self):
        from applications.track_a import access, panels  # noqa: F401  (access rules, dashboard panels)
        from applications.track_a.diagram import DOCUMENT
        from applications.track_a.models.application import TRANSITION_LABELS
        from portal import audit_labels

        audit_labels.register_transitions(self.label, TRANSITION_LABELS)
        diagrams.register(DOCUMENT)  # the workflow diagram in docs/ (manage.py workflow_diagrams)
