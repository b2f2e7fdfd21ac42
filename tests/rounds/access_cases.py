"""Every evaluation-round URL × every role (tests/portal/test_access_matrix.py runs them).

Who sees what: the school's staff see and run their own rounds; the offices supervising the school (its city's
HRSS and education bureau, the provincial offices) and site admins see them and act on nothing; a committee
member called to a meeting (here the world's ``expert``) sees that meeting and its candidates, and nobody else
does — not even the school (it runs the secretary's page, ``rounds:session``); a graduate
(the world's ``student``, linked to a record) sees only their own application; anyone else gets a 404. The public
notices, objections and receipts are open to everyone, signed in or not. Those who see a round but may not take
a step get 403.
"""

from datetime import date

from applications.track_a.models import CommitteeMember
from evaluation.rounds import services
from evaluation.rounds.models import (
    ApplicationEvidence,
    Decision,
    EvaluationRound,
    MeetingMember,
    NoticeEntry,
    PublicNotice,
    RoundState,
    TitleApplication,
)
from portal.models import ExpertProfile
from tests.matrix import Case, everyone
from tests.rounds import factories as f
from tests.track_a import factories as ta

VIEWERS = {"university_staff": 200, "city_hrss": 200, "city_education": 200, "provincial_hrss": 200,
           "provincial_education": 200, "site_admin": 200}
SEEN_NOT_ACTING = {"city_hrss": 403, "city_education": 403, "provincial_hrss": 403, "provincial_education": 403,
                   "site_admin": 403}


#: 单位内部公示: members of the school (its staff, its student) and the offices concerned; others 404, anonymous sign in.
UNIT = {**VIEWERS, "student": 200}


def acting(**allowed):
    return {**SEEN_NOT_ACTING, **allowed}


def rnd(state):
    return lambda w: {"pk": f.round_in(w, state, n=2).pk}


def _index(w):
    f.round_in(w, RoundState.OPEN, n=1)
    f.other_city_round(w)
    return {}


def _other_city_hidden(w, role):
    if role in ("provincial_hrss", "provincial_education", "site_admin"):
        return []
    return ["安徽工程大学2025届毕业生产业工程师职称评审"]


def _session_round(w):
    """A round at 待评委会评审 with a meeting convened; the world's ``expert`` sits on it (added to the committee
    with one more expert from the pool, so that all seven sit and no draw decides who)."""
    if getattr(w, "matrix_meeting", None) is not None:
        return w.matrix_meeting.round
    r = f.round_in(w, RoundState.AWAITING_SESSION, n=2)
    expert = ExpertProfile.objects.create(user=w.expert, title="高级工程师", title_level="deputy_senior")
    for e in (expert, ta.expert_pool(w)[5]):
        CommitteeMember.objects.create(committee=r.committee, expert=e, term_start=date(2025, 1, 1),
                                       term_end=date(2027, 12, 31))
    w.matrix_meeting = f.convene(w, EvaluationRound.objects.get(pk=r.pk))
    return r


def _meeting(w):
    _session_round(w)
    return {"pk": w.matrix_meeting.pk}


def _candidate(w):
    r = _session_round(w)
    return {"pk": w.matrix_meeting.pk, "application_pk": f.eligible(r)[0].pk}


def _candidate_evidence(w):
    kwargs = _candidate(w)
    kwargs["evidence_pk"] = ApplicationEvidence.objects.filter(application_id=kwargs["application_pk"]).first().pk
    return kwargs


def _checked_in(w):
    kwargs = _meeting(w)
    f.check_in(w.matrix_meeting)  # everyone, so that the quorum is met and the vote counts
    return kwargs


def _minutes(w):
    return {"pk": f.meeting_of(f.round_in(w, RoundState.VOTED, n=2)).pk}


def _member_names(w, role):
    """The names of the members sitting: never shown to anyone outside the school and its offices (the one
    asking is left out — their own name is in the page's header)."""
    own = w.by_role[role].display_name if role != "anonymous" else None
    return [] if role in VIEWERS else [n for n in MeetingMember.objects.values_list("name", flat=True) if n != own]


