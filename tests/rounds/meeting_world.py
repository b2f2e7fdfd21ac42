"""Committees of a chosen size for the meeting tests: the world's approved committee of five (tests/track_a
factories) grown to ``n`` members with more experts from the pool, all serving 2025–2027."""

from datetime import date

from applications.track_a.models import CommitteeMember
from evaluation.rounds import services
from portal.models import ExpertProfile, Role
from tests.conftest import make_user
from tests.rounds import factories as f


def committee_of(w, n):
    committee = f.school(w)
    have = CommitteeMember.objects.filter(committee=committee).count()
    for i in range(have, n):
        user = make_user(f"member{i}", Role.EXPERT, organisation=f"安徽省某研究院{i}")
        user.full_name = f"委员{i:02d}"
        user.save()
        expert = ExpertProfile.objects.create(user=user, title="高级工程师", title_level="deputy_senior",
                                              specialty="机械工程")
        CommitteeMember.objects.create(committee=committee, expert=expert, term_start=date(2025, 1, 1),
                                       term_end=date(2027, 12, 31))
    return committee


def awaiting(w, *, members, candidates=2, employers=None):
    """A round at 待评委会评审 with ``candidates`` candidates, its committee grown to ``members``."""
    committee_of(w, members)
    rnd = f.open_round(w)
    for i in range(candidates):
        extra = {"employer": employers[i]} if employers and employers[i] else {}
        g = f.graduate(w, f"M{i:04d}", **extra)
        app = f.application(w, rnd, g)
        services.review_application(application=app, actor=w.staff, decision="pass", today=f.OPENED)
    rnd = services.publish_candidates(round=rnd, actor=w.staff, starts_on=f.CANDIDATES_FROM, today=f.OPENED)
    return services.close_candidates_notice(round=rnd, actor=w.staff, today=f.SESSION)
