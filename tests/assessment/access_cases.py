"""Access matrix cases for every URL of 评价实施 (``/assessment/``).

The institution's staff (``staff`` of ``inst``) plan and run; the filing office of ``inst`` is 马鞍山's HRSS
(``city_hrss``); the provincial HRSS reads every office's reports; ``expert`` examines ``w.session`` and supervises
``w.done``; the student sees only their own page. Whoever may not see an object gets 404, never its data.
"""

from tests.assessment.world import SECRET_ID, assessment_world
from tests.matrix import Case

STAFF = {"university_staff": 302}
OFFICE = {"city_hrss": 302}
SEES_SESSION = {"university_staff": 200, "city_hrss": 200, "provincial_hrss": 200, "site_admin": 200}


def aw(w):
    return assessment_world(w)


def _no_full_id(w, role):
    aw(w)
    return [SECRET_ID]


def session(w):
    return {"pk": aw(w).session.pk}


def done(w):
    return {"pk": aw(w).done.pk}


def draft(w):
    return {"pk": aw(w).draft_session.pk}


CASES = [
    Case("assessment:index", {"university_staff": 200, "city_hrss": 200, "provincial_hrss": 200, "expert": 200,
                              "site_admin": 200}, kwargs=lambda w: aw(w) and {}),
    Case("assessment:plan_new", STAFF, default=404, method="post", data=lambda w: {"year": "2026"}),
    Case("assessment:plan", SEES_SESSION, default=404, kwargs=lambda w: {"pk": aw(w).plan.pk}),
    Case("assessment:plan", {"university_staff": 200, "site_admin": 200}, default=404,
         kwargs=lambda w: {"pk": aw(w).draft_plan.pk}, id="plan (draft: the school's own business)"),
    Case("assessment:plan_report", STAFF, default=404, method="post", kwargs=lambda w: {"pk": aw(w).draft_plan.pk}),
    Case("assessment:plan_answer", OFFICE, default=404, method="post", kwargs=lambda w: {"pk": aw(w).plan.pk}),
    Case("assessment:session_new", {"university_staff": 200}, default=404),
    Case("assessment:session", {**SEES_SESSION, "expert": 200}, default=404, kwargs=session,
         hidden=_no_full_id),
    Case("assessment:session", {"university_staff": 200, "site_admin": 200}, default=404, kwargs=draft,
         id="session (draft)"),
    Case("assessment:session_edit", {"university_staff": 200}, default=404, kwargs=draft),
    Case("assessment:session_report", STAFF, default=404, method="post", kwargs=draft),
    Case("assessment:session_cancel", STAFF, default=404, method="post", kwargs=draft),
    Case("assessment:session_object", OFFICE, default=404, method="post", kwargs=session),
    Case("assessment:session_answer", STAFF, default=404, method="post", kwargs=session),
    Case("assessment:session_lift", OFFICE, default=404, method="post", kwargs=session),
    Case("assessment:session_supervisor", OFFICE, default=404, method="post", kwargs=session),
    Case("assessment:session_supervision", {"expert": 302}, default=404, method="post", kwargs=done),
    Case("assessment:register", STAFF, default=404, method="post", kwargs=session),
    Case("assessment:withdraw", STAFF, default=404, method="post",
         kwargs=lambda w: {"pk": aw(w).session.pk, "candidate_pk": w.candidate.pk}),
    Case("assessment:attendance", STAFF, default=404, method="post", kwargs=session),
    Case("assessment:scores", {"expert": 200}, default=404, kwargs=session, hidden=_no_full_id),
    Case("assessment:score_import", {"expert": 200}, default=404, method="post", kwargs=session),
    Case("assessment:conflict", {"expert": 302}, default=404, method="post", kwargs=session,
         data=lambda w: {"graduate": aw(w).candidate.graduate_id, "kind": "relative"}),
    Case("assessment:session_publish", STAFF, default=404, method="post", kwargs=session),
    Case("assessment:session_report_results", STAFF, default=404, method="post", kwargs=done),
    Case("assessment:session_suspend", OFFICE, default=404, method="post", kwargs=done),
    Case("assessment:session_lift_suspension", OFFICE, default=404, method="post", kwargs=done),
    Case("assessment:session_issue", STAFF, default=404, method="post", kwargs=done),
    Case("assessment:results_export", {"university_staff": 200, "city_hrss": 200}, default=404,
         kwargs=lambda w: {"pk": aw(w).done.pk, "fmt": "json"}),
    Case("assessment:opt_in", {}, default=404, method="post", kwargs=session),
    Case("assessment:mapping", {"university_staff": 200}, default=404, kwargs=lambda w: aw(w) and {}),
    Case("assessment:declarations", {"university_staff": 200}, default=404),
    Case("assessment:mine", {"student": 200}, default=404),
    Case("assessment:declare", {"student": 302}, default=404, method="post"),
    Case("assessment:oversight", {"city_hrss": 200, "provincial_hrss": 200, "site_admin": 200}, default=404,
         kwargs=lambda w: aw(w) and {}),
    Case("assessment:oversight_xlsx", {"city_hrss": 200, "provincial_hrss": 200, "site_admin": 200}, default=404),
    Case("assessment:deadline", {"city_hrss": 302, "provincial_hrss": 302}, default=404, method="post"),
]