def _decision(w):
    r = f.round_in(w, RoundState.FINALISED, n=2)
    return {"pk": Decision.objects.filter(round=r).first().pk}


def _rereview(w):
    """A 复查 request on a decision of the finalised round (waiting for the committee)."""
    r = f.round_in(w, RoundState.FINALISED, n=2)
    decision = Decision.objects.filter(round=r).first()
    request = decision.rereview_requests.first() or services.request_rereview(
        decision=decision, actor=w.staff, grounds="error", reason="材料有误。")
    return {"pk": request.pk}


def _submitted_filing(w):
    """A round's results filed; the school made 市属 so that its committee's office is the 马鞍山 HRSS (附件2 二(三))."""
    from evaluation.rounds.models import ResultsFiling
    from evaluation.rounds.services import submit_results
    from portal.models import Institution

    r = f.round_in(w, RoundState.FINALISED, n=2)  # its committee approved by the office of the time (省属)
    Institution.objects.filter(pk=w.inst.pk).update(affiliation="municipal")
    if not ResultsFiling.objects.filter(round=r).exists():
        submit_results(round=r, actor=w.staff)
    return {"pk": r.pk}


def _student_record(w):
    """``w.student`` linked to a graduate record (the 工作地 pages are the graduate's own)."""
    from evaluation.models import Graduate

    if not Graduate.objects.filter(user=w.student).exists():
        f.graduate(w, "S0001", user=w.student, name="王学生")
    return {}


def _own(app_state="draft"):
    return lambda w: {"pk": f.student_application(w, app_state=app_state).pk}


def _someone_elses(w):
    r = f.round_in(w, RoundState.OPEN, n=2)
    return {"pk": TitleApplication.objects.filter(round=r).first().pk}


def _someone_elses_name(w, role):
    return [] if role in VIEWERS else [TitleApplication.objects.filter(graduate__student_number="R0000").first()
                                      .graduate.name]


def _evidence(w):
    app = f.student_application(w)
    return {"pk": app.pk, "evidence_pk": ApplicationEvidence.objects.filter(application=app).first().pk}


def _notice(state):
    def kwargs(w):
        r = f.round_in(w, state, n=2)
        return {"pk": PublicNotice.objects.filter(round=r).order_by("-id").first().pk}
    return kwargs


def _full_names(w, role):
    return [e.application.graduate.name for e in NoticeEntry.objects.select_related("application__graduate")]


