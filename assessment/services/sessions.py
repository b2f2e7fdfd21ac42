"""考务管理: planning a session, reporting it to the filing office, objections, the quality supervisor and the
督导报告. Every rule cites DOMAIN §4.2 / 通知 三(二)2(4); pass marks come from the filed 附件4 plan only."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.track_b.models import PassStandard
from applications.workflow import run_transition
from certificates.filing import from_application
from evaluation.rounds.workdays import CalendarMissing, WorkCalendar
from portal import access, audit
from portal.models import ExpertProfile, Role
from portal.notify import notify

from ..models import ExaminerConflict, Session, SessionExaminer, SessionState, SupervisionReport
from .common import AssessmentError, current_filing, office_users, require, session_link, staff_users
from .plans import line_for


def venues_of(filing):
    """The filed 场地 (附件3 五(一)), one per line or per “；”."""
    text = (filing.venues or "").replace("；", "\n").replace(";", "\n")
    return [line.strip() for line in text.splitlines() if line.strip()]


def pass_marks(filing, occupation_id):
    """{subject: pass mark} the filed 附件4 plan sets for the occupation (科目设置、成绩合格标准)."""
    return {s.subject: s.pass_mark for s in PassStandard.objects.filter(application=filing, occupation_id=occupation_id)
            if s.subject and s.pass_mark is not None}


def qualified(examiner, occupation):
    """考评职业领域 names the occupation (by name or code)."""
    domain = examiner.domain or ""
    return bool(domain) and (occupation.name in domain or occupation.code in domain)


def account_of(examiner):
    """The platform account of a filed examiner: the expert-pool profile with the same ID number."""
    if not examiner.id_number:
        return None
    profile = ExpertProfile.objects.filter(id_number=examiner.id_number).select_related("user").first()
    return profile.user if profile else None


def session_problems(*, institution, filing, occupation, level, start_date, end_date, site, examiners,
                     graduate_ids=()):
    """Every reason this session may not be planned (empty when it may). ``examiners``: track_b Examiner rows."""
    problems = []
    if filing is None:
        return [_("本单位尚未备案为职业技能等级评价机构，不能组织认定。")]
    filed = from_application(filing)
    if not filed.covers(occupation.pk, level):
        problems.append(_("本单位未备案“%(occ)s”的该等级（备案职业和等级之外不能组织认定）。") % {"occ": occupation.name})
    if end_date < start_date:
        problems.append(_("考核结束日期不能早于开始日期。"))
    if filed.filed_on is None or start_date < filed.filed_on:
        problems.append(_("考核日期（%(d)s）早于备案日期（%(f)s）：须在正式备案后开展认定。")
                        % {"d": start_date, "f": filed.filed_on or "—"})
    line = line_for(institution, occupation.pk, level, start_date)
    if line is None:
        problems.append(_("该场次（%(occ)s，%(y)d年%(m)d月）未列入已报告的年度计划：请先报告（或补充报告）年度计划。")
                        % {"occ": occupation.name, "y": start_date.year, "m": start_date.month})
    if site not in venues_of(filing):
        problems.append(_("考核场地须为备案的场地之一。"))
    if not pass_marks(filing, occupation.pk):
        problems.append(_("备案的实施方案（附件4）未设定“%(occ)s”的考核科目和成绩合格标准，不能组织考核。")
                        % {"occ": occupation.name})
    for examiner in examiners:
        if examiner.application_id != filing.pk:
            problems.append(_("%(name)s 不是本单位备案的考评人员。") % {"name": examiner.name})
        elif not qualified(examiner, occupation):
            problems.append(_("%(name)s 的考评职业领域（%(d)s）不含“%(occ)s”，不具备该职业的考评资格。")
                            % {"name": examiner.name, "d": examiner.domain or "—", "occ": occupation.name})
        elif account_of(examiner) is None:
            problems.append(_("%(name)s 尚无平台账号（按身份证号与专家库匹配），请联系系统管理员开通后再安排。")
                            % {"name": examiner.name})
    if line is not None and len(examiners) < line.examiners:
        problems.append(_("考评人员不足：年度计划每场%(n)d人，现安排%(m)d人。") % {"n": line.examiners, "m": len(examiners)})
    users = [u for u in (account_of(e) for e in examiners) if u is not None]
    if graduate_ids and users:
        for conflict in ExaminerConflict.objects.filter(user__in=users, graduate_id__in=graduate_ids) \
                .select_related("user", "graduate"):
            problems.append(_("考评人员 %(e)s 已申报与考生 %(g)s 存在回避关系（%(k)s），不得担任本场考评人员。")
                            % {"e": conflict.user.display_name, "g": conflict.graduate.masked_name,
                               "k": conflict.get_kind_display()})
    return problems


def save_session(*, user, institution, session=None, occupation, level, job_type, start_date, end_date, site,
                 examiners):
    """Creates (or, while a draft, changes) a session; the pass marks are copied from the filed plan."""
    require(user, "assessment.manage", institution)
    filing = current_filing(institution)
    graduate_ids = list(session.candidates.values_list("graduate_id", flat=True)) if session else []
    problems = session_problems(institution=institution, filing=filing, occupation=occupation, level=level,
                                start_date=start_date, end_date=end_date, site=site, examiners=examiners,
                                graduate_ids=graduate_ids)
    if session is not None and session.state != SessionState.DRAFT:
        problems.insert(0, _("考务计划已报备，不能再修改；如需调整请取消后重新编制。"))
    if problems:
        raise AssessmentError(problems)
    marks = pass_marks(filing, occupation.pk)
    with transaction.atomic():
        if session is None:
            session = Session(institution=institution, created_by=user)
        session.filing = filing
        session.plan_line = line_for(institution, occupation.pk, level, start_date)
        session.occupation, session.level, session.job_type = occupation, level, job_type
        session.start_date, session.end_date, session.site = start_date, end_date, site
        session.theory_pass_mark = marks.get("theory")
        session.practical_pass_mark = marks.get("practical")
        session.save()
        session.examiners.all().delete()
        SessionExaminer.objects.bulk_create([SessionExaminer(session=session, examiner=e, user=account_of(e))
                                             for e in examiners])
        audit.record(actor=user, action="assessment.save_session", obj=session, role=Role.UNIVERSITY_STAFF,
                     changes={"occupation": occupation.code, "level": level, "start": start_date.isoformat(),
                              "examiners": [e.pk for e in examiners]})
    return session


def working_days_left(session, today):
    """Working days strictly between ``today`` and the session's first day."""
    if session.start_date <= today:
        return 0
    return WorkCalendar().working_days_between(today + datetime.timedelta(days=1),
                                               session.start_date - datetime.timedelta(days=1))


