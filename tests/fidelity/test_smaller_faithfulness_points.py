"""Issue 12 item 8 — the smaller faithfulness points (except the committee's filing office: test_committee_office.py).

- 正文 一：“符合条件的应届毕业生可获得相应工程技术人员职称证书” — the notice names the certificate and prescribes no
  layout: the heading is a setting (``TITLE_CERTIFICATE_HEADING``), default “职称证书（工程系列）”, not the hard-coded
  “专业技术资格证书”.
- 公示 (职称评审管理暂行规定: 单位内部公示): the candidates' notice is read within the unit — signed-in members of the
  school and the offices concerned, never the open internet —, with name (masked), major and level, never ID
  numbers; the results notice likewise unless ``ROUNDS_RESULTS_NOTICE_VISIBILITY`` = "public".
- 工作地 (正文 四(二)：“可自愿选择在工作地或试点学校申报”; 附件2 一(四)): the graduate's own choice, recorded; it
  takes them out of the school's round and gives them an export of their records (verdict, evidence list).
  “在省内企业就业”: the employer's kind is recorded; 机关、事业单位 may not apply for a title through the pilot.
- 附件5：“专家组人员应在评估论证报告上签字” — the PDF leaves room for handwritten signatures beside the electronic
  confirmation; 附件3 with full ID numbers only for the filing office, logged; masked for everyone else.
- 评审结果备案 (national rule for units holding evaluation authority; 附件2 二(三): the committee is 核准备案 with an
  HRSS office): the results go on record with the office that filed the committee; our decision (DOMAIN §7):
  certificates issue only after that office has recorded them; it may refuse a candidate's result with a reason,
  and then no certificate issues for that candidate.

Each test names the code before this change (commit 53e2aa0) on which it fails.
"""

import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from applications.track_b import documents
from applications.track_b.models import FilingState as CaseState
from certificates.models import Certificate
from certificates.services import IssuanceError, issue_certificate
from certificates.titles import issue_round_titles
from evaluation.rounds import selectors, services
from evaluation.rounds.models import (
    ApplicationState,
    FilingState,
    PublicNotice,
    RoundState,
    TitleApplication,
    WorkplaceChoice,
)
from portal.models import AuditLog
from tests.rounds import factories as f
from tests.track_b.factories import case_in

# --- 评审结果备案 ----------------------------------------------------------------------------------------------------

def test_no_title_certificate_before_the_office_recorded_the_results(world):
    """Before: ``issue_round_titles`` issued from every passed decision of a finalised round."""
    rnd = f.round_in(world, RoundState.FINALISED, n=2)
    with pytest.raises(IssuanceError, match="尚未报送"):
        issue_round_titles(rnd, actor=world.staff, render=False)
    filing = services.submit_results(round=rnd, actor=world.staff)
    with pytest.raises(IssuanceError, match="人社部门备案后才能发证"):
        issue_round_titles(rnd, actor=world.staff, render=False)
    assert not Certificate.objects.filter(kind="title").exists()
    filing = services.record_results(filing=filing, actor=f.office_user(world, rnd))
    assert filing.state == FilingState.RECORDED
    assert len(issue_round_titles(rnd, actor=world.staff, render=False)) == 2


def test_only_the_office_that_filed_the_committee_records_them(world):
    rnd = f.round_in(world, RoundState.FINALISED, n=2)
    filing = services.submit_results(round=rnd, actor=world.staff)
    office = f.office_user(world, rnd)
    others = (world.staff, world.other_city_hrss, world.prov_hrss, world.city_hrss, world.city_edu, world.prov_edu)
    for outsider in (u for u in others if u != office):
        with pytest.raises(PermissionDenied):
            services.record_results(filing=filing, actor=outsider)


