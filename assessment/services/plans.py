"""年度计划报告 (通知 三(二)2(4)): the institution reports, the filing office acknowledges or comments."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.workflow import run_transition
from certificates.filing import from_application
from portal import audit
from portal.models import Role

from ..models import AnnualPlan, PlanDeadline, PlanLine, PlanState
from ..models.plans import REPORTED_STATES, parse_months
from .common import AssessmentError, current_filing, office_users, plan_link, require, staff_users


def create_plan(*, user, institution, year):
    """A new draft for ``year``: the first report, or the next version (an amendment), copying the last lines."""
    require(user, "assessment.manage", institution)
    filing = current_filing(institution)
    if filing is None:
        raise AssessmentError(_("本单位尚未备案为职业技能等级评价机构，不能报告年度计划。"))
    with transaction.atomic():
        previous = (AnnualPlan.objects.select_for_update().filter(institution=institution, year=year)
                    .order_by("-version").first())
        if previous is not None and previous.state == PlanState.DRAFT:
            return previous
        plan = AnnualPlan.objects.create(institution=institution, filing=filing, year=year, created_by=user,
                                         version=(previous.version + 1) if previous else 1)
        if previous is not None:
            PlanLine.objects.bulk_create([
                PlanLine(plan=plan, occupation_id=line.occupation_id, level=line.level, months=line.months,
                         expected_candidates=line.expected_candidates, examiners=line.examiners)
                for line in previous.lines.all()])
        audit.record(actor=user, action="assessment.create_plan", obj=plan, role=Role.UNIVERSITY_STAFF,
                     changes={"year": year, "version": plan.version})
    return plan


def line_problems(plan, lines):
    """Reasons a plan's lines cannot be reported: each occupation and level must be one the institution is filed
    for (filed occupations, at or below the filed level)."""
    filing = from_application(plan.filing)
    problems = []
    if not lines:
        problems.append(_("年度计划至少包含一个职业（工种）和等级。"))
    for line in lines:
        if not filing.covers(line.occupation_id, line.level):
            problems.append(_("“%(occ)s %(level)s”不在本单位备案的职业和等级范围内。")
                            % {"occ": line.occupation.name, "level": line.get_level_display()})
        try:
            parse_months(line.months)
        except Exception as exc:  # noqa: BLE001 — a ValidationError with a Chinese message
            problems.append(f"{line.occupation.name}：{exc.messages[0]}")
    return problems


def save_lines(plan, *, user, formset):
    """Saves the plan's lines (a valid formset) while it is a draft; refuses lines outside the filing (nothing
    is kept when any line is refused)."""
    require(user, "assessment.plan_edit", plan)
    with transaction.atomic():
        formset.instance = plan
        formset.save()
        lines = list(plan.lines.select_related("occupation"))
        problems = line_problems(plan, lines) if lines else []
        if problems:
            transaction.set_rollback(True)
            raise AssessmentError(problems)
        audit.record(actor=user, action="assessment.save_plan", obj=plan, role=Role.UNIVERSITY_STAFF,
                     changes={"lines": len(lines)})
    return plan


def report_plan(plan, *, user, expected_state=None):
    problems = line_problems(plan, list(plan.lines.select_related("occupation")))
    if problems:
        raise AssessmentError(problems)
    return run_transition(plan, "report", actor=user, role=Role.UNIVERSITY_STAFF, expected_state=expected_state,
                          at=timezone.now(), notify_users=lambda p: office_users(p.filing),
                          notice_title=_("收到年度计划报告：%(inst)s %(year)d年") % {"inst": plan.institution.name,
                                                                              "year": plan.year},
                          notice_link=plan_link)


def answer_plan(plan, *, user, acknowledge, comment="", expected_state=None):
    """The filing office acknowledges (知悉) or comments; a comment needs text. No approval is involved."""
    comment = (comment or "").strip()
    if not acknowledge and not comment:
        raise AssessmentError(_("提出意见须填写意见内容。"))
    return run_transition(plan, "acknowledge" if acknowledge else "comment", actor=user, role=plan.filing.authority_role,
                          expected_state=expected_state, comment=comment, text=comment, at=timezone.now(),
                          notify_users=lambda p: staff_users(p.institution_id),
                          notice_title=_("备案部门已查阅年度计划报告") if acknowledge else _("备案部门对年度计划提出意见"),
                          notice_link=plan_link)


def set_deadline(*, user, year, due_on, role, city_id):
    with transaction.atomic():
        deadline, _created = PlanDeadline.objects.update_or_create(
            authority_role=role, authority_city_id=city_id, year=year, defaults={"due_on": due_on, "set_by": user})
        audit.record(actor=user, action="assessment.set_plan_deadline", obj=deadline, role=role,
                     changes={"year": year, "due_on": due_on.isoformat()})
    return deadline


def line_for(institution, occupation_id, level, day):
    """The reported plan line that lists this occupation and level in ``day``'s month (latest version), or None."""
    lines = (PlanLine.objects.filter(plan__institution=institution, plan__year=day.year,
                                     plan__state__in=REPORTED_STATES, occupation_id=occupation_id, level=level)
             .select_related("plan").order_by("-plan__version"))
    for line in lines:
        if day.month in line.month_list:
            return line
    return None
