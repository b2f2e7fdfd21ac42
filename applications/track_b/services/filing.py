"""Filing (备案) or refusing it, and logged views of full ID numbers."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.workflow import run_transition
from portal import access, audit

from .. import codes
from ..models import (
    EvaluationReport,
    FiledOccupation,
    FilingState,
    GeneratedDocument,
    SkillLevel,
    TrainingTarget,
)
from .common import (
    TrackBError,
    _check_expected,
    _lock,
    _office_role,
    _staff,
    access_role,
    link,
    schedule_documents,
)

# --- filing ---------------------------------------------------------------------------------------------

def supported_levels(application):
    """{occupation_id: (occupation, lowest-numbered = highest level the report supports)} — never above 三级."""
    report = EvaluationReport.objects.filter(application=application).first()
    if report is None:
        return {}
    result = {}
    for c in report.conclusions.select_related("occupation"):
        if c.target == TrainingTarget.NONE:
            continue
        result[c.occupation_id] = (c.occupation, max(SkillLevel.SENIOR, c.target, c.occupation.max_level))
    return result


def file_application(application, *, user, levels, opinion, expected_state=None):
    """Files the institution for the chosen occupations at levels the report supports; allocates the code."""
    opinion = (opinion or "").strip()
    with transaction.atomic():
        locked = _lock(application)
        _check_expected(locked, expected_state)
        supported = supported_levels(locked)
        problems = []
        if not levels:
            problems.append(_("至少选择一个备案的职业（工种）。"))
        for occupation_id, level in levels.items():
            if occupation_id not in supported:
                problems.append(_("所选职业未经评估论证支持（或结论为暂不具备条件），不能备案。"))
                continue
            occupation, highest = supported[occupation_id]
            if level not in SkillLevel.values:
                problems.append(_("“%(occ)s”的等级无效：备案等级不得高于三级/高级工。") % {"occ": occupation})
            elif level < highest:
                problems.append(_("“%(occ)s”最高只能备案至%(level)s（评估论证结论所支持的等级）。")
                                % {"occ": occupation, "level": SkillLevel(highest).label})
        if not opinion:
            problems.append(_("请填写人力资源社会保障部门意见。"))
        if problems:
            raise TrackBError(problems)
        result = run_transition(
            locked, "file", actor=user, role=_office_role(user, locked), expected_state=FilingState.REPORT_SIGNED,
            comment=opinion, opinion=opinion, filed_at=timezone.now(), filing_code=codes.allocate(),
            data={"occupations": {str(k): v for k, v in levels.items()}},
            notify_users=_staff, notice_title=_("职业技能等级认定机构备案已办结：准予备案，请下载备案回执"),
            notice_link=link)
        FiledOccupation.objects.bulk_create([
            FiledOccupation(application=result, occupation_id=occupation_id, level=level,
                            job_types="、".join(sorted({m.job_type for m in result.majors.all()
                                                      if m.occupation_id == occupation_id and m.job_type
                                                      and m.job_type != "--"}))[:200])
            for occupation_id, level in sorted(levels.items())])
        audit.record(actor=user, action="track_b.filing_code", obj=result, role=result.authority_role,
                     changes={"filing_code": result.filing_code})
        schedule_documents(result.pk, GeneratedDocument.Kind.RECEIPT, GeneratedDocument.Kind.ANNEX3)
    return result


def refuse_filing(application, *, user, reasons, expected_state=None):
    reasons = (reasons or "").strip()
    if not reasons:
        raise TrackBError(_("不予备案须写明理由。"))
    with transaction.atomic():
        result = run_transition(
            application, "refuse", actor=user, role=_office_role(user, application), expected_state=expected_state,
            comment=reasons, opinion=reasons, data={"reasons": reasons}, notify_users=_staff,
            notice_title=_("职业技能等级认定机构备案已办结：不予备案"), notice_link=link)
        schedule_documents(result.pk, GeneratedDocument.Kind.ANNEX3)
    return result


def reveal_ids(application, *, user):
    """Showing full ID numbers is logged (DOMAIN §8)."""
    if not access.can(user, "track_b.view_ids", application):
        raise PermissionDenied("track_b.view_ids")
    audit.record(actor=user, action="track_b.view_ids", obj=application, role=access_role(user, application))