def report_session(session, *, user, expected_state=None):
    """报备: the session plan reaches the filing office ≥ N working days (setting) before it is held."""
    today = timezone.localdate()
    examiners = [se.examiner for se in session.examiners.select_related("examiner")]
    problems = session_problems(institution=session.institution, filing=session.filing, occupation=session.occupation,
                                level=session.level, start_date=session.start_date, end_date=session.end_date,
                                site=session.site, examiners=examiners,
                                graduate_ids=list(session.candidates.values_list("graduate_id", flat=True)))
    needed = settings.ASSESSMENT_REPORT_WORKING_DAYS
    try:
        left = working_days_left(session, today)
    except CalendarMissing as exc:  # a year the holiday calendar does not know yet: say who must enter it
        raise AssessmentError([*problems, *exc.messages]) from exc
    if left < needed:
        problems.append(_("考务计划须在考核日前至少%(n)d个工作日报备备案部门：距%(d)s只剩%(left)d个工作日，请调整考核日期。")
                        % {"n": needed, "d": session.start_date, "left": left})
    if problems:
        raise AssessmentError(problems)
    return run_transition(session, "report", actor=user, role=Role.UNIVERSITY_STAFF, expected_state=expected_state,
                          at=timezone.now(), notify_users=lambda s: office_users(s.filing),
                          notice_title=_("收到考务计划报备：%(s)s") % {"s": session}, notice_link=session_link)


def object_session(session, *, user, reason, expected_state=None):
    reason = (reason or "").strip()
    if not reason:
        raise AssessmentError(_("提出异议须写明理由。"))
    if session.start_date <= timezone.localdate():
        raise AssessmentError(_("考核已开始，不能再提出异议；如有问题可在认定结果报备后暂停发证。"))
    return run_transition(session, "raise_objection", actor=user, role=session.filing.authority_role,
                          expected_state=expected_state, comment=reason, reason=reason,
                          notify_users=lambda s: staff_users(s.institution_id),
                          notice_title=_("备案部门对考务计划提出异议：%(s)s") % {"s": session}, notice_link=session_link)


