"""Results: published to candidates, reported to the filing office (认定结果报备, no approval — 谁评价、谁发证、谁负责),
suspended and lifted by the office, and issued as certificates from the session (through ``certificates``)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.workflow import run_transition
from certificates import services as certificates
from certificates.filing import from_application
from certificates.models import AssessmentResult
from portal.models import Role

from ..models import Attendance, SessionState, SupervisionReport
from .common import AssessmentError, office_users, session_link, staff_users


def publish_problems(session):
    problems = []
    candidates = list(session.candidates.select_related("graduate"))
    if not candidates:
        problems.append(_("本场次没有考生。"))
    if session.end_date > timezone.localdate():
        problems.append(_("考核尚未结束（结束日期 %(d)s）。") % {"d": session.end_date})
    for c in candidates:
        if c.attendance == Attendance.UNKNOWN:
            problems.append(_("%(name)s 的考试情况未登记。") % {"name": c.graduate.name})
        elif c.attendance == Attendance.PRESENT and c.confirmed_at is None:
            problems.append(_("%(name)s 的成绩尚未经第二名考评员复核确认。") % {"name": c.graduate.name})
    if session.supervisor_id is None:
        problems.append(_("备案部门尚未指派质量督导员。"))
    elif not SupervisionReport.objects.filter(session=session).exists():
        problems.append(_("质量督导员尚未提交督导报告。"))
    return problems


def _candidate_users(session):
    return [c.graduate.user for c in session.candidates.select_related("graduate__user") if c.graduate.user_id]


def publish(session, *, user, expected_state=None):
    problems = publish_problems(session)
    if problems:
        raise AssessmentError(problems)
    return run_transition(session, "publish_results", actor=user, role=Role.UNIVERSITY_STAFF,
                          expected_state=expected_state, at=timezone.now(), notify_users=_candidate_users,
                          notice_title=_("职业技能等级认定成绩已公布：%(s)s") % {"s": session},
                          notice_link=lambda s: "/assessment/mine/")


def report_results(session, *, user, expected_state=None):
    """认定结果报备: freezes each present candidate's result (``certificates.AssessmentResult``) and reports it."""
    filing = from_application(session.filing)
    with transaction.atomic():
        result = run_transition(session, "report_results", actor=user, role=Role.UNIVERSITY_STAFF,
                                expected_state=expected_state or SessionState.PUBLISHED, at=timezone.now(),
                                notify_users=lambda s: office_users(s.filing),
                                notice_title=_("收到认定结果报备：%(s)s") % {"s": session}, notice_link=session_link)
        for c in session.candidates.filter(attendance=Attendance.PRESENT).select_related("graduate"):
            g = c.graduate
            AssessmentResult.objects.get_or_create(candidate=c, defaults={
                "institution_id": session.institution_id, "institution_code": filing.code, "name": g.name,
                "gender": g.gender, "id_number": g.id_number, "student_number": g.student_number,
                "occupation_id": session.occupation_id, "job_type": session.job_type, "level": session.level,
                "exam_date": session.start_date, "theory_score": c.theory_score,
                "practical_score": c.practical_score, "theory_pass_mark": session.theory_pass_mark,
                "practical_pass_mark": session.practical_pass_mark, "exempt_theory": c.exempt_theory,
                "exempt_practical": c.exempt_practical, "recorded_by": user})
    return result


def suspend(session, *, user, reason, expected_state=None):
    reason = (reason or "").strip()
    if not reason:
        raise AssessmentError(_("暂停发证须写明理由。"))
    return run_transition(session, "suspend", actor=user, role=session.filing.authority_role,
                          expected_state=expected_state, comment=reason, reason=reason,
                          notify_users=lambda s: staff_users(s.institution_id),
                          notice_title=_("备案部门暂停了该场次的发证：%(s)s") % {"s": session}, notice_link=session_link)


def lift_suspension(session, *, user, expected_state=None):
    return run_transition(session, "lift_suspension", actor=user, role=session.filing.authority_role,
                          expected_state=expected_state, notify_users=lambda s: staff_users(s.institution_id),
                          notice_title=_("备案部门已恢复该场次的发证：%(s)s") % {"s": session}, notice_link=session_link)


def issue(session, *, user, issue_date=None):
    """Batch issuance from the session: every passed, reported result without a certificate."""
    if session.state != SessionState.RESULTS_REPORTED:
        raise AssessmentError(_("只有已报备认定结果且未被暂停发证的场次可以发证。"))
    results = list(AssessmentResult.objects.filter(candidate__session=session, certificates__isnull=True)
                   .select_related("candidate__session", "occupation", "institution"))
    try:
        return certificates.start_batch(institution=session.institution, results=results, issued_by=user,
                                        issue_date=issue_date)
    except certificates.IssuanceError as exc:
        raise AssessmentError(str(exc)) from exc