CASES = [
    Case("rounds:index", everyone(200), kwargs=_index, hidden=_other_city_hidden),
    Case("rounds:my", everyone(200), kwargs=lambda w: (f.student_application(w), {})[1]),
    Case("rounds:open", {"university_staff": 200}, kwargs=lambda w: (f.school(w), {})[1]),
    Case("rounds:detail", VIEWERS, default=404, kwargs=rnd(RoundState.OPEN)),
    Case("rounds:detail", {"provincial_hrss": 200, "provincial_education": 200, "site_admin": 200}, default=404,
         kwargs=lambda w: {"pk": f.other_city_round(w).pk}, hidden=_other_city_hidden, id="detail (another city)"),
    Case("rounds:apply", {"student": 200, "expert": 404}, kwargs=lambda w: (f.graduate(w, "S0001", user=w.student),
                                                            {"pk": f.round_in(w, RoundState.OPEN, n=1).pk})[1]),
    Case("rounds:enrol", acting(university_staff=200), default=404, kwargs=rnd(RoundState.OPEN)),
    Case("rounds:publish_candidates", acting(university_staff=302), default=404, method="post",
         kwargs=rnd(RoundState.OPEN), data=lambda w: {"starts_on": "2025-09-22", "expected_state": "open"}),
    Case("rounds:close_notice", acting(university_staff=302), default=404, method="post",
         kwargs=rnd(RoundState.CANDIDATES_NOTICE), data=lambda w: {"expected_state": "candidates_notice"}),
    Case("rounds:session", VIEWERS, default=404, kwargs=lambda w: {"pk": _session_round(w).pk}),
    Case("rounds:close_session", acting(university_staff=302), default=404, method="post",
         kwargs=rnd(RoundState.AWAITING_SESSION), data=lambda w: {"expected_state": "awaiting_session"}),
    Case("rounds:minutes", VIEWERS, default=404, kwargs=_minutes),
    # The members' pages: only a member called to the meeting (the world's expert sits on it); 404 for all else.
    Case("rounds:meetings", everyone(200), kwargs=lambda w: (_meeting(w), {})[1], hidden=_member_names),
    Case("rounds:meeting", {"expert": 200}, default=404, kwargs=_meeting, hidden=_member_names),
    Case("rounds:meeting_candidate", {"expert": 200}, default=404, kwargs=_candidate),
    Case("rounds:meeting_evidence", {"expert": 200}, default=404, kwargs=_candidate_evidence),
    Case("rounds:check_in", {"expert": 302}, default=404, method="post", kwargs=_meeting),
    Case("rounds:vote", {"expert": 302}, default=404, method="post", kwargs=lambda w: (_checked_in(w), _candidate(w))[1],
         data=lambda w: {f"a{_candidate(w)['application_pk']}-choice": "yes"}),
    Case("rounds:conflict", {"expert": 302}, default=404, method="post", kwargs=_candidate,
         data=lambda w: {f"c{_candidate(w)['application_pk']}-kind": "relative"}),
    Case("rounds:withdraw_conflict", {"expert": 302}, default=404, method="post", kwargs=_candidate),
    Case("rounds:close_vote", {"expert": 403}, default=404, method="post", kwargs=_meeting,
         data=lambda w: {"expected_state": "convened"}),
    Case("rounds:sign_minutes", {"expert": 403}, default=404, method="post", kwargs=_meeting,
         data=lambda w: {"expected_state": "closed"}),
    Case("rounds:publish_results", acting(university_staff=302), default=404, method="post",
         kwargs=rnd(RoundState.VOTED), data=lambda w: {"starts_on": "2025-09-29", "expected_state": "voted"}),
    Case("rounds:finalise", acting(university_staff=302), default=404, method="post",
         kwargs=rnd(RoundState.RESULTS_NOTICE),
         data=lambda w: {"document_number": "安工大职评〔2025〕1号", "expected_state": "results_notice"}),
    Case("rounds:objections", VIEWERS, default=404,
         kwargs=lambda w: {"pk": f.objection(w).notice.round_id}),
    Case("rounds:answer_objection", acting(university_staff=302), default=404, method="post",
         kwargs=lambda w: {"pk": f.objection(w).pk},
         data=lambda w: {"outcome": "dismissed", "answer": "经核查，获奖证书属实，异议不成立。"}),
    Case("rounds:report", VIEWERS, default=404, kwargs=rnd(RoundState.FINALISED)),
    Case("rounds:report_xlsx", VIEWERS, default=404, kwargs=rnd(RoundState.FINALISED)),
    Case("rounds:decisions", VIEWERS, default=404, kwargs=rnd(RoundState.FINALISED)),
    Case("rounds:results_filing", VIEWERS, default=404, kwargs=rnd(RoundState.FINALISED)),
    Case("rounds:results_filing", acting(university_staff=302), default=404, method="post",
         kwargs=rnd(RoundState.FINALISED), data=lambda w: {"action": "submit"}, id="results filing: submit"),
    Case("rounds:results_filing", {**SEEN_NOT_ACTING, "city_hrss": 302, "university_staff": 403}, default=404,
         method="post", kwargs=_submitted_filing, data=lambda w: {"action": "record"},
         id="results filing: recorded by the committee's filing office"),
    Case("rounds:workplace", {"student": 200}, default=404, kwargs=_student_record),
    Case("rounds:workplace_export", {"student": 200}, default=404, kwargs=_student_record),
    Case("rounds:request_rereview", acting(university_staff=200), default=404, kwargs=_decision),
    Case("rounds:publish_rereview_result", acting(university_staff=302), default=404, method="post",
         kwargs=_rereview, data=lambda w: {"expected_state": "voted"}),
    Case("rounds:conclude_rereview", acting(university_staff=302), default=404, method="post", kwargs=_rereview,
         data=lambda w: {"approval_number": "安工大职评〔2025〕9号", "expected_state": "notice"}),
    Case("rounds:application", {**VIEWERS, "student": 200}, default=404, kwargs=_own(),
         id="application (the student's own)"),
    Case("rounds:application", VIEWERS, default=404, kwargs=_someone_elses, hidden=_someone_elses_name,
         id="application (someone else's)"),
    Case("rounds:application_edit", acting(university_staff=200, student=200), default=404, kwargs=_own()),
    Case("rounds:submit", acting(university_staff=302, student=302), default=404, method="post", kwargs=_own(),
         data=lambda w: {"expected_state": "draft"}),
    Case("rounds:withdraw", acting(university_staff=302, student=302), default=404, method="post",
         kwargs=_own("submitted"), data=lambda w: {"expected_state": "submitted"}),
    Case("rounds:review", acting(university_staff=302, student=403), default=404, method="post",
         kwargs=_own("submitted"), data=lambda w: {"decision": "return", "reasons": "请补充到岗证明",
                                                   "expected_state": "submitted"}),
    Case("rounds:evidence_add", acting(university_staff=302, student=302), default=404, method="post",
         kwargs=_own(), data=lambda w: {"kind": "other"}),
    Case("rounds:evidence", {**VIEWERS, "student": 200}, default=404, kwargs=_evidence),
    Case("rounds:evidence_delete", acting(university_staff=302, student=302), default=404, method="post",
         kwargs=_evidence),
    Case("rounds:public_index", everyone(200), anonymous=200, kwargs=lambda w: (f.running_notice(w), {})[1]),
    Case("rounds:public_notice", UNIT, default=404, kwargs=_notice(RoundState.CANDIDATES_NOTICE),
         hidden=_full_names, id="public_notice (candidates): within the unit"),
    Case("rounds:public_notice", UNIT, default=404, kwargs=_notice(RoundState.RESULTS_NOTICE),
         hidden=_full_names, id="public_notice (results): within the school by default"),
    Case("rounds:objection", {role: 302 for role in UNIT}, default=404, method="post",
         kwargs=lambda w: {"pk": f.running_notice(w).pk},
         data=lambda w: {"content": "该同学的实习时间与实际不符，请核实。", "entry": ""}),
    Case("rounds:public_notice", UNIT, default=404, kwargs=lambda w: {"pk": f.rereview_notice(w).pk},
         hidden=_full_names, id="public_notice (rereview result, 复查结果公示): within the school, as the results notice"),
    Case("rounds:objection", {role: 302 for role in UNIT}, default=404, method="post",
         kwargs=lambda w: {"pk": f.rereview_notice(w, running=True).pk},
         data=lambda w: {"content": "复查会议的表决程序有误，请核查。", "entry": ""},
         id="objection (rereview result, 复查结果公示): within the school"),
    Case("rounds:objection_receipt", everyone(200), anonymous=200, kwargs=lambda w: {"receipt": f.objection(w).receipt}),
]

# Issuing the title certificates of a finalised round: the school's staff and site admins (谁评价、谁发证).
# Who cannot see the round at all gets 404, not 403 (issue 14 #10); supervisors who see it get 403.
CASES.append(Case("certificates:issue_round_titles", acting(university_staff=302, site_admin=302), default=404,
                  method="post", kwargs=lambda w: {"round_pk": f.round_in(w, RoundState.FINALISED, n=2).pk}))
