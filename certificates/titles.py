"""Title certificates from a finalised evaluation round (issue 7 §2, 附件2): the pilot school issues what its
committee decided (谁评价、谁发证、谁负责). Idempotent: a decision's ``source_key`` gives one certificate.

Only from decisions the office that filed the committee has recorded (评审结果备案, DOMAIN §7): none before the
record, none for a result it refused, none for a decision waiting for the committee's 复查
(``evaluation.rounds.selectors.issuable_decisions``). A decision that a 复查 put in place of another takes the
place of its certificate too: the earlier certificate, still valid, is superseded by the new one, so a graduate
never holds two (one ending in 未通过 revokes it at once: ``certificates.signals``)."""

from datetime import date

from django.db import transaction

from applications.workflow import run_transition
from certificates import services
from certificates.models import Certificate, CertificateStatus
from evaluation.rounds.selectors import issuable_decisions
from portal import audit
from portal.identifiers import normalize_ric
from portal.models import Role

GENDERS = {"M": "男", "F": "女"}


def _birth_date(id_number):
    number = normalize_ric(id_number)
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def earlier_source_keys(decision):
    """The ``source_key`` of every decision ``decision`` took the place of (by 复查), nearest first."""
    keys, earlier = [], decision.supersedes
    while earlier is not None:
        keys.append(earlier.source_key)
        earlier = earlier.supersedes
    return keys


def valid_certificate_of(source_keys):
    """The valid title certificate issued from any of ``source_keys`` (at most one: each replaced the last), or None."""
    return (Certificate.objects.filter(source_key__in=source_keys, status=CertificateStatus.VALID)
            .order_by("-created_at", "-id").first()) if source_keys else None


def issue_round_titles(rnd, *, actor, render=True):
    """Issues (or finds) the title certificate of every passed decision in force that the office recorded;
    returns them in order. Raises ``IssuanceError`` while the results are not on record."""
    decisions, why_not = issuable_decisions(rnd)
    if why_not:
        raise services.IssuanceError(why_not)
    issued = []
    with transaction.atomic():
        for decision in decisions:
            existing = Certificate.objects.filter(source_key=decision.source_key).order_by("-version").first()
            if existing is not None:  # issued already (and maybe corrected since): idempotent
                issued.append(existing)
                continue
            graduate = decision.graduate
            fields = services.title_fields(
                name=graduate.name, gender=GENDERS.get(graduate.gender, graduate.get_gender_display()),
                birth_date=_birth_date(graduate.id_number), id_number=graduate.id_number,
                employer=graduate.employer or "--", major=decision.major,
                qualification=str(decision.get_level_display()), committee=decision.committee.name,
                approval_no=decision.approval_number, obtained_on=decision.decided_on, issuer=rnd.institution)
            earlier = valid_certificate_of(earlier_source_keys(decision))
            certificate = services.issue_certificate(
                kind="title", frozen_fields=fields, issuer=rnd.institution, source_key=decision.source_key,
                issued_by=actor, holder_user=graduate.user, render=render, replaces=earlier)
            if earlier is not None:
                run_transition(earlier, "supersede", actor=actor, role=Role.UNIVERSITY_STAFF,
                               comment=f"经评委会复查，依新的评审结果决定（{decision.approval_number}）换发",
                               data={"replacement": certificate.number}, expected_state=CertificateStatus.VALID,
                               state_field="status")
            issued.append(certificate)
        audit.record(actor=actor, action="certificates.issue_round_titles", obj=rnd,
                     changes={"certificates": len(issued)})
    return issued
