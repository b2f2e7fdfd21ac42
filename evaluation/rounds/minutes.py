"""What the minutes of a session say (评审会议纪要): the committee, attendance and quorum, and for each
candidate the level, any recusals, the counts and the result — never who voted how."""

from evaluation.rounds import rules
from evaluation.rounds.models import Ballot


def minutes_context(session):
    rnd = session.round
    members = list(session.members.all())
    ballots = list(Ballot.objects.filter(session=session)
                   .select_related("application__graduate").prefetch_related("recusals__member")
                   .order_by("application__major", "application__level", "application__graduate__student_number"))
    rows = []
    for b in ballots:
        a = b.application
        rows.append({"ballot": b, "application": a, "name": a.graduate.name, "recusals": list(b.recusals.all()),
                     "needed": rules.min_yes(b.voters), "passed": b.passed})
    return {
        "session": session, "round": rnd, "committee": rnd.committee,
        "present": [m for m in members if m.present], "absent": [m for m in members if not m.present],
        "min_present": rules.min_present(session.members_total), "rows": rows,
        "passed": sum(r["passed"] for r in rows), "total": len(rows),
    }