def test_a_refused_result_gets_no_certificate_and_the_refusal_needs_a_reason(world):
    rnd = f.round_in(world, RoundState.FINALISED, n=2)
    refused, kept = selectors.final_passed_decisions(rnd)[:2]
    filing = services.submit_results(round=rnd, actor=world.staff)
    with pytest.raises(ValidationError, match="写明理由"):
        services.record_results(filing=filing, actor=f.office_user(world, rnd), refusals={refused.pk: " "})
    services.record_results(filing=filing, actor=f.office_user(world, rnd),
                            refusals={refused.pk: "该人员毕业设计成绩材料与存档不符，不予备案。"})
    issued = issue_round_titles(rnd, actor=world.staff, render=False)
    assert [c.source_key for c in issued] == [kept.source_key]


# --- the title certificate's heading -------------------------------------------------------------------------------

def test_the_title_heading_is_a_setting_defaulting_to_the_notices_name(world, settings):
    """Before: every title certificate was headed 专业技术资格证书 (a constant)."""
    rnd = f.round_in(world, RoundState.FINALISED, n=2)
    f.record_results(world, rnd)
    first = issue_round_titles(rnd, actor=world.staff, render=False)[0]
    assert first.data["title"] == "职称证书（工程系列）"
    settings.TITLE_CERTIFICATE_HEADING = "工程技术人员职称证书"
    again = issue_certificate(kind="title", frozen_fields={k: first.data[k] for k in (
        "name", "gender", "birth_date", "id_number", "employer", "series", "major", "qualification", "grade", "method",
        "committee", "approval_no", "obtained_on", "issuer_name", "issuer_uscc")}, issuer=world.inst,
        source_key="fidelity:heading", issued_by=world.staff, render=False)
    assert again.data["title"] == "工程技术人员职称证书"


# --- 公示 within the unit ------------------------------------------------------------------------------------------

def _candidates_notice(world):
    rnd = f.round_in(world, RoundState.CANDIDATES_NOTICE, n=2)
    return PublicNotice.objects.get(round=rnd, stage="candidates")


