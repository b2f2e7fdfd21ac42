"""Every evaluation-round URL × every role (tests/portal/test_access_matrix.py runs them).

Who sees what: the school's staff see and run their own rounds; the offices supervising the school (its city's
HRSS and education bureau, the provincial offices) and site admins see them and act on nothing; a graduate
(the world's ``student``, linked to a record) sees only their own application; anyone else gets a 404. The public
notices, objections and receipts are open to everyone, signed in or not. Those who see a round but may not take
a step get 403.
"""

from evaluation.rounds.models import (
    ApplicationEvidence,
    Decision,
    NoticeEntry,
    PublicNotice,
    RoundState,
    TitleApplication,
)
from tests.matrix import Case, everyone
from tests.rounds import factories as f

VIEWERS = {"university_staff": 200, "city_hrss": 200, "city_education": 200, "provincial_hrss": 200,
           "provincial_education": 200, "site_admin": 200}
SEEN_NOT_ACTING = {"city_hrss": 403, "city_education": 403, "provincial_hrss": 403, "provincial_education": 403,
                   "site_admin": 403}


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
    r = f.round_in(w, RoundState.AWAITING_SESSION, n=2)
    f.services.start_session(round=r, actor=w.staff, held_on=f.SESSION, place="会议室", present=f.present_ids(r),
                             today=f.SESSION)
    return r


def _ballot(w):
    r = _session_round(w)
    return {"pk": r.pk, "application_pk": f.eligible(r)[0].pk}


def _decision(w):
    r = f.round_in(w, RoundState.FINALISED, n=2)
    return {"pk": Decision.objects.filter(round=r).first().pk}


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
    Case("rounds:apply", {"student": 200}, kwargs=lambda w: (f.graduate(w, "S0001", user=w.student),
                                                            {"pk": f.round_in(w, RoundState.OPEN, n=1).pk})[1]),
    Case("rounds:enrol", acting(university_staff=200), default=404, kwargs=rnd(RoundState.OPEN)),
    Case("rounds:publish_candidates", acting(university_staff=302), default=404, method="post",
         kwargs=rnd(RoundState.OPEN), data=lambda w: {"starts_on": "2025-09-22", "expected_state": "open"}),
    Case("rounds:close_notice", acting(university_staff=302), default=404, method="post",
         kwargs=rnd(RoundState.CANDIDATES_NOTICE), data=lambda w: {"expected_state": "candidates_notice"}),
    Case("rounds:session", VIEWERS, default=404, kwargs=lambda w: {"pk": _session_round(w).pk}),
    Case("rounds:ballot", acting(university_staff=302), default=404, method="post", kwargs=_ballot,
         data=lambda w: {}),
    Case("rounds:close_session", acting(university_staff=302), default=404, method="post",
         kwargs=rnd(RoundState.AWAITING_SESSION), data=lambda w: {"expected_state": "awaiting_session"}),
    Case("rounds:minutes", VIEWERS, default=404, kwargs=rnd(RoundState.VOTED)),
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
    Case("rounds:correct_decision", acting(university_staff=200), default=404, kwargs=_decision),
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
    Case("rounds:public_notice", everyone(200), anonymous=200, kwargs=_notice(RoundState.CANDIDATES_NOTICE),
         hidden=_full_names, id="public_notice (candidates)"),
    Case("rounds:public_notice", everyone(200), anonymous=200, kwargs=_notice(RoundState.RESULTS_NOTICE),
         hidden=_full_names, id="public_notice (results)"),
    Case("rounds:objection", everyone(302), anonymous=302, method="post",
         kwargs=lambda w: {"pk": f.running_notice(w).pk},
         data=lambda w: {"content": "该同学的实习时间与实际不符，请核实。", "entry": ""}),
    Case("rounds:objection_receipt", everyone(200), anonymous=200, kwargs=lambda w: {"receipt": f.objection(w).receipt}),
]

# Issuing the title certificates of a finalised round: the school's staff and site admins (谁评价、谁发证).
CASES.append(Case("certificates:issue_round_titles", {"university_staff": 302, "site_admin": 302}, method="post",
                  kwargs=lambda w: {"round_pk": f.round_in(w, RoundState.FINALISED, n=2).pk}))
