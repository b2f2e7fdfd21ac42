"""附件5, the panel's evaluation report: drafting, signing, reopening."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.workflow import WorkflowError, run_transition
from portal import access, audit
from portal.models import Role

from .. import selectors
from ..models import (
    EvaluationReport,
    FilingState,
    GeneratedDocument,
    PanelMember,
    ReportConclusion,
    ReportSignature,
)
from .common import (
    TrackBError,
    _clear_signatures,
    _lock,
    _office_role,
    _state_label,
    link,
    schedule_documents,
)
from .panel import _panel_users, panel_problems

# --- the panel and 附件5 ---------------------------------------------------------------------------------

def applied_occupations(application):
    """The occupations the university applied for (附件3 二), in code order, each once."""
    seen = {}
    for row in application.majors.select_related("occupation").order_by("occupation__code"):
        if row.occupation_id and row.occupation_id not in seen:
            seen[row.occupation_id] = row.occupation
    return list(seen.values())


def save_report(application, *, user, fields, conclusions, expected_version=None):
    """The panel leader drafts 附件5. Changing its content after a signature clears every signature."""
    with transaction.atomic():
        locked = _lock(application)
        if locked.state != FilingState.UNDER_EVALUATION:
            raise WorkflowError(_("当前状态为“%(state)s”，评估论证报告不能再修改。") % {"state": _state_label(locked.state)})
        if not access.can(user, "track_b.edit_report", locked):
            raise PermissionDenied("track_b.edit_report")
        report = EvaluationReport.objects.select_for_update().get(application=locked)
        if expected_version is not None and report.version != int(expected_version):
            raise WorkflowError(_("报告已被修改（当前为第%(v)d版），请刷新页面后再编辑。") % {"v": report.version})
        allowed = {o.pk for o in applied_occupations(locked)}
        new_conclusions = sorted((int(k), int(v)) for k, v in conclusions.items() if int(k) in allowed and v != "")
        before = report.content_hash()
        for name, value in fields.items():
            setattr(report, name, value)
        after = report.content_hash(conclusions=new_conclusions)
        if before == after:
            return report, 0
        report.version += 1
        report.updated_by = user
        report.save()
        ReportConclusion.objects.filter(report=report).exclude(occupation_id__in=[o for o, _t in new_conclusions]) \
            .delete()
        for occupation_id, target in new_conclusions:
            ReportConclusion.objects.update_or_create(report=report, occupation_id=occupation_id,
                                                      defaults={"target": target})
        cleared = _clear_signatures(report, reason=_("组长修改了报告内容（第%(v)d版）") % {"v": report.version},
                                    keep_user=user)
        audit.record(actor=user, action="track_b.edit_report", obj=locked, role=Role.EXPERT,
                     changes={"version": report.version, "signatures_cleared": cleared})
    return report, cleared


def report_problems(report, application):
    """What 附件5 still lacks before the panel may sign it."""
    problems = []
    for name in EvaluationReport.TEXT_FIELDS:
        if not getattr(report, name):
            problems.append(_("“%(label)s”未填写。") % {"label": EvaluationReport._meta.get_field(name).verbose_name})
    have = {c.occupation_id for c in report.conclusions.all()}
    for occupation in applied_occupations(application):
        if occupation.pk not in have:
            problems.append(_("尚未给出“%(occ)s”的评估结论。") % {"occ": occupation})
    return problems + panel_problems(application)


def sign_report(application, *, user, expected_version):
    """A panel member confirms (signs) the version they read; the last signature makes the report final."""
    with transaction.atomic():
        locked = _lock(application)
        if locked.state != FilingState.UNDER_EVALUATION:
            raise WorkflowError(_("当前状态为“%(state)s”，不能签字。") % {"state": _state_label(locked.state)})
        member = PanelMember.objects.filter(application=locked, expert=user).first()
        if member is None:
            raise PermissionDenied("track_b.sign_report")
        report = EvaluationReport.objects.select_for_update().get(application=locked)
        if report.version != int(expected_version):
            raise WorkflowError(_("您阅读后报告已被组长修改（当前为第%(v)d版），请重新阅读后再签字。") % {"v": report.version})
        problems = report_problems(report, locked)
        if problems:
            raise TrackBError(problems)
        _signature, created = ReportSignature.objects.get_or_create(
            report=report, member=member, defaults={"content_sha256": report.content_hash(), "version": report.version})
        if created:
            audit.record(actor=user, action="track_b.sign_report", obj=locked, role=Role.EXPERT,
                         changes={"version": report.version})
        members = PanelMember.objects.filter(application=locked).count()
        if report.signatures.count() < members:
            return locked
        result = run_transition(
            locked, "complete_report", actor=user, role=Role.EXPERT, expected_state=FilingState.UNDER_EVALUATION,
            data={"version": report.version, "sha256": report.content_hash()},
            notify_users=selectors.authority_officials,
            notice_title=_("评估论证报告已由专家组全体签字，请办理备案：%(unit)s") % {"unit": locked.unit_name},
            notice_link=link)
        schedule_documents(result.pk, GeneratedDocument.Kind.ANNEX5)
    return result


def reopen_evaluation(application, *, user, reasons, expected_state=None):
    reasons = (reasons or "").strip()
    if not reasons:
        raise TrackBError(_("退回专家组重新论证须写明理由。"))
    with transaction.atomic():
        result = run_transition(
            application, "reopen_evaluation", actor=user, role=_office_role(user, application),
            expected_state=expected_state, comment=reasons, notify_users=_panel_users,
            notice_title=_("评估论证报告被退回专家组重新论证：%(unit)s") % {"unit": application.unit_name},
            notice_link=lambda a: reverse("track_b:report", args=[a.pk]))
        report = EvaluationReport.objects.get(application=result)
        ReportSignature.objects.filter(report=report).delete()
    return result


