"""评审结果备案: the school files a finalised round's results with the office that filed its committee; the office
records them, refusing any candidate's result with a written reason. Certificates issue only from decisions the
office has recorded (``selectors.issuable_decisions``; ``certificates.titles.issue_round_titles`` checks it)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.track_a.routing import committee_filing_office
from evaluation.rounds.models import (
    Decision,
    EvaluationRound,
    FilingState,
    ResultRefusal,
    ResultsFiling,
    RoundState,
)
from evaluation.rounds.selectors import current_decisions
from evaluation.rounds.signals import result_refused
from portal import access, audit
from portal.models import Role
from portal.notify import notify

from .common import application_link, graduate_user, round_link, school_staff, transition


def office_users(rnd):
    """The officials of the office that filed the round's committee (附件2 二(三))."""
    office = committee_filing_office(rnd.committee)
    users = get_user_model().objects.filter(is_active=True, roles__role=office.role)
    if not office.is_provincial:
        users = users.filter(roles__city_id=office.city_code)
    return list(users.distinct())


def submit_results(*, round, actor):
    """报送评审结果备案 (again, after a 复查 changed a decision)."""
    rnd = round
    access.require(actor, "rounds.manage_round", rnd)
    if rnd.state != RoundState.FINALISED:
        raise ValidationError(_("评审结果确定后才能报送备案。"), code="not_finalised")
    now = timezone.now()
    title = _("职称评审结果报送备案：%(round)s") % {"round": rnd.name}
    with transaction.atomic():
        EvaluationRound.objects.select_for_update().filter(pk=rnd.pk).first()  # two tabs filing the first time
        filing = ResultsFiling.objects.select_for_update().filter(round=rnd).first()
        if filing is None:
            filing = ResultsFiling.objects.create(round=rnd, submitted_by=actor, submitted_at=now)
            audit.record(actor=actor, action="rounds.submit_results", obj=filing, role=Role.UNIVERSITY_STAFF)
            notify(office_users(rnd), title=title, link=round_link(rnd))
            return filing
        if filing.state == FilingState.SUBMITTED:
            raise ValidationError(_("评审结果已报送，等待人社部门备案。"), code="pending")
        return transition(filing, "resubmit", actor=actor, role=Role.UNIVERSITY_STAFF,
                          expected_state=FilingState.RECORDED, by=actor, at=now, tell=office_users(rnd),
                          title=title, link=round_link(rnd))


def record_results(*, filing, actor, refusals=None, comment=""):
    """The office records the results; ``refusals``: {decision id: reason} of results it does not record."""
    rnd = filing.round
    access.require(actor, "rounds.record_results", filing)
    refusals = {int(k): (v or "").strip() for k, v in (refusals or {}).items()}
    current = {d.pk: d for d in current_decisions(rnd) if d.passed}
    unknown = set(refusals) - set(current)
    if unknown:
        raise ValidationError(_("只能对本轮现行的通过决定不予备案。"), code="decision")
    if any(not reason for reason in refusals.values()):
        raise ValidationError(_("不予备案的，请写明理由。"), code="reason")
    role = committee_filing_office(rnd.committee).role
    with transaction.atomic():
        # The transition first: it locks the filing and checks its state, so the same form sent from a second tab
        # waits and gets the workflow's message instead of inserting the refusals twice (a 500).
        filing = transition(filing, "record", actor=actor, role=role, comment=comment,
                            expected_state=FilingState.SUBMITTED, by=actor, at=timezone.now(), note=comment,
                            tell=school_staff(rnd.institution_id), link=round_link(rnd),
                            title=_("职称评审结果已备案：%(round)s") % {"round": rnd.name})
        for decision_id, reason in refusals.items():
            decision = current[decision_id]
            ResultRefusal.objects.create(filing=filing, decision=decision, reason=reason, refused_by=actor)
            result_refused.send(sender=Decision, decision=decision, reason=reason, actor=actor, role=role)
            notify(graduate_user(decision.application), title=_("您的职称评审结果（%(level)s）未予备案，不发证书")
                   % {"level": decision.get_level_display()}, body=reason, link=application_link(decision.application))
        audit.record(actor=actor, action="rounds.record_results", obj=filing, role=role,
                     changes={"refused": {str(k): v for k, v in refusals.items()}})
    return filing

