"""复查 (re-review) of a final decision: requested with a reason, decided by the committee — never rewritten by staff.

``request_rereview``: the school that formed the committee (组建单位), or the graduate themself, asks the committee
to review a decision again after a complaint or an error found; the candidate goes onto the committee's next meeting
(``selectors.pending_rereviews(committee)``) and the certificate of that decision, if not yet issued, waits.
``conclude_rereview``: called by the meeting when the committee has voted again and the new result has been
publicly notified — it takes the new ``Decision`` (which supersedes the old one) and closes the request.
There is no date lock: 31 December (附件2 一(五)) is when evaluation must be finished, not when errors stop
being corrected.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from evaluation.rounds.models import Decision, RereviewGrounds, RereviewRequest, RereviewState
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


def conclude_rereview(*, request, actor, outcome):
    """The committee's new decision on the candidate (``outcome.supersedes`` is the decision re-reviewed)."""
    if outcome.supersedes_id != request.decision_id:
        raise ValidationError(_("复查后的决定须替代被复查的原决定。"), code="outcome")
    if outcome.committee_id != request.committee_id:
        raise ValidationError(_("复查须由原评审委员会作出决定。"), code="committee")
    return transition(request, "conclude", actor=actor, role=Role.UNIVERSITY_STAFF,
                      expected_state=RereviewState.PENDING, outcome=outcome,
                      tell=graduate_user(request.decision.application),
                      link=application_link(request.decision.application),
                      title=_("您的职称评审结果已经评委会复查：%(level)s，%(result)s") % {
                          "level": outcome.get_level_display(), "result": _("通过") if outcome.passed else _("未通过")})
