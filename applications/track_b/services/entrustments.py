"""委托报备: a university's report of an entrusted third-party certification body."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.workflow import WorkflowError, run_transition
from portal import access, audit
from portal.models import Institution, Role
from portal.routing import skill_filing_authority

from .. import selectors
from ..models import ENTRUSTMENT_EDITABLE, Entrustment, FilingState
from .common import TrackBError

# --- 委托报备 ---------------------------------------------------------------------------------------------

def _entrustment_link(entrustment):
    return reverse("track_b:entrustment_detail", args=[entrustment.pk])


def create_entrustment(*, user):
    ids = sorted(access.institution_ids(user))
    if not ids:
        raise PermissionDenied("track_b.entrustment_create")
    institution = Institution.objects.get(pk=ids[0])
    if selectors.filed_application_of(institution.pk) is not None:
        raise TrackBError(_("本校已备案为职业技能等级认定机构，可自行开展认定，无需委托。"))
    authority = skill_filing_authority(institution)
    with transaction.atomic():
        entrustment = Entrustment.objects.create(institution=institution, authority_role=authority.role,
                                                 authority_city_id=authority.city_code, created_by=user)
        audit.record(actor=user, action="track_b.entrustment_create", obj=entrustment, role=Role.UNIVERSITY_STAFF)
    return entrustment


def save_entrustment(entrustment, *, user, form):
    if not access.can(user, "track_b.entrustment_edit", entrustment):
        raise PermissionDenied("track_b.entrustment_edit")
    with transaction.atomic():
        locked = Entrustment.objects.select_for_update().get(pk=entrustment.pk)
        if locked.state not in ENTRUSTMENT_EDITABLE:
            raise WorkflowError(_("已报备的委托材料不能再修改。"))
        obj = form.save(commit=False)
        obj.save()
        form.save_m2m()
        audit.record(actor=user, action="track_b.entrustment_save", obj=obj, role=Role.UNIVERSITY_STAFF)
    return obj


def entrustment_problems(entrustment):
    problems = []
    if not (entrustment.plan.strip() or entrustment.plan_file):
        problems.append(_("请填写或上传实施方案。"))
    if not entrustment.evaluation.strip():
        problems.append(_("请说明实施方案的评估论证情况。"))
    if not entrustment.occupations.exists():
        problems.append(_("至少选择一个委托认定的职业（工种）。"))
    if entrustment.level is None:
        problems.append(_("请选择委托认定的最高等级。"))
    if entrustment.entrusted_kind == Entrustment.EntrustedKind.UNIVERSITY:
        target = entrustment.entrusted_filing
        if target is None:
            problems.append(_("请选择受委托的备案高校。"))
        elif target.state != FilingState.FILED:
            problems.append(_("受委托的高校尚未备案。"))
        elif target.institution_id == entrustment.institution_id:
            problems.append(_("不能委托本校。"))
    else:
        if not entrustment.entrusted_name.strip():
            problems.append(_("请填写受委托机构名称。"))
        if not entrustment.entrusted_code:
            problems.append(_("请填写受委托机构的备案编号（评价机构代码）。"))
    if not entrustment.voluntary:
        problems.append(_("须确认按学校自愿、学生自愿原则统一委托。"))
    if selectors.filed_application_of(entrustment.institution_id) is not None:
        problems.append(_("本校已备案为职业技能等级认定机构，可自行开展认定，无需委托。"))
    return problems


def report_entrustment(entrustment, *, user, expected_state=None):
    with transaction.atomic():
        problems = entrustment_problems(entrustment)
        if problems:
            raise TrackBError(problems)
        authority = skill_filing_authority(entrustment.institution)
        type(entrustment).objects.filter(pk=entrustment.pk).update(
            authority_role=authority.role, authority_city_id=authority.city_code, reported_at=timezone.now())
        entrustment.authority_role, entrustment.authority_city_id = authority.role, authority.city_code
        entrustment.reported_at = timezone.now()
        return run_transition(
            entrustment, "report", actor=user, role=Role.UNIVERSITY_STAFF, expected_state=expected_state,
            notify_users=selectors.authority_officials,
            notice_title=_("%(inst)s报备了委托开展职业技能等级认定的实施方案，请确认") % {"inst": entrustment.institution.name},
            notice_link=_entrustment_link)


def acknowledge_entrustment(entrustment, *, user, comment="", expected_state=None):
    with transaction.atomic():
        result = run_transition(
            entrustment, "acknowledge", actor=user, role=entrustment.authority_role, expected_state=expected_state,
            comment=comment, notify_users=lambda e: selectors.institution_staff(e.institution_id),
            notice_title=_("委托开展职业技能等级认定的报备已确认"), notice_link=_entrustment_link)
        type(result).objects.filter(pk=result.pk).update(acknowledged_at=timezone.now(), office_comment=comment)
    return result


def return_entrustment(entrustment, *, user, reasons, expected_state=None):
    reasons = (reasons or "").strip()
    if not reasons:
        raise TrackBError(_("退回补充须写明理由。"))
    with transaction.atomic():
        result = run_transition(
            entrustment, "return_report", actor=user, role=entrustment.authority_role, expected_state=expected_state,
            comment=reasons, notify_users=lambda e: selectors.institution_staff(e.institution_id),
            notice_title=_("委托认定报备被退回补充，请按意见修改后重新报备"), notice_link=_entrustment_link)
        type(result).objects.filter(pk=result.pk).update(office_comment=reasons)
    return result


