"""复查 (re-review) of a final decision: requested with a reason, decided by the committee — never rewritten by staff.

``request_rereview``: the school that formed the committee (组建单位), or the graduate themself, asks the committee
to review a decision again after a complaint or an error found; the candidate goes onto the committee's next meeting
(``selectors.pending_rereviews(committee)``) and the certificate of that decision, if not yet issued, waits.
The secretary convenes a 复查 meeting (``meetings.convene_rereview_meeting``); the members vote again by secret
ballot and the chair's closing records the count on the request (``ballots.close_vote``).
``publish_rereview_result``: the school posts the new result (公示, ≥ 5 working days) once the minutes are signed.
``conclude_rereview``: after the 公示, the new ``Decision`` is made from the count — the school gives the 文号, never
the outcome — superseding the old one, and the request closes.
There is no date lock: 31 December (附件2 一(五)) is when evaluation must be finished, not when errors stop
being corrected.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from evaluation.rounds import clock, deadlines
from evaluation.rounds.models import (
    Decision,
    Meeting,
    MeetingState,
    RereviewGrounds,
    RereviewRequest,
    RereviewState,
)
from portal import access, audit
from portal.models import Role
from portal.notify import notify

from .common import application_link, graduate_user, school_staff, transition


def request_rereview(*, decision, actor, grounds, reason):
    access.require(actor, "rounds.request_rereview", decision)
    reason = (reason or "").strip()
    if grounds not in RereviewGrounds.values:
        raise ValidationError(_("请选择复查事由。"), code="grounds")
    if not reason:
        raise ValidationError(_("请写明复查理由。"), code="reason")
    if Decision.objects.filter(supersedes=decision).exists():
        raise ValidationError(_("该决定已被新的决定替代，请就现行决定申请复查。"), code="superseded")
    own = decision.graduate.user_id is not None and decision.graduate.user_id == actor.pk
    role = Role.STUDENT if own else Role.UNIVERSITY_STAFF
    rnd = decision.round
    try:
        with transaction.atomic():
            request = RereviewRequest.objects.create(decision=decision, committee_id=decision.committee_id,
                                                     grounds=grounds, reason=reason, requested_by=actor,
                                                     requested_role=role)
            audit.record(actor=actor, action="rounds.request_rereview", obj=request, role=role,
                         changes={"decision": decision.pk, "grounds": grounds, "reason": reason})
            title = _("职称评审结果复查申请：%(name)s（%(level)s），列入评委会下次评审会议") % {
                "name": decision.graduate.name, "level": decision.get_level_display()}
            notify(school_staff(rnd.institution_id) + graduate_user(decision.application), title=title, body=reason,
                   link=application_link(decision.application))
    except IntegrityError as exc:
        raise ValidationError(_("该决定已在等待评委会复查。"), code="pending") from exc
    return request


def _request_in(request, state):
    if request.state != state:
        raise ValidationError(_("该复查当前状态为“%(state)s”，不能执行该操作。") % {"state": request.get_state_display()},
                              code="state")


def publish_rereview_result(*, request, actor, starts_on=None, expected_state=None, today=None):
    """公示复查结果: the members' new count, once the chair has signed the 复查 meeting's minutes, is posted for at
    least 5 working days (name, major, level and result; never an ID number)."""
    access.require(actor, "rounds.manage_round", request.round)
    _request_in(request, RereviewState.VOTED)
    if not Meeting.objects.filter(pk=request.tally.meeting_id, state=MeetingState.SIGNED).exists():
        raise ValidationError(_("复查会议纪要尚未由主任委员签署，不能公示复查结果。"), code="unsigned")
    today = today or clock.today()
    starts_on = starts_on or today
    if starts_on < today:
        raise ValidationError(_("公示开始日期不能早于今天。"), code="past")
    ends_on = deadlines.notice_end(starts_on, limit=None)
    return transition(request, "publish_result", actor=actor, role=Role.UNIVERSITY_STAFF,
                      expected_state=expected_state, starts_on=starts_on, ends_on=ends_on,
                      comment=_("公示期：%(start)s至%(end)s") % {"start": starts_on, "end": ends_on},
                      data={"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
                      tell=school_staff(request.round.institution_id) + graduate_user(request.application),
                      link=application_link(request.application),
                      title=_("复查结果公示：%(name)s（%(level)s）%(result)s，公示至%(end)s") % {
                          "name": request.decision.graduate.masked_name, "level": request.decision.get_level_display(),
                          "result": _outcome_text(request.tally.passed), "end": ends_on})


def _outcome_text(passed):
    return _("通过") if passed else _("未通过")


def conclude_rereview(*, request, actor, approval_number, expected_state=None, today=None):
    """After the 复查 result's 公示: the new ``Decision`` — passed exactly as the members' count says (``tally``),
    at the level and in the major of the original — supersedes the decision re-reviewed, and the request closes.
    The school gives only the 文号; nobody types the outcome."""
    access.require(actor, "rounds.conclude_rereview", request)
    _request_in(request, RereviewState.NOTICE)
    today = today or clock.today()
    if today <= request.notice_ends_on:
        raise ValidationError(_("复查结果公示期至%(end)s，期满后才能作出新的决定。") % {"end": request.notice_ends_on},
                              code="notice_running")
    approval_number = (approval_number or "").strip()
    if not approval_number:
        raise ValidationError(_("请填写批准文号。"), code="number")
    old, tally = request.decision, request.tally
    if tally.application_id != old.application_id or tally.meeting.round.committee_id != request.committee_id:
        raise ValidationError(_("复查须由原评审委员会对该评审对象重新表决。"), code="committee")
    role = Role.UNIVERSITY_STAFF
    with transaction.atomic():
        new = Decision.objects.create(
            round=old.round, application=old.application, graduate=old.graduate, committee_id=request.committee_id,
            level=old.level, major=old.major, passed=tally.passed, decided_on=today, approval_number=approval_number,
            supersedes=old, created_by=actor,
            reason=_("复查（%(grounds)s）：%(reason)s；评委会复查会议表决同意%(yes)d票/应参加表决%(voters)d人") % {
                "grounds": request.get_grounds_display(), "reason": request.reason, "yes": tally.yes,
                "voters": tally.voters})
        transition(old.application, "rereview_pass" if tally.passed else "rereview_fail", actor=actor, role=role,
                   data={"rereview": request.pk, "decision": new.pk})
        request = transition(request, "conclude", actor=actor, role=role, expected_state=expected_state, outcome=new,
                             data={"decision": new.pk, "supersedes": old.pk, "passed": new.passed},
                             tell=graduate_user(old.application), link=application_link(old.application),
                             title=_("您的职称评审结果已经评委会复查：%(level)s，%(result)s") % {
                                 "level": new.get_level_display(), "result": _outcome_text(new.passed)})
    return request
