"""Who is told what, and the one wrapper around ``run_transition`` for 附件1 (notifications by the state reached)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.track_a.models import State
from applications.workflow import run_transition
from portal.models import Role
from portal.notify import notify

# --- who is told ---------------------------------------------------------------------------------------------------

def officials(role, city_code=None):
    qs = get_user_model().objects.filter(is_active=True, roles__role=role)
    if city_code:
        qs = qs.filter(roles__city_id=city_code)
    return list(qs.distinct())


def school_staff(institution_id):
    return list(get_user_model().objects.filter(is_active=True, roles__role=Role.UNIVERSITY_STAFF,
                                                roles__institution_id=institution_id).distinct())


def _link(application):
    return reverse("track_a:detail", args=[application.pk])


NEXT = {
    # state reached → (who acts next, what they are told)
    State.SUBMITTED: ([Role.CITY_HRSS, Role.CITY_EDUCATION], "请审核试点立项申请：%s"),
    State.CITY_HRSS_APPROVED: ([Role.CITY_EDUCATION], "市人社局已同意，请市教育局审核：%s"),
    State.CITY_EDU_APPROVED: ([Role.CITY_HRSS], "市教育局已同意，请市人社局审核：%s"),
    State.RETURNED_CITY: (["staff"], "试点立项申请被市级退回修改：%s"),
    State.CITY_APPROVED: ([Role.CITY_HRSS, Role.CITY_EDUCATION, "staff"], "市级审定通过，请拟定共建协议：%s"),
    State.AGREEMENT_SIGNED: ([Role.CITY_HRSS, Role.CITY_EDUCATION], "共建协议已拟定，请报省教育厅：%s"),
    State.AT_PROVINCE: ([Role.PROVINCIAL_EDUCATION, "staff"], "请组织专家论证：%s"),
    State.RETURNED_PROVINCE: (["staff"], "试点立项申请被省教育厅退回修改：%s"),
    State.DOCUMENT_REVIEWED: ([Role.PROVINCIAL_EDUCATION, "staff"], "专家论证通过，请组织实地评估：%s"),
    State.SITE_EVALUATED: ([Role.PROVINCIAL_EDUCATION, Role.PROVINCIAL_HRSS], "实地评估完成，请认定试点单位：%s"),
    State.PROV_EDU_RECOGNISED: ([Role.PROVINCIAL_HRSS], "省教育厅已认定，请省人社厅认定：%s"),
    State.PROV_HRSS_RECOGNISED: ([Role.PROVINCIAL_EDUCATION], "省人社厅已认定，请省教育厅认定：%s"),
    State.RECOGNISED: ([Role.CITY_HRSS, "staff"], "已认定为试点单位，请市人社局授予自主评审权：%s"),
    State.NOT_RECOGNISED: (["staff", Role.CITY_HRSS, Role.CITY_EDUCATION], "试点立项申请未予认定：%s"),
    State.AUTHORISED: (["staff"], "已授予产业工程师中初级职称自主评审权，请制定评审标准、组建评委会：%s"),
}


def next_recipients(application):
    roles, _title = NEXT.get(application.state, ([], ""))
    users = []
    for role in roles:
        if role == "staff":
            users += school_staff(application.institution_id)
        elif role in (Role.CITY_HRSS, Role.CITY_EDUCATION):
            users += officials(role, application.institution.city_id)
        else:
            users += officials(role)
    return users


def _notice_title(application):
    _roles, title = NEXT.get(application.state, ([], "%s"))
    return _(title) % application.unit_name


def _transition(application, name, *, actor, role, comment="", expected_state=None, data=None):
    """``run_transition`` (lock, check, log, audit), then tell whoever acts in the state actually reached.

    The notice depends on the target, which only the locked row knows (a transition written with two sources has
    two targets), so the notification is sent here, in the same transaction, rather than by ``run_transition``.
    """
    with transaction.atomic():
        application = run_transition(application, name, actor=actor, role=role, comment=comment, data=data,
                                     expected_state=expected_state)
        notify(next_recipients(application), title=_notice_title(application), body=comment,
               link=_link(application))
    return application