def test_the_candidates_notice_is_not_on_the_open_internet(world, client):
    """Before: anyone, signed in or not, from anywhere, read every notice."""
    notice = _candidates_notice(world)
    url = reverse("rounds:public_notice", args=[notice.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response["Location"]
    client.force_login(world.other_staff)  # another school's staff: not the unit
    assert client.get(url).status_code == 404
    assert notice not in client.get(reverse("rounds:public_index")).context["notices"]


def test_members_of_the_school_and_the_offices_read_it_without_id_numbers(world, client):
    notice = _candidates_notice(world)
    url = reverse("rounds:public_notice", args=[notice.pk])
    for member in (world.student, world.staff, world.city_hrss, world.prov_hrss):
        client.force_login(member)
        response = client.get(url)
        assert response.status_code == 200, member
        body = response.content.decode()
        for entry in notice.entries.select_related("application__graduate"):
            assert entry.masked_name in body and entry.application.major in body
            assert entry.application.graduate.id_number not in body


def test_the_results_notice_is_public_only_when_the_setting_says_so(world, client, settings):
    rnd = f.round_in(world, RoundState.RESULTS_NOTICE, n=2)
    notice = PublicNotice.objects.get(round=rnd, stage="results")
    url = reverse("rounds:public_notice", args=[notice.pk])
    assert client.get(url).status_code == 302  # default: within the school
    settings.ROUNDS_RESULTS_NOTICE_VISIBILITY = "public"
    assert client.get(url).status_code == 200
    candidates = PublicNotice.objects.get(round=rnd, stage="candidates")
    assert client.get(reverse("rounds:public_notice", args=[candidates.pk])).status_code == 302  # never public


# --- 附件5 signatures, 附件3 ID numbers ------------------------------------------------------------------------------

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) missing")


def _text(data, tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())


@needs_poppler
def test_annex5_leaves_room_for_handwritten_signatures(world, tmp_path):
    """Before: the signature column held only the electronic confirmation."""
    app = case_in(world, CaseState.FILED)
    html = render_to_string(documents.TEMPLATES["annex5"], documents.context_for(app, "annex5"))
    assert html.count('class="sign-space"') == app.panel.count()
    assert "手写签字" in _text(documents.render(app, "annex5"), tmp_path)


@needs_poppler
def test_annex3_full_ids_only_for_the_filing_office_and_logged(world, client, tmp_path):
    """Before: there was no full-ID copy for the office; the masked copy was the only one."""
    app = case_in(world, CaseState.FILED)
    url = reverse("track_b:document", args=[app.pk, "annex3"]) + "?ids=full"
    for outsider in (world.staff, world.other_city_hrss, world.prov_hrss):
        client.force_login(outsider)
        assert client.get(url).status_code in (403, 404), outsider
    client.force_login(world.city_hrss)  # 马鞍山 HRSS receives this school's case
    response = client.get(url)
    assert response.status_code == 200
    text = _text(response.content, tmp_path)
    assert "340104********" not in text and "完整身份证号" in text
    assert AuditLog.objects.filter(action="track_b.reveal_annex3_ids", actor=world.city_hrss).exists()
    client.force_login(world.staff)
    masked = client.get(reverse("track_b:document", args=[app.pk, "annex3"]))
    assert "340104********" in _text(b"".join(masked.streaming_content) if masked.streaming else masked.content,
                                     tmp_path)


# --- 工作地 and the employer's kind ---------------------------------------------------------------------------------

def test_the_graduate_chooses_the_place_of_work_and_leaves_the_schools_round(world, client):
    """Before: “在工作单位申报” was a field of an application inside the school's round, set by school staff too."""
    rnd = f.open_round(world)
    g = f.graduate(world, "W0001", user=world.student)
    app = f.application(world, rnd, g, actor=world.student)
    with pytest.raises(PermissionDenied):  # the choice is the graduate's own, never a clerk's for them
        services.workplace.choose_workplace(graduate=g, actor=world.staff, employer=g.employer,
                                            employer_kind="enterprise")
    client.force_login(world.student)
    response = client.post(reverse("rounds:workplace"), {
        "employer": g.employer, "employer_kind": "enterprise", "for_title": "on", "confirm": "on"})
    assert response.status_code == 302
    choice = WorkplaceChoice.objects.get(graduate=g)
    assert choice.chosen_by == world.student and choice.for_title
    assert TitleApplication.objects.get(pk=app.pk).state == ApplicationState.WITHDRAWN
    with pytest.raises(ValidationError, match="已选择在工作地"):
        services.create_application(round=rnd, graduate=g, actor=world.staff, level="technician",
                                    employer_kind="enterprise", today=f.OPENED)
    assert g not in list(selectors.enrollable_graduates(rnd))
    export = client.get(reverse("rounds:workplace_export"))
    data = export.json()
    assert data["verdict"]["level"] == "technician" and data["verdict"]["criteria"]
    assert data["choice"]["employer"] == g.employer and g.id_number not in export.content.decode()
    assert {e["kind"] for e in data["evidence"]} >= {"三方就业协议"}
    assert AuditLog.objects.filter(action="rounds.workplace_export", actor=world.student).exists()


def test_a_government_or_public_institution_employee_may_not_apply_nor_choose_the_workplace(world):
    rnd = f.open_round(world)
    g = f.graduate(world, "W0002", user=world.student)
    with pytest.raises(ValidationError, match="机关、事业单位"):
        services.workplace.choose_workplace(graduate=g, actor=world.student, employer="马鞍山市某局",
                                            employer_kind="government")
    app = services.create_application(round=rnd, graduate=g, actor=world.staff, level="technician",
                                      employer_kind="public", today=f.OPENED)
    for kind in ("employment", "tripartite", "on_duty"):
        services.add_evidence(application=app, actor=world.staff, kind=kind, upload=f.pdf(f"{kind}.pdf"))
    with pytest.raises(ValidationError, match="须在省内企业就业"):
        services.submit_application(application=app, actor=world.staff, today=f.OPENED)
    # nor choose the place of work for skill certification (DOMAIN §7); the school's own skill assessment stays open
    # to them (tests/fidelity/test_workplace_for_skill.py)
    with pytest.raises(ValidationError, match="机关、事业单位"):
        services.workplace.choose_workplace(graduate=g, actor=world.student, employer="马鞍山市某局",
                                            employer_kind="government", for_title=False, for_skill=True)
    assert not WorkplaceChoice.objects.filter(graduate=g).exists()
