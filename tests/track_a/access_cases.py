"""Every Track A URL × every role. Objects are built on demand on the shared ``world`` (tests/track_a/factories.py).

Who sees what: the school's staff see their own applications from the draft on; the city offices of the school's
city and the provincial offices see them once submitted; site admins see all (and act on none). Anyone else gets 404.
Those who see an application but may not take a step get 403.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from applications.track_a.models import CooperationDocument, EvaluationCommittee, PilotApplication, State
from portal.models import ExpertProfile
from tests.matrix import Case, everyone
from tests.track_a import factories as f

VIEWERS = {"university_staff": 200, "city_hrss": 200, "city_education": 200, "provincial_hrss": 200,
           "provincial_education": 200, "site_admin": 200}
SEEN_NOT_ACTING = {"university_staff": 403, "city_hrss": 403, "city_education": 403, "provincial_hrss": 403,
                   "provincial_education": 403, "site_admin": 403}
TEST_FILE = "track_a/test/access-matrix.pdf"


def _stored_file():
    if not default_storage.exists(TEST_FILE):
        default_storage.save(TEST_FILE, ContentFile(f.PDF_BYTES))
    return TEST_FILE


def app(state):
    return lambda w: {"pk": f.application_in(w, state).pk}


def acting(**allowed):
    expect = dict(SEEN_NOT_ACTING)
    expect.update(allowed)
    return expect


def _index(w):
    f.other_city_application(w)
    return {}


def _with_files(w):
    a = f.application_in(w, State.SUBMITTED)
    PilotApplication.objects.filter(pk=a.pk).update(plan_file=_stored_file())
    return {"pk": a.pk, "kind": "plan", "item": 0}


def _document(w):
    a = f.application_in(w, State.SUBMITTED)
    doc = CooperationDocument.objects.filter(application=a).first()
    CooperationDocument.objects.filter(pk=doc.pk).update(file=_stored_file())
    return {"pk": a.pk, "kind": "document", "item": doc.pk}


def _committee(state):
    return lambda w: {"pk": f.committee(w, state).pk}


def _committee_rules(w):
    c = f.committee(w, "filed")
    EvaluationCommittee.objects.filter(pk=c.pk).update(rules_file=_stored_file())
    return {"pk": c.pk}


def _group(w):
    """An application at the province with a confirmed expert group led by the matrix's ``expert``."""
    a = f.application_in(w, State.AT_PROVINCE)
    me, _created = ExpertProfile.objects.get_or_create(user=w.expert, defaults={"title": "教授",
                                                                                "title_level": "senior"})
    pool = f.expert_pool(w)
    f.expert_group(w, a, [me, pool[0], pool[1]])
    return {"pk": a.pk}


def _group_report(w):
    return {**_group(w), "kind": "review"}


# The group's page: both provincial offices see everything the experts see; the experts of the group see it.
GROUP_VIEWERS = {"provincial_education": 200, "provincial_hrss": 200, "site_admin": 200, "expert": 200}
# A member's own pages: the provincial offices and admins see the group but do not act for an expert.
MEMBER_ONLY = {"provincial_education": 403, "provincial_hrss": 403, "site_admin": 403}


def _city_hidden(w, role):
    if role in ("provincial_hrss", "provincial_education", "site_admin"):
        return []
    return [w.wuhu_inst.name]


