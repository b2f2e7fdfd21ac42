"""复查 (re-review) of a final decision: requested with a reason, decided by the committee — never rewritten by staff.

``request_rereview``: the school that formed the committee (组建单位), or the graduate themself, asks the committee
to review a decision again after a complaint or an error found; the candidate goes onto the committee's next meeting
(``selectors.pending_rereviews(committee)``) and the certificate of that decision, if not yet issued, waits.
The secretary convenes a 复查 meeting (``meetings.convene_rereview_meeting``); the members vote again by secret
ballot and the chair's closing records the count on the request (``ballots.close_vote``).
``publish_rereview_result``: the school (组建单位) posts the new result once the chair has signed the minutes — a
``PublicNotice`` of its own (复查结果公示, ≥ 5 working days by the working-day calendar; one per re-review), its entry
frozen as for the results 公示: masked name, major, level, the new count and result, never an ID number; read by whom
the results 公示 is read (``ROUNDS_RESULTS_NOTICE_VISIBILITY``), objections (异议) lodged through the same form.
``conclude_rereview``: after the 公示, and with every objection to it answered in writing, the new ``Decision`` is
made from the count — the school gives the 文号, never the outcome — superseding the old one, and the request closes.
There is no date lock: 31 December (附件2 一(五)) is when evaluation must be finished, not when errors stop
being corrected.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from evaluation.rounds import clock, deadlines
from evaluation.rounds.models import (
    Decision,
    Meeting,
    MeetingState,
    NoticeEntry,
    Objection,
    ObjectionState,
    PublicNotice,
    RereviewGrounds,
    RereviewRequest,
    RereviewState,
    Stage,
)
from evaluation.rounds.signals import decision_superseded
from portal import access, audit
from portal.models import Role
from portal.notify import notify

from .common import application_link, city_hrss, graduate_user, school_staff, transition


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


def publish_rereview_result(*, request, actor, starts_on=None, contact="", expected_state=None, today=None):
    """公示复查结果: the members' new count, once the chair has signed the 复查 meeting's minutes, is posted by the
    school as a notice of its own for at least 5 working days (masked name, major, level, count and result; never an
    ID number). One notice per re-review."""
    access.require(actor, "rounds.manage_round", request.round)
    _request_in(request, RereviewState.VOTED)
    if not Meeting.objects.filter(pk=request.tally.meeting_id, state=MeetingState.SIGNED).exists():
        raise ValidationError(_("复查会议纪要尚未由主任委员签署，不能公示复查结果。"), code="unsigned")
    if PublicNotice.objects.filter(rereview=request).exists():
        raise ValidationError(_("该复查的结果已经公示。"), code="published")
    today = today or clock.today()
    starts_on = starts_on or today
    if starts_on < today:
        raise ValidationError(_("公示开始日期不能早于今天。"), code="past")
    ends_on = deadlines.notice_end(starts_on, limit=None)
    decision, tally, rnd = request.decision, request.tally, request.round
    name = decision.graduate.masked_name
    with transaction.atomic():
        request = transition(request, "publish_result", actor=actor, role=Role.UNIVERSITY_STAFF,
                             expected_state=expected_state, starts_on=starts_on, ends_on=ends_on,
                             comment=_("公示期：%(start)s至%(end)s") % {"start": starts_on, "end": ends_on},
                             data={"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
                             tell=graduate_user(request.application), link=application_link(request.application),
                             title=_("复查结果公示：%(name)s（%(level)s）%(result)s，公示至%(end)s") % {
                                 "name": name, "level": decision.get_level_display(),
                                 "result": _outcome_text(tally.passed), "end": ends_on})
        notice = PublicNotice.objects.create(
            round=rnd, stage=Stage.REREVIEW, rereview=request, starts_on=starts_on, ends_on=ends_on,
            contact=(contact or "").strip()[:200], published_by=actor,
            title=_("%(round)s：复查结果公示（%(name)s）") % {"round": rnd.name, "name": name})
        NoticeEntry.objects.create(notice=notice, application=decision.application, position=1, masked_name=name,
                                   major=decision.major, level=decision.level, passed=tally.passed, yes=tally.yes,
                                   voters=tally.voters)
        notify(school_staff(rnd.institution_id) + city_hrss(rnd.institution.city_id),
               title=_("复查结果公示已发布：%(title)s（%(start)s至%(end)s）")
               % {"title": notice.title, "start": starts_on, "end": ends_on}, link=notice_link(notice))
    return request


def notice_link(notice):
    return reverse("rounds:public_notice", args=[notice.pk])


def _outcome_text(passed):
    return _("通过") if passed else _("未通过")


def conclude_rereview(*, request, actor, approval_number, expected_state=None, today=None):
    """After the 复查 result's 公示: the new ``Decision`` — passed exactly as the members' count says (``tally``),
    at the level and in the major of the original — supersedes the decision re-reviewed, and the request closes.
    The school gives only the 文号; nobody types the outcome."""
    access.require(actor, "rounds.conclude_rereview", request)
    _request_in(request, RereviewState.NOTICE)
    today = today or clock.today()
    notice = PublicNotice.objects.filter(rereview=request).first()
    ends_on = notice.ends_on if notice is not None else request.notice_ends_on
    if today <= ends_on:
        raise ValidationError(_("复查结果公示期至%(end)s，期满后才能作出新的决定。") % {"end": ends_on},
                              code="notice_running")
    unanswered = Objection.objects.filter(notice__rereview=request, state=ObjectionState.OPEN).count()
    if unanswered:
        raise ValidationError(_("复查结果公示尚有%(n)d条异议未书面答复，答复后才能作出新的决定。") % {"n": unanswered},
                              code="objections_open")
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
        decision_superseded.send(sender=Decision, old=old, new=new, actor=actor)
        request = transition(request, "conclude", actor=actor, role=role, expected_state=expected_state, outcome=new,
                             data={"decision": new.pk, "supersedes": old.pk, "passed": new.passed},
                             tell=graduate_user(old.application), link=application_link(old.application),
                             title=_("您的职称评审结果已经评委会复查：%(level)s，%(result)s") % {
                                 "level": new.get_level_display(), "result": _outcome_text(new.passed)})
    return request
