"""1+X 免试科目: a student's request for exemption from a subject, and the decision on it."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.workflow import run_transition
from evaluation.models import Graduate
from portal import access, audit
from portal.identifiers import normalize_ric
from portal.models import Role
from portal.notify import notify

from .. import selectors
from .common import TrackBError

# --- 1+X 免试科目 ------------------------------------------------------------------------------------------

def _exemption_link(request):
    return reverse("track_b:exemption_detail", args=[request.pk])


def exemption_id_problem(user, id_number):
    """The requested ID number must be the student's own (issue #12 item 6, #14 item 12): the 公民身份号码 of the
    student's graduate record. "" when it is."""
    record = Graduate.objects.filter(user=user).only("id_number").first()
    if record is None:
        return _("您的账号尚未关联毕业生记录，不能申请免试（请联系学校核对学籍信息）。")
    if normalize_ric(id_number) != normalize_ric(record.id_number):
        return _("身份证号须为申请学生本人的（与本人毕业生记录中的公民身份号码不一致）。")
    return ""


def create_exemption(*, user, form):
    ids = sorted(access.institution_ids(user, Role.STUDENT))
    if not ids:
        raise PermissionDenied("track_b.exemption_create")
    problem = exemption_id_problem(user, form.cleaned_data.get("id_number", ""))
    if problem:
        raise TrackBError(problem)
    with transaction.atomic():
        request = form.save(commit=False)
        request.student = user
        request.institution_id = ids[0]
        request.save()
        audit.record(actor=user, action="track_b.exemption_submit", obj=request, role=Role.STUDENT)
        notify(selectors.provincial_officials(),
               title=_("%(inst)s学生提交了“1+X”免试科目申请，请审核决定") % {"inst": request.institution.name},
               link=_exemption_link(request))
    return request


EXEMPTION_OUTCOMES = {"grant": gettext_lazy("同意免试"), "grant_partially": gettext_lazy("部分同意免试"),
                      "refuse": gettext_lazy("不予免试")}


def decide_exemption(request, *, user, outcome, reasons, expected_state=None):
    reasons = (reasons or "").strip()
    if outcome not in EXEMPTION_OUTCOMES:
        raise TrackBError(_("请选择决定结果。"))
    if not reasons:
        raise TrackBError(_("决定须写明理由。"))
    role = next((r for r in (Role.PROVINCIAL_HRSS, Role.PROVINCIAL_EDUCATION) if access.has_role(user, r)), "")
    with transaction.atomic():
        result = run_transition(
            request, outcome, actor=user, role=role, expected_state=expected_state, comment=reasons,
            data={"outcome": outcome},
            notify_users=lambda r: [r.student, *selectors.provincial_officials().exclude(pk=user.pk),
                                    *selectors.institution_staff(r.institution_id)],
            notice_title=_("“1+X”免试科目申请已决定：%(outcome)s") % {"outcome": EXEMPTION_OUTCOMES[outcome]},
            notice_link=_exemption_link)
        type(result).objects.filter(pk=result.pk).update(decision_reason=reasons, decided_by=user, decided_role=role,
                                                         decided_at=timezone.now())
    return result


def withdraw_exemption(request, *, user, expected_state=None):
    return run_transition(
        request, "withdraw", actor=user, role=Role.STUDENT, expected_state=expected_state,
        notify_users=lambda r: selectors.provincial_officials(),
        notice_title=_("“1+X”免试科目申请已由学生撤回"), notice_link=_exemption_link)
