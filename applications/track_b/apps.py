from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from applications import diagrams


class TrackBConfig(AppConfig):
    name = "applications.track_b"
    label = "track_b"
    verbose_name = _("职业技能等级认定备案")

    def ready(self):
        from portal import audit_labels

        from . import access, dashboard  # noqa: F401  (access rules, dashboard panels)
        from .diagram import DOCUMENT
        from .templatetags.track_b import TRANSITIONS

        audit_labels.register_transitions(self.label, TRANSITIONS)
        diagrams.register(DOCUMENT)  # the workflow diagram in docs/ (manage.py workflow_diagrams)