CASES = [
    Case("track_a:index", everyone(200), kwargs=_index, hidden=_city_hidden),
    Case("track_a:start", {"university_staff": 302}, method="post",
         data=lambda w: {"institution": w.inst.pk}),
    Case("track_a:detail", {"university_staff": 200, "site_admin": 200}, default=404, kwargs=app(State.DRAFT),
         id="detail (draft: the school only)"),
    Case("track_a:detail", VIEWERS, default=404, kwargs=app(State.SUBMITTED), id="detail (submitted)"),
    Case("track_a:detail", {"provincial_hrss": 200, "provincial_education": 200, "site_admin": 200}, default=404,
         kwargs=lambda w: {"pk": f.other_city_application(w).pk}, id="detail (another city)",
         hidden=_city_hidden),
    Case("track_a:edit_section", {"university_staff": 200, "site_admin": 403}, default=404,
         kwargs=lambda w: {"pk": f.application_in(w, State.DRAFT).pk, "section": "people"}),
    Case("track_a:edit_section", {"university_staff": 403, **{r: 403 for r in VIEWERS}}, default=404,
         kwargs=lambda w: {"pk": f.application_in(w, State.SUBMITTED).pk, "section": "basic"},
         id="edit_section (submitted: nobody)"),
    Case("track_a:submit", {"university_staff": 302, "site_admin": 403}, default=404, method="post",
         kwargs=app(State.DRAFT), data=lambda w: {"expected_state": "draft"}),
    Case("track_a:city_review", acting(city_hrss=200), default=404,
         kwargs=lambda w: {"pk": f.application_in(w, State.SUBMITTED).pk, "office": "city_hrss"}),
    Case("track_a:city_review", acting(city_education=302), default=404, method="post",
         kwargs=lambda w: {"pk": f.application_in(w, State.SUBMITTED).pk, "office": "city_education"},
         data=lambda w: {"expected_state": "submitted", "decision": "approve"}, id="POST city_review (education)"),
    Case("track_a:agreement", acting(city_hrss=200, city_education=200), default=404,
         kwargs=app(State.CITY_APPROVED)),
    Case("track_a:forward", acting(city_hrss=200, city_education=200), default=404,
         kwargs=app(State.AGREEMENT_SIGNED)),
    Case("track_a:document_review", acting(provincial_education=200), default=404, kwargs=app(State.AT_PROVINCE)),
    Case("track_a:site_evaluation", acting(provincial_education=200), default=404,
         kwargs=app(State.DOCUMENT_REVIEWED)),
    Case("track_a:expert_group", GROUP_VIEWERS, default=404, kwargs=_group),
    Case("track_a:group_propose", acting(provincial_education=200), default=404, kwargs=app(State.AT_PROVINCE)),
    Case("track_a:group_confirm", {**MEMBER_ONLY, "expert": 403, "provincial_hrss": 200}, default=404,
         kwargs=_group),
    Case("track_a:expert_opinion", {**MEMBER_ONLY, "expert": 200}, default=404, kwargs=_group),
    Case("track_a:group_conflict", {**MEMBER_ONLY, "expert": 200}, default=404, kwargs=_group),
    Case("track_a:group_report", {**MEMBER_ONLY, "expert": 200}, default=404, kwargs=_group_report),
    Case("track_a:group_sign", {**MEMBER_ONLY, "expert": 302}, default=404, method="post", kwargs=_group_report,
         data=lambda w: {"expected_version": 0}),
    Case("track_a:recognition", acting(provincial_hrss=200), default=404,
         kwargs=lambda w: {"pk": f.application_in(w, State.SITE_EVALUATED).pk, "office": "provincial_hrss"}),
    Case("track_a:recognition", acting(provincial_education=302), default=404, method="post",
         kwargs=lambda w: {"pk": f.application_in(w, State.SITE_EVALUATED).pk, "office": "provincial_education"},
         data=lambda w: {"expected_state": "site_evaluated", "decision": "recognise"},
         id="POST recognition (education)"),
    Case("track_a:grant", acting(city_hrss=200), default=404, kwargs=app(State.RECOGNISED)),
    Case("track_a:file", VIEWERS, default=404, kwargs=_with_files, id="file (construction plan)"),
    Case("track_a:file", VIEWERS, default=404, kwargs=_document, id="file (cooperation agreement)"),
    Case("track_a:application_pdf", VIEWERS, default=404, kwargs=app(State.SUBMITTED)),
    Case("track_a:authority_pdf", VIEWERS, default=404, kwargs=app(State.AUTHORISED)),
    Case("track_a:committee_start", {"university_staff": 200}, kwargs=lambda w: (f.authorised(w), {})[1]),
    Case("track_a:committee_detail", VIEWERS, default=404, kwargs=_committee("filed")),
    Case("track_a:committee_detail", {"university_staff": 200, "site_admin": 200}, default=404,
         kwargs=_committee("draft"), id="committee_detail (being formed: the school only)"),
    Case("track_a:committee_edit", {"university_staff": 200, "site_admin": 403}, default=404,
         kwargs=_committee("draft")),
    Case("track_a:committee_members", {"university_staff": 200, "site_admin": 403}, default=404,
         kwargs=_committee("draft")),
    Case("track_a:committee_file", {"university_staff": 302, "site_admin": 403}, default=404, method="post",
         kwargs=_committee("draft"), data=lambda w: {"expected_state": "draft"}),
    Case("track_a:committee_review", acting(provincial_hrss=200), default=404, kwargs=_committee("filed")),
    Case("track_a:committee_rules_file", VIEWERS, default=404, kwargs=_committee_rules),
    # Adjusting and revoking an approved committee: the school files; the filing office consents (附件2 二(二)).
    Case("track_a:committee_adjust", acting(university_staff=200), default=404, kwargs=_committee("approved")),
    Case("track_a:committee_revoke", acting(university_staff=200), default=404, kwargs=_committee("approved")),
    Case("track_a:committee_revoke", acting(university_staff=302), default=404, method="post",
         kwargs=_committee("approved"), data=lambda w: {"expected_state": "approved", "reason": "试点专业调整"},
         id="POST committee_revoke"),
    Case("track_a:committee_review", acting(provincial_hrss=200), default=404, kwargs=_committee("change_filed"),
         id="committee_review (an adjustment: the provincial HRSS for a 省属 school)"),
]
