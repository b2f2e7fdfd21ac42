"""Dashboard panels: the student's own certificates; the issuing institution's results and certificates."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.dashboard import Item, Panel, panel
from portal.models import Role

from . import selectors

MAX_ITEMS = 5


@panel(Role.STUDENT, 20, slot="certificates")
def student_certificates(user, assignment):
    certificates = list(selectors.own_certificates(user).order_by("-issue_date", "-id")[:MAX_ITEMS])
    items = [Item(label=f"{c.get_kind_display()} · {c.field_label} {c.level_label}",
                  url=reverse("certificates:pdf", args=[c.pk]) if c.status == "valid" else
                  reverse("certificates:detail", args=[c.pk]),
                  meta=f"{c.number} · {c.issue_date:%Y-%m-%d}", status=c.get_status_display())
             for c in certificates]
    return Panel(title=_("我的证书"), empty=_("颁发的职称证书和职业技能等级证书将显示在这里，可下载和核验。"),
                 items=items, actions=[(_("全部证书"), reverse("certificates:list"))], order=20)


@panel(Role.UNIVERSITY_STAFF, 40, slot="certificates")
def issuer_certificates(user, assignment):
    return Panel(title=_("证书发放"), empty=_("登记技能评价结果、批量发证、撤销和更正证书。"), order=40,
                 actions=[(_("技能评价结果"), reverse("certificates:results")),
                          (_("已发证书"), reverse("certificates:list"))])
