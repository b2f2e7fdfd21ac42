"""What the minutes of a meeting say (评审会议纪要): the committee, this meeting's size, attendance and quorum from
the check-ins, the draw, and for each candidate the counts and the result — generated from the recorded counts,
never typed, and never who voted how, nor the names of the members sitting (专家名单一般不对外公布; the minutes
give counts). The chair's signature is the chair's own act in the portal."""

from evaluation.rounds import rules
from evaluation.rounds.models import MeetingMember, Outcome, Tally


def minutes_context(meeting):
    rnd = meeting.round
    tallies = list(Tally.objects.filter(meeting=meeting).select_related("application__graduate")
                   .order_by("application__major", "application__level", "application__graduate__student_number"))
    seats = list(MeetingMember.objects.filter(meeting=meeting))
    present = sum(1 for s in seats if s.present)
    chair = next((s for s in seats if s.is_chair), None)
    return {
        "meeting": meeting, "round": rnd, "committee": rnd.committee, "rows": tallies, "present": present,
        "absent": len(seats) - present, "min_present": rules.min_present(meeting.size), "chair": chair,
        "drawn": len(meeting.draw_result), "pool": len(meeting.draw_pool) + 1,
        "passed": sum(t.outcome == Outcome.PASSED for t in tallies),
        "failed": sum(t.outcome == Outcome.FAILED for t in tallies),
        "deferred": sum(t.outcome == Outcome.DEFERRED for t in tallies), "total": len(tallies),
    }
