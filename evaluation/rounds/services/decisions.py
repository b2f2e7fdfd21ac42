"""Correcting a final decision: never an edit — a new decision, logged, that supersedes the old one."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from evaluation.rounds import clock
from evaluation.rounds.models import Decision
from evaluation.rounds.rules import LEVEL_NAMES
from portal import access, audit
from portal.models import Role
from portal.notify import notify

from .common import application_link, city_hrss, graduate_user, school_staff


def correct_decision(*, decision, actor, passed, level, reason, approval_number, today=None):
    access.require(actor, "rounds.correct_decision", decision)
    today = today or clock.today()
    reason = (reason or "").strip()
    approval_number = (approval_number or "").strip()
    if not reason:
        raise ValidationError(_("请写明更正理由。"), code="reason")
    if not approval_number:
        raise ValidationError(_("请填写更正决定的批准文号。"), code="number")
    if level not in LEVEL_NAMES:
        raise ValidationError(_("请选择评审级别。"), code="level")
    if Decision.objects.filter(supersedes=decision).exists():
        raise ValidationError(_("该决定已被更正，请在最新的决定上办理。"), code="superseded")
    rnd = decision.round
    try:
        with transaction.atomic():
            new = Decision.objects.create(
                round=rnd, application=decision.application, graduate=decision.graduate,
                committee_id=decision.committee_id, level=level, major=decision.major, passed=passed,
                decided_on=today, approval_number=approval_number, supersedes=decision, reason=reason,
                created_by=actor)
            audit.record(actor=actor, action="rounds.correct_decision", obj=new, role=Role.UNIVERSITY_STAFF,
                         changes={"supersedes": decision.pk, "passed": [decision.passed, passed],
                                  "level": [decision.level, level], "approval_number": approval_number,
                                  "reason": reason})
            title = _("您的职称评审结果已更正：%(level)s，%(result)s（%(number)s）") % {
                "level": LEVEL_NAMES[level], "result": _("通过") if passed else _("未通过"), "number": approval_number}
            notify(graduate_user(decision.application), title=title, body=reason,
                   link=application_link(decision.application))
            notify(school_staff(rnd.institution_id) + city_hrss(rnd.institution.city_id),
                   title=_("评审结果更正：%(decision)s") % {"decision": new}, body=reason,
                   link=application_link(decision.application))
    except IntegrityError as exc:
        raise ValidationError(_("该决定已被更正，请在最新的决定上办理。"), code="superseded") from exc
    return new