def answer_objection(session, *, user, answer):
    require(user, "assessment.session_edit", session)
    answer = (answer or "").strip()
    if session.state != SessionState.OBJECTED or not answer:
        raise AssessmentError(_("请填写对异议的答复。"))
    with transaction.atomic():
        Session.objects.filter(pk=session.pk).update(answer=answer)
        audit.record(actor=user, action="assessment.answer_objection", obj=session, role=Role.UNIVERSITY_STAFF)
    notify(office_users(session.filing), title=_("评价机构已答复异议：%(s)s") % {"s": session}, body=answer,
           link=session_link(session))
    session.refresh_from_db()
    return session


def lift_objection(session, *, user, expected_state=None):
    if not session.answer:
        raise AssessmentError(_("评价机构尚未答复异议。"))
    return run_transition(session, "lift_objection", actor=user, role=session.filing.authority_role,
                          expected_state=expected_state, notify_users=lambda s: staff_users(s.institution_id),
                          notice_title=_("备案部门已撤销异议：%(s)s") % {"s": session}, notice_link=session_link)


def cancel_session(session, *, user, expected_state=None):
    return run_transition(session, "cancel", actor=user, role=Role.UNIVERSITY_STAFF, expected_state=expected_state,
                          notify_users=lambda s: office_users(s.filing) if s.reported_at else [],
                          notice_title=_("考务场次已取消：%(s)s") % {"s": session}, notice_link=session_link)


def supervisor_choices(session):
    """Accounts the office may name: experts not employed by the institution and not examining this session."""
    examiners = set(session.examiners.values_list("user_id", flat=True))
    return (get_user_model().objects.filter(roles__role=Role.EXPERT, is_active=True)
            .exclude(roles__role=Role.EXPERT, roles__institution_id=session.institution_id)
            .exclude(pk__in=examiners).distinct().order_by("full_name", "username"))


def name_supervisor(session, *, user, supervisor):
    """The filing office names the 质量督导员 (before the results are published)."""
    require(user, "assessment.session_oversee", session)
    if session.state not in (SessionState.REPORTED, SessionState.OBJECTED):
        raise AssessmentError(_("只能为已报备、尚未公布成绩的场次指派质量督导员。"))
    if not supervisor_choices(session).filter(pk=supervisor.pk).exists():
        raise AssessmentError(_("质量督导员须为专家库人员，且不得受聘于该评价机构或担任本场考评人员。"))
    with transaction.atomic():
        Session.objects.filter(pk=session.pk).update(supervisor=supervisor)
        audit.record(actor=user, action="assessment.name_supervisor", obj=session, role=session.filing.authority_role,
                     changes={"supervisor": supervisor.pk})
    notify([supervisor, *staff_users(session.institution_id)], title=_("质量督导员已指派：%(s)s") % {"s": session},
           link=session_link(session))
    session.refresh_from_db()
    return session


def file_supervision(session, *, user, checked, anomalies, has_anomalies):
    require(user, "assessment.supervise", session)
    checked, anomalies = (checked or "").strip(), (anomalies or "").strip()
    problems = []
    if session.start_date > timezone.localdate():
        problems.append(_("考核尚未开始，不能提交督导报告。"))
    if session.state not in (SessionState.REPORTED, SessionState.PUBLISHED):
        problems.append(_("当前状态下不能提交督导报告。"))
    if not checked:
        problems.append(_("请填写督导内容。"))
    if has_anomalies and not anomalies:
        problems.append(_("发现异常时须写明问题。"))
    if problems:
        raise AssessmentError(problems)
    with transaction.atomic():
        report, _created = SupervisionReport.objects.update_or_create(
            session=session, defaults={"checked": checked, "anomalies": anomalies, "has_anomalies": has_anomalies,
                                       "filed_by": user})
        audit.record(actor=user, action="assessment.supervision_report", obj=session, role=Role.EXPERT,
                     changes={"has_anomalies": has_anomalies})
    notify([*office_users(session.filing), *staff_users(session.institution_id)],
           title=_("督导报告已提交：%(s)s%(flag)s") % {"s": session, "flag": _("（发现异常）") if has_anomalies else ""},
           link=session_link(session))
    return report


def acting_office_role(user, session):
    return session.filing.authority_role if access.can(user, "assessment.session_oversee", session) else ""
