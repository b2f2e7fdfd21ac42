"""Objections to a public notice: anyone who may read it may lodge one while the notice runs (contact optional); the
school answers each in writing — upheld or dismissed, with reasons — before the round may proceed (for a 复查结果公示:
before the new decision is made, ``rereviews.conclude_rereview``)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from evaluation.rounds import clock
from evaluation.rounds.models import (
    ApplicationState,
    Objection,
    ObjectionState,
    RereviewState,
    RoundState,
    Stage,
)
from portal import access, audit
from portal.models import Role
from portal.notify import notify

from .common import application_link, graduate_user, round_link, school_staff, transition

STAGE_STATE = {Stage.CANDIDATES: RoundState.CANDIDATES_NOTICE, Stage.RESULTS: RoundState.RESULTS_NOTICE}
MAX_CONTENT = 2000


def accepts_objections(notice, today):
    """While the notice runs and its step is not yet past: the round's state for the round's two notices, the
    re-review's (复查结果公示中) for a 复查结果公示."""
    if not notice.is_running(today):
        return False
    if notice.stage == Stage.REREVIEW:
        return notice.rereview.state == RereviewState.NOTICE
    return notice.round.state == STAGE_STATE[notice.stage]


def answerable(objection):
    """An open objection can be answered until the step it holds up is taken (the round finalised; for a 复查结果公示,
    the new decision made — which itself waits for every answer)."""
    if objection.state != ObjectionState.OPEN:
        return False
    if objection.notice.stage == Stage.REREVIEW:
        return objection.notice.rereview.state != RereviewState.CONCLUDED
    return objection.notice.round.state != RoundState.FINALISED


def lodge_objection(*, notice, content, entry=None, name="", contact="", today=None):
    """Anyone, signed in or not. Returns the objection; its ``receipt`` lets the objector read the answer."""
    today = today or clock.today()
    rnd = notice.round
    if not accepts_objections(notice, today):
        raise ValidationError(_("该公示的公示期为%(start)s至%(end)s，现不在公示期内，不受理异议。")
                              % {"start": notice.starts_on, "end": notice.ends_on}, code="not_running")
    content = (content or "").strip()
    if len(content) < 4:
        raise ValidationError(_("请写明异议的具体内容和事实依据。"), code="content")
    if len(content) > MAX_CONTENT:
        raise ValidationError(_("异议内容不超过%(n)d字。") % {"n": MAX_CONTENT}, code="content")
    if entry is not None and entry.notice_id != notice.pk:
        raise ValidationError(_("所涉人员不在该公示名单中。"), code="entry")
    with transaction.atomic():
        objection = Objection.objects.create(notice=notice, entry=entry, content=content, name=name.strip()[:50],
                                             contact=contact.strip()[:100])
        audit.record(actor=None, actor_name=_("公众"), action="rounds.lodge_objection", obj=objection,
                     changes={"notice": notice.pk, "entry": entry.pk if entry else None})
        who = _("（所涉人员：%(name)s）") % {"name": entry.masked_name} if entry else ""
        notify(school_staff(rnd.institution_id), title=_("收到公示异议，请书面答复：%(notice)s%(who)s")
               % {"notice": notice.title, "who": who}, body=content[:500], link=_objections_link(rnd))
    return objection


def _objections_link(rnd):
    from django.urls import reverse

    return reverse("rounds:objections", args=[rnd.pk])


def answer_objection(*, objection, actor, outcome, answer, revoke=False, expected_state=ObjectionState.OPEN):
    """``outcome`` upheld / dismissed, with a written ``answer``. An upheld objection about a person may
    ``revoke`` their place on the candidates' list, or their passed result, in the same transaction."""
    access.require(actor, "rounds.answer_objection", objection)
    answer = (answer or "").strip()
    if len(answer) < 5:
        raise ValidationError(_("请书面答复异议，写明核查情况和理由。"), code="answer")
    rnd = objection.notice.round
    rereview = objection.notice.stage == Stage.REREVIEW
    if objection.state == ObjectionState.OPEN and not answerable(objection):
        raise ValidationError(_("复查已作出新的决定，不能再答复该异议。") if rereview
                              else _("评审结果已确定，不能再答复该异议。"), code="closed")
    if rereview and revoke and outcome == ObjectionState.UPHELD:
        # The 复查 result is the committee's count: an upheld objection is answered in writing, and a change of the
        # outcome needs the committee again — a new 复查 of the new decision (grounds: an error found).
        raise ValidationError(_("复查结果由评委会表决产生，不能在答复异议时取消。异议成立、需改变结果的，请书面答复后，"
                                "在作出新的决定后以“发现评审材料或评审过程有误”再次申请复查。"), code="revoke")
    application = objection.entry.application if objection.entry_id else None
    with transaction.atomic():
        if outcome == ObjectionState.UPHELD:
            can_revoke = bool(revoke and not rereview and application is not None
                              and application.state in (ApplicationState.ELIGIBLE, ApplicationState.PASSED))
            objection = transition(objection, "uphold", actor=actor, role=Role.UNIVERSITY_STAFF, comment=answer,
                                   expected_state=expected_state, answer=answer, answered_by=actor,
                                   revoked=can_revoke)
            if can_revoke:
                transition(application, "disqualify", actor=actor, role=Role.UNIVERSITY_STAFF, comment=answer,
                           data={"objection": objection.pk}, tell=graduate_user(application),
                           link=application_link,
                           title=_("经核实公示异议成立，您在%(round)s中的%(what)s已取消")
                           % {"round": rnd.name, "what": _("评审资格") if application.state ==
                              ApplicationState.ELIGIBLE else _("评审结果")})
        elif outcome == ObjectionState.DISMISSED:
            objection = transition(objection, "dismiss", actor=actor, role=Role.UNIVERSITY_STAFF, comment=answer,
                                   expected_state=expected_state, answer=answer, answered_by=actor)
        else:
            raise ValidationError(_("请选择处理结论。"), code="outcome")
        if application is not None and application.graduate.user_id:
            notify(graduate_user(application), title=_("关于您的公示异议已答复（%(outcome)s）")
                   % {"outcome": objection.get_state_display()}, body=answer, link=application_link(application))
        notify([u for u in school_staff(rnd.institution_id) if u.pk != actor.pk],
               title=_("公示异议已答复（%(outcome)s）") % {"outcome": objection.get_state_display()},
               body=answer, link=round_link(rnd))
    return objection
