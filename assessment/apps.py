from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from applications import diagrams


class AssessmentConfig(AppConfig):
    name = "assessment"
    label = "assessment"
    verbose_name = _("评价实施（职业技能等级认定）")

    def ready(self):
        from portal import audit_labels

        from . import access, dashboard, workplace  # noqa: F401  (access rules, dashboard panels, the 工作地 receiver)
        from .diagram import DOCUMENT

        # What each transition is called in the audit log (portal.audit_labels).
        audit_labels.register_transitions(self.label, {
            "report": _("报送"), "acknowledge": _("备案部门已阅"), "comment": _("备案部门提出意见"),
            "raise_objection": _("备案部门提出异议"), "lift_objection": _("异议已解决"), "cancel": _("取消"),
            "publish_results": _("公示评价结果"), "report_results": _("报送评价结果"), "suspend": _("暂停"),
            "lift_suspension": _("恢复"), "confirm": _("学校确认"), "reject": _("学校不予确认"),
        })
        diagrams.register(DOCUMENT)  # the workflow diagram in docs/ (manage.py workflow_diagrams)
