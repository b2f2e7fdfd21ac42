"""Graduates' records: achievements with evidence, and showing a full ID number (both audited)."""

from django.db import transaction

from evaluation.models import Achievement
from portal import access, audit


def _role_of(actor, graduate):
    return "site_admin" if access.is_site_admin(actor) and graduate.institution_id not in \
        access.institution_ids(actor) else "university_staff"


def reveal_id_number(*, graduate, actor, purpose=""):
    """The full 公民身份号码, for someone who may see it; every showing is logged (DOMAIN §8)."""
    access.require(actor, "evaluation.edit_graduate", graduate)
    audit.record(actor=actor, action="evaluation.reveal_id_number", obj=graduate, role=_role_of(actor, graduate),
                 changes={"purpose": purpose[:200]} if purpose else None)
    return graduate.id_number


@transaction.atomic
def add_achievement(*, graduate, actor, **fields):
    access.require(actor, "evaluation.edit_graduate", graduate)
    achievement = Achievement(graduate=graduate, **fields)
    achievement.full_clean()
    achievement.save()
    audit.record(actor=actor, action="evaluation.add_achievement", obj=graduate, role=_role_of(actor, graduate),
                 changes={"achievement": achievement.pk, "kind": achievement.kind, "title": achievement.title})
    return achievement


@transaction.atomic
def delete_achievement(*, achievement, actor):
    graduate = achievement.graduate
    access.require(actor, "evaluation.edit_graduate", graduate)
    audit.record(actor=actor, action="evaluation.delete_achievement", obj=graduate, role=_role_of(actor, graduate),
                 changes={"achievement": achievement.pk, "kind": achievement.kind, "title": achievement.title})
    evidence = achievement.evidence
    achievement.delete()
    if evidence:
        transaction.on_commit(lambda: evidence.storage.delete(evidence.name))
