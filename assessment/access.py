"""Who may do what in 评价实施 (registered in portal.access; imported by AssessmentConfig.ready).

- The filed institution's own staff plan, run and report (谁评价、谁发证、谁负责).
- The filing office (the office that filed the institution: ``filing.authority_role``/``authority_city``) reads what
  was reported to it, acknowledges or comments on plans, objects to sessions, names the quality supervisor, and may
  suspend a session's issuance. It never sees a draft. The provincial HRSS oversees every office (read only).
- Examiners (expert accounts assigned to a session) see that session and enter scores; the quality supervisor sees
  the session and files the 督导报告. Students see their own registrations and results.
"""

from applications.track_b.access import is_authority_official
from portal import access
from portal.models import Role

from .models import PlanState, SessionState


def staff_of(user, institution_id):
    return institution_id in access.institution_ids(user)


def is_filing_office(user, obj):
    """Officials of the office that filed ``obj``'s institution (obj: a plan or a session)."""
    return is_authority_official(user, obj.filing)


def is_examiner(user, session):
    cache = session.__dict__.setdefault("_examiner_ids", None)
    if cache is None:
        cache = set(session.examiners.values_list("user_id", flat=True))
        session.__dict__["_examiner_ids"] = cache
    return user.pk in cache


@access.rule("assessment.index")
def _index(user, obj):
    return access.is_site_admin(user) or access.has_role(
        user, Role.UNIVERSITY_STAFF, Role.CITY_HRSS, Role.PROVINCIAL_HRSS, Role.EXPERT)


@access.rule("assessment.manage")
def _manage(user, obj):
    """Plan and run sessions for one's own institution (obj: an Institution or None)."""
    if obj is None:
        return bool(access.institution_ids(user))
    return staff_of(user, obj.pk)


@access.rule("assessment.plan_view")
def _plan_view(user, plan):
    if access.is_site_admin(user) or staff_of(user, plan.institution_id):
        return True
    if plan.state == PlanState.DRAFT:
        return False
    return is_filing_office(user, plan) or access.has_role(user, Role.PROVINCIAL_HRSS)


@access.rule("assessment.plan_edit")
def _plan_edit(user, plan):
    return staff_of(user, plan.institution_id) and plan.state == PlanState.DRAFT


@access.rule("assessment.plan_answer")
def _plan_answer(user, plan):
    return plan.state == PlanState.REPORTED and is_filing_office(user, plan)


@access.rule("assessment.session_view")
def _session_view(user, session):
    if access.is_site_admin(user) or staff_of(user, session.institution_id):
        return True
    if session.state == SessionState.DRAFT:
        return False
    if is_filing_office(user, session) or access.has_role(user, Role.PROVINCIAL_HRSS):
        return True
    return session.supervisor_id == user.pk or is_examiner(user, session)


@access.rule("assessment.session_edit")
def _session_edit(user, session):
    return staff_of(user, session.institution_id)


@access.rule("assessment.session_oversee")
def _session_oversee(user, session):
    return session.state != SessionState.DRAFT and is_filing_office(user, session)


@access.rule("assessment.score")
def _score(user, session):
    return session.state == SessionState.REPORTED and is_examiner(user, session)


@access.rule("assessment.supervise")
def _supervise(user, session):
    return session.supervisor_id is not None and session.supervisor_id == user.pk


@access.rule("assessment.oversight")
def _oversight(user, obj):
    return access.is_site_admin(user) or access.has_role(user, Role.CITY_HRSS, Role.PROVINCIAL_HRSS)


@access.rule("assessment.student")
def _student(user, obj):
    return access.has_role(user, Role.STUDENT)
