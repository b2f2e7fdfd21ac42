"""Who may do what in an evaluation round (registered with ``portal.access``; transitions ask these rules).

- the school's staff (高校经办人) open and run the round: review applications, publish the notices, answer
  objections, convene the committee's meetings (as its secretary), finalise — the school evaluates and answers for
  it (谁评价、谁负责); a final decision is never rewritten by staff: they (or the graduate) may ask the committee for
  a 复查, and only the committee's new vote changes the outcome;
- the members called to a meeting (评委会委员, expert accounts) see that meeting, its candidates and their
  materials while it runs, and its record afterwards; they check in, declare conflicts and vote themselves;
  the chair (主任委员) closes the vote and signs the minutes — nobody records votes for them;
- a graduate (student account linked to their ``Graduate`` record) applies in the round of their school and
  graduation year, and sees only their own application;
- the offices that supervise the school (its city's HRSS and education bureau; the provincial offices) see the
  rounds, applications, objections and reports, and act on none;
- site admins see everything and act on nothing;
- the notices (公示) are within the unit (单位内部公示, DOMAIN §7): signed-in members of the school (staff, students,
  experts it employs) and the offices concerned read them and may object; the results notice is public when the
  setting ``ROUNDS_RESULTS_NOTICE_VISIBILITY`` says "public" (default "school"). No notice shows an ID number.
"""

from django.conf import settings

from evaluation.models import Graduate
from evaluation.rounds.models import (
    EvaluationRound,
    Meeting,
    MeetingMember,
    MeetingState,
    Objection,
    RoundState,
)
from portal import access


def _round_of(obj):
    """The round behind a round, application, objection, notice or decision."""
    if isinstance(obj, EvaluationRound):
        return obj
    if isinstance(obj, Objection):
        return obj.notice.round
    if isinstance(obj, Meeting):
        return obj.round
    return obj.round


def _staff_of(user, rnd):
    return rnd.institution_id in access.institution_ids(user)


def _supervises(user, rnd):
    return access.oversees_institution(user, rnd.institution)


def _applicant(user, application):
    return application.graduate.user_id is not None and application.graduate.user_id == user.pk


@access.rule("rounds.open_round")
def _open_round(user, institution):
    if institution is None:
        return bool(access.institution_ids(user))
    return institution.pk in access.institution_ids(user)


@access.rule("rounds.view_round")
def _view_round(user, rnd):
    return access.is_site_admin(user) or _staff_of(user, rnd) or _supervises(user, rnd)


@access.rule("rounds.manage_round")
def _manage_round(user, rnd):
    return _staff_of(user, _round_of(rnd))


@access.rule("rounds.view_personal")
def _view_personal(user, rnd):
    """Lists with names and the export's candidate sheet: the school and site admins (supervisors get counts)."""
    return access.is_site_admin(user) or _staff_of(user, _round_of(rnd))


@access.rule("rounds.enrol")
def _enrol(user, rnd):
    return _staff_of(user, rnd)


@access.rule("rounds.apply")
def _apply(user, rnd):
    return Graduate.objects.filter(user=user, institution_id=rnd.institution_id,
                                   graduation_year=rnd.graduation_year).exists()


@access.rule("rounds.view_application")
def _view_application(user, application):
    rnd = application.round
    return (_applicant(user, application) or access.is_site_admin(user) or _staff_of(user, rnd)
            or _supervises(user, rnd))


@access.rule("rounds.edit_application")
def _edit_application(user, application):
    return (application.is_editable and application.round.state == RoundState.OPEN
            and (_applicant(user, application) or _staff_of(user, application.round)))


@access.rule("rounds.submit_application")
def _submit_application(user, application):
    return _applicant(user, application) or _staff_of(user, application.round)


@access.rule("rounds.withdraw_application")
def _withdraw_application(user, application):
    return _applicant(user, application) or _staff_of(user, application.round)


@access.rule("rounds.review_application")
def _review_application(user, application):
    return _staff_of(user, application.round)


def _chairs_open_meeting(user, rnd):
    return user.is_authenticated and MeetingMember.objects.filter(
        meeting__round_id=rnd.pk, meeting__state=MeetingState.CONVENED, user=user, is_chair=True).exists()


@access.rule("rounds.record_votes")
def _record_votes(user, application):
    """Recording a candidate's result: only the chair of the round's meeting, by closing its vote."""
    return _chairs_open_meeting(user, _round_of(application))


@access.rule("rounds.end_committee_review")
def _end_committee_review(user, rnd):
    """The round leaves 待评委会评审: by the chair's closing of the vote, or the secretary after a deferral."""
    rnd = _round_of(rnd)
    return _staff_of(user, rnd) or _chairs_open_meeting(user, rnd)


@access.rule("rounds.sit_in_meeting")
def _sit_in_meeting(user, meeting):
    """Called to this meeting (the chair or a drawn member) — members of other committees never."""
    return user.is_authenticated and MeetingMember.objects.filter(meeting=meeting, user=user).exists()


@access.rule("rounds.chair_meeting")
def _chair_meeting(user, meeting):
    return user.is_authenticated and MeetingMember.objects.filter(meeting=meeting, user=user, is_chair=True).exists()


@access.rule("rounds.answer_objection")
def _answer_objection(user, obj):
    return _staff_of(user, _round_of(obj))


@access.rule("rounds.request_rereview")
def _request_rereview(user, decision):
    """The school that formed the committee (组建单位), or the graduate the decision is about."""
    return _staff_of(user, _round_of(decision)) or _applicant(user, decision.application)


@access.rule("rounds.record_revote")
def _record_revote(user, request):
    """A 复查 candidate's new count is recorded only by the chair of the open meeting it is scheduled on, by closing
    the vote — never by the school's staff."""
    return (request.meeting_id is not None and request.meeting.state == MeetingState.CONVENED
            and _chair_meeting(user, request.meeting))


@access.rule("rounds.conclude_rereview")
def _conclude_rereview(user, obj):
    """After the 复查 result's 公示, the school (组建单位) issues the new decision — made from the members' count,
    which it cannot change (``services.conclude_rereview``). ``obj``: the request, or its application."""
    return _staff_of(user, _round_of(obj))


@access.rule("rounds.record_results")
def _record_results(user, filing):
    """评审结果备案 is recorded by the office that filed the round's committee (附件2 二(三))."""
    return access.can(user, "track_a.review_committee", filing.round.committee)


def results_notice_is_public():
    return getattr(settings, "ROUNDS_RESULTS_NOTICE_VISIBILITY", "school") == "public"


def member_of_school(user, institution_id):
    """Anyone signed in whose role ties them to the school: its staff, its students, the experts it employs."""
    return any(a.institution_id == institution_id for a in access.roles_of(user))


def may_read_notice(user, notice):
    """The one answer for a notice, signed in or not: the results notice and a 复查结果公示 when the setting makes them
    public, else the rule ``rounds.read_notice`` (``access.can`` refuses anyone not signed in)."""
    return (notice.is_public_results and results_notice_is_public()) or access.can(user, "rounds.read_notice", notice)


@access.rule("rounds.read_notice")
def _read_notice(user, notice):
    """单位内部公示: the school's members and the offices concerned (and site admins)."""
    rnd = notice.round
    return (member_of_school(user, rnd.institution_id) or _supervises(user, rnd) or access.is_site_admin(user))


@access.rule("rounds.choose_workplace")
def _choose_workplace(user, graduate):
    """正文 四(二) 自愿选择: the graduate themself, from their own account — never the school for them."""
    return graduate.user_id is not None and graduate.user_id == user.pk
