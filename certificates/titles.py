"""Title certificates from a finalised evaluation round (issue 7 §2, 附件2): the pilot school issues what its
committee decided (谁评价、谁发证、谁负责). Idempotent: a decision's ``source_key`` gives one certificate.

Only from decisions the office that filed the committee has recorded (评审结果备案, DOMAIN §7): none before the
record, none for a result it refused, none for a decision waiting for the committee's 复查
(``evaluation.rounds.selectors.issuable_decisions``)."""

from datetime import date

from django.db import transaction

from certificates import services
from evaluation.rounds.selectors import issuable_decisions
from portal import audit
from portal.identifiers import normalize_ric

GENDERS = {"M": "男", "F": "女"}


def _birth_date(id_number):
    number = normalize_ric(id_number)
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def issue_round_titles(rnd, *, actor, render=True):
    """Issues (or finds) the title certificate of every passed decision in force that the office recorded;
    returns them in order. Raises ``IssuanceError`` while the results are not on record."""
    decisions, why_not = issuable_decisions(rnd)
    if why_not:
        raise services.IssuanceError(why_not)
    issued = []
    with transaction.atomic():
        for decision in decisions:
            graduate = decision.graduate
            fields = services.title_fields(
                name=graduate.name, gender=GENDERS.get(graduate.gender, graduate.get_gender_display()),
                birth_date=_birth_date(graduate.id_number), id_number=graduate.id_number,
                employer=graduate.employer or "--", major=decision.major,
                qualification=str(decision.get_level_display()), committee=decision.committee.name,
                approval_no=decision.approval_number, obtained_on=decision.decided_on, issuer=rnd.institution)
            issued.append(services.issue_certificate(
                kind="title", frozen_fields=fields, issuer=rnd.institution, source_key=decision.source_key,
                issued_by=actor, holder_user=graduate.user, render=render))
        audit.record(actor=actor, action="certificates.issue_round_titles", obj=rnd,
                     changes={"certificates": len(issued)})
    return issued
