"""Template helpers of Track B: access questions, masking, the progress steps of a case."""

from django import template
from django.utils.translation import gettext_lazy as _

from portal import access
from portal.identifiers import mask_ric

from ..models import FilingState

register = template.Library()

MAIN_PATH = [
    (FilingState.DRAFT, _("填报")),
    (FilingState.SUBMITTED, _("提交")),
    (FilingState.ACCEPTED, _("受理")),
    (FilingState.UNDER_EVALUATION, _("专家评估论证")),
    (FilingState.REPORT_SIGNED, _("报告签署")),
    (FilingState.FILED, _("备案")),
]
_ORDER = {state: i for i, (state, _label) in enumerate(MAIN_PATH)}
_ORDER[FilingState.RETURNED] = 0
_ORDER[FilingState.NOT_FILED] = 5
_ORDER[FilingState.WITHDRAWN] = -1


@register.simple_tag(takes_context=True)
def can(context, action, obj=None):
    return access.can(context["request"].user, action, obj)


@register.filter
def mask_id(value):
    return mask_ric(value) if value else ""


@register.simple_tag
def steps(application):
    """[(label, 'done' | 'now' | '')] along the main path of a case."""
    now = _ORDER.get(application.state, 0)
    result = []
    for i, (state, label) in enumerate(MAIN_PATH):
        if application.state == FilingState.FILED:
            status = "done" if i < now else "now"
        else:
            status = "done" if i < now else ("now" if i == now else "")
        if application.state == FilingState.NOT_FILED and state == FilingState.FILED:
            label, status = _("不予备案"), "now"
        result.append((label, status))
    return result


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


TRANSITIONS = {
    "submit": _("提交"), "withdraw": _("撤回"), "accept": _("受理"), "return_for_revision": _("退回修改"),
    "start_evaluation": _("组建专家组，开始评估论证"), "complete_report": _("专家组全体签字，报告定稿"),
    "reopen_evaluation": _("退回专家组重新论证"), "file": _("准予备案"), "refuse": _("不予备案"),
    "report": _("报备"), "acknowledge": _("确认报备"), "return_report": _("退回补充"),
    "register_historical": _("登记平台外历史备案"), "school_submit": _("学校报送"), "decline": _("不予免试"), "agree": _("一方同意免试"), "grant": _("同意免试（各部门均同意，免试生效）"),
}


@register.filter
def tlabel(name):
    return TRANSITIONS.get(name, name)


@register.filter
def slabel(value, obj):
    """The label of a state value of ``obj``'s state machine."""
    return dict(obj._meta.get_field("state").flatchoices).get(value, value)
