"""The dashboard: one panel per role the user holds, listing what awaits them.

Apps add panels with ``@panel(role, order, slot=...)``; a panel function takes ``(user, assignment)``
and returns a ``Panel`` (or None to show nothing). Registering a panel in a slot that a placeholder
holds replaces the placeholder. Each panel must run a bounded number of queries whatever the data volume.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import access
from portal.models import Role

_PANELS = {}


@dataclass
class Item:
    label: str
    url: str = ""
    meta: str = ""
    status: str = ""


@dataclass
class Panel:
    title: str
    empty: str
    items: list = field(default_factory=list)
    actions: list = field(default_factory=list)  # (label, url)
    order: int = 100


def panel(role, order=100, slot=None):
    def register(func):
        slot_key = slot or f"{func.__module__}.{func.__qualname__}"
        panels = [entry for entry in _PANELS.get(role, []) if entry[1] != slot_key]
        panels.append((order, slot_key, func))
        panels.sort(key=lambda entry: entry[0])
        _PANELS[role] = panels
        return func

    return register


def sections_for(user):
    """[(assignment or None, role label, [Panel…])] for every role the user holds."""
    sections = []
    assignments = list(access.roles_of(user))
    if user.is_superuser and not any(a.role == Role.SITE_ADMIN for a in assignments):
        assignments.append(None)  # a superuser without an explicit site-admin assignment
    for assignment in assignments:
        role = assignment.role if assignment is not None else Role.SITE_ADMIN
        panels = [func(user, assignment) for _order, _slot, func in _PANELS.get(role, ())]
        sections.append((assignment, Role(role).label, [p for p in panels if p is not None]))
    return sections


def placeholder(role, order, slot, title, empty):
    """A panel whose content a later feature fills; until then it says what will appear there."""

    def build(user, assignment):
        return Panel(title=title, empty=empty, order=order)

    build.__qualname__ = f"placeholder_{slot}"
    panel(role, order, slot=slot)(build)


placeholder(Role.UNIVERSITY_STAFF, 10, "track_a", _("本校申请"),
            _("本校的“产业工程师职称自主评审”试点申请（附件1）和职业技能等级认定备案申请（附件3/4）将显示在这里。"))
placeholder(Role.UNIVERSITY_STAFF, 30, "graduates", _("毕业生与资格评价"),
            _("导入成绩单后，本校毕业生记录和资格评价进度将显示在这里。"))
placeholder(Role.CITY_HRSS, 10, "track_b", _("待办审核"), _("本市院校提交、需由市人社局审核的申请将显示在这里。"))
placeholder(Role.CITY_EDUCATION, 10, "track_a", _("待会审的试点申请"),
            _("本市院校提交、需市教育局会同审核的试点申请（附件1）将显示在这里。"))
placeholder(Role.PROVINCIAL_HRSS, 10, "track_b", _("待办审核"),
            _("部属及在肥省属高校的备案申请，以及待认定的试点单位将显示在这里。"))
placeholder(Role.PROVINCIAL_EDUCATION, 10, "track_a", _("待论证的试点申请"),
            _("经市级审核转报、待组织专家论证和实地评估的试点申请将显示在这里。"))
placeholder(Role.EXPERT, 10, "track_b", _("我的评审任务"),
            _("分配给您的评估论证和评审任务将显示在这里；本人工作单位的申请不会分配给您（回避）。"))
placeholder(Role.STUDENT, 10, "eligibility", _("我的职称资格"),
            _("学校完成资格评价后，您可评定的职称级别、依据条款和尚缺条件将显示在这里。"))
placeholder(Role.STUDENT, 20, "certificates", _("我的证书"),
            _("颁发的职称证书和职业技能等级证书将显示在这里，可下载和核验。"))


@panel(Role.SITE_ADMIN, 10, slot="admin")
def _admin_panel(user, assignment):
    return Panel(
        title=_("系统管理"),
        empty=_("暂无待办事项。"),
        actions=[(_("后台管理"), reverse("admin:index")), (_("审计日志"), reverse("audit_log")),
                 (_("登录锁定"), reverse("login_locks")), (_("重置两步验证"), reverse("twofactor_reset"))],
    )
