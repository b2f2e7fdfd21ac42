"""Profiles for the rule-engine tests: a bachelor employed in Anhui with every general condition stated and met."""

from __future__ import annotations

from dataclasses import replace

from evaluation.rules import Employment, General, Profile, SkillCertificate

EMPLOYED = Employment(in_province=True, tripartite_agreement=True, on_duty=True)
MET = General(conduct_ok=True, assessment="good", physically_fit=True, continuing_education_done=True)


def general(**changes) -> General:
    return replace(MET, **changes)


def grad(**changes) -> Profile:
    """A bachelor with diploma and degree, employed in Anhui, general conditions stated and met, nothing else
    unless given."""
    fields = dict(id="t", degree="bachelor", has_diploma=True, has_degree=True, practice_months=0.0,
                  employment=EMPLOYED, general=MET)
    fields.update(changes)
    return Profile(**fields)


# Exactly meets 3: 1 month, 1 of 4 (五级 certificate).
BASE_3 = dict(practice_months=1, skill_certificates=[SkillCertificate(5)])
