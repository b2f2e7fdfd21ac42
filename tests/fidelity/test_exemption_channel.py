"""1+X exemptions (issue #12 item 6, issue #14 item 12 first part).

通知 三(二)1: "对已取得相应职业（工种）“1+X”证书的学生，相关高校可组织其向省人社厅、省教育厅申请免试相应科目，具体细则另行
发布。" Provisional rules are kept in settings (``EXEMPTION_*``) until the detailed rules are published.

Enforced and tested here: the student fills in a request with their own ID number (the ID of the student's graduate
record); the school — never the student alone — submits its students' requests to the provincial offices, in a
batch; each office of ``EXEMPTION_DECIDERS`` (省人社厅, 省教育厅) decides in the portal itself, with a reason; the
exemption takes effect only when both have agreed, and either refusing refuses it, reading 不予免试 (not 不予备案);
a session applies an exemption only where a granted request exists for that student, occupation and level, and an
exempted subject carries no score and does not count against them.

This module fails on the code before this change: a request went from the student straight to the offices; one
office's decision alone granted or refused it (and a 部分同意免试 by one office was final); a request was accepted with
any valid ID number (someone else's); results took any "1+X免试科目" typed in the result form or import.
"""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.track_b.demo import fake_ric
from applications.track_b.models import ExemptionBatch, ExemptionDecision, ExemptionRequest, ExemptionState
from applications.workflow import history
from assessment.services import candidates, sessions
from portal.models import AuditLog, Notification, Role, RoleAssignment
from tests.assessment import builders as b
from tests.conftest import make_user
from tests.track_b.access_cases import own_record
from tests.track_b.factories import occ

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OWN_ID = fake_ric("340503", "20030506", "012")


def _post(id_number=OWN_ID, level="3"):
    return {"name": "张明", "id_number": id_number, "major": "新能源汽车技术", "certificate_name": "智能新能源汽车",
            "certificate_level": "intermediate", "certificate_number": "X2024001", "certificate_issuer": "某组织",
            "occupation": occ(b.NEV).pk, "level": level, "subjects": "theory", "reason": "已取得证书。",
            "certificate_file": SimpleUploadedFile("cert.pdf", PDF, "application/pdf")}


@pytest.fixture
def prepared(world, client):
    """Two requests the demo student filled in (levels 3 and 4), not yet submitted by the school."""
    b.ensure_reference_data()
    own_record(world)
    client.force_login(world.student)
    for level in ("3", "4"):
        assert client.post(reverse("track_b:exemption_create"), _post(level=level)).status_code == 302
    return list(ExemptionRequest.objects.order_by("id"))


def _decide(client, user, request, outcome, reasons="证书与职业（工种）、等级对应。"):
    client.force_login(user)
    return client.post(reverse("track_b:exemption_decide", args=[request.pk]),
                       {"outcome": outcome, "reasons": reasons, "expected_state": request.state})


def _submit(world, client, requests):
    client.force_login(world.staff)
    return client.post(reverse("track_b:exemption_batch"), {"requests": [r.pk for r in requests]})


def test_a_request_for_someone_elses_id_number_is_refused(world, client):
    b.ensure_reference_data()
    own_record(world)
    client.force_login(world.student)
    someone_else = fake_ric("340104", "20020202", "044")
    response = client.post(reverse("track_b:exemption_create"), _post(someone_else))
    assert response.status_code == 200 and "须为申请学生本人的" in response.content.decode()
    assert not ExemptionRequest.objects.exists()
    response = client.post(reverse("track_b:exemption_create"), _post())
    assert response.status_code == 302 and ExemptionRequest.objects.count() == 1


def test_the_school_submits_a_batch_and_both_offices_must_agree(world, client, prepared):
    first, second = prepared
    assert {r.state for r in prepared} == {ExemptionState.PREPARED}
    # not yet submitted: the offices do not see it, and nobody is asked to decide
    client.force_login(world.prov_hrss)
    assert client.get(reverse("track_b:exemption_detail", args=[first.pk])).status_code == 404
    assert not Notification.objects.filter(recipient=world.prov_hrss).exists()
    assert Notification.objects.filter(recipient=world.staff).exists()  # the school is told to organise them
    # the school's page lists them; submitting both makes one batch
    client.force_login(world.staff)
    page = client.get(reverse("track_b:exemption_batch")).content.decode()
    assert "张明" in page and OWN_ID not in page
    assert _submit(world, client, prepared).status_code == 302
    batch = ExemptionBatch.objects.get()
    assert batch.institution == world.inst and batch.submitted_by == world.staff
    assert set(batch.requests.values_list("state", flat=True)) == {ExemptionState.SUBMITTED}
    assert AuditLog.objects.filter(action="track_b.exemption_submit", actor=world.staff).count() == 1
    first.refresh_from_db()
    assert [t.transition for t in history(first)] == ["school_submit"]
    assert {"prov_hrss", "prov_edu"} <= set(Notification.objects.values_list("recipient__username", flat=True))
    # 省人社厅 agrees: not yet in effect
    assert _decide(client, world.prov_hrss, first, "agree").status_code == 302
    first.refresh_from_db()
    assert first.state == ExemptionState.ONE_AGREED
    assert _decide(client, world.prov_hrss, first, "agree").status_code == 403  # an office decides once
    first.refresh_from_db()
    assert first.state == ExemptionState.ONE_AGREED and first.decisions.count() == 1
    # 省教育厅 agrees too: granted
    assert _decide(client, world.prov_edu, first, "agree").status_code == 302
    first.refresh_from_db()
    assert first.state == ExemptionState.GRANTED
    assert set(first.decisions.values_list("role", "agreed")) == {(Role.PROVINCIAL_HRSS, True),
                                                                   (Role.PROVINCIAL_EDUCATION, True)}
    assert [t.transition for t in history(first)] == ["school_submit", "agree", "grant"]
    assert [t.role for t in history(first)][1:] == [Role.PROVINCIAL_HRSS, Role.PROVINCIAL_EDUCATION]
    client.force_login(world.student)
    page = client.get(reverse("track_b:exemption_detail", args=[first.pk])).content.decode()
    assert "同意免试" in page and page.count('data-testid="office-decision"') == 2


def test_either_office_refusing_refuses_with_a_reason(world, client, prepared):
    first, second = prepared
    _submit(world, client, prepared)
    first.refresh_from_db()
    second.refresh_from_db()
    _decide(client, world.prov_edu, first, "refuse", reasons="")  # a refusal needs its reason
    first.refresh_from_db()
    assert first.state == ExemptionState.SUBMITTED and not first.decisions.exists()
    _decide(client, world.prov_edu, first, "refuse", reasons="证书职业与申请职业不对应。")
    first.refresh_from_db()
    assert first.state == ExemptionState.REFUSED and first.decision_reason == "证书职业与申请职业不对应。"
    assert _decide(client, world.prov_hrss, first, "agree").status_code == 403  # decided: nothing to add
    # one office agreed, the other refuses: refused
    _decide(client, world.prov_hrss, second, "agree")
    second.refresh_from_db()
    _decide(client, world.prov_edu, second, "refuse", reasons="等级不对应。")
    second.refresh_from_db()
    assert second.state == ExemptionState.REFUSED
    client.force_login(world.student)
    page = client.get(reverse("track_b:exemption_detail", args=[second.pk])).content.decode()
    assert "不予免试" in page and "等级不对应。" in page and "不予备案" not in page


def test_who_may_not_submit_or_decide(world, client, prepared):
    first, second = prepared
    # another school's staff: neither sees nor submits them
    client.force_login(world.other_staff)
    assert "张明" not in client.get(reverse("track_b:exemption_batch")).content.decode()
    response = client.post(reverse("track_b:exemption_batch"), {"requests": [first.pk]}, follow=True)
    assert "不属于本校" in response.content.decode()
    assert client.get(reverse("track_b:exemption_detail", args=[first.pk])).status_code == 404
    first.refresh_from_db()
    assert first.state == ExemptionState.PREPARED and not ExemptionBatch.objects.exists()
    # the student cannot submit for the school; a provincial official has no batch page
    client.force_login(world.student)
    assert client.post(reverse("track_b:exemption_batch"), {"requests": [first.pk]}).status_code == 403
    client.force_login(world.prov_hrss)
    assert client.get(reverse("track_b:exemption_batch")).status_code == 403
    _submit(world, client, [first])
    first.refresh_from_db()
    # submitted: the school's clerk, the student, a city office and another school cannot decide
    for user, status in ((world.staff, 403), (world.student, 403), (world.city_hrss, 404),
                         (world.other_staff, 404), (world.expert, 404)):
        assert _decide(client, user, first, "agree").status_code == status, user.username
    first.refresh_from_db()
    assert first.state == ExemptionState.SUBMITTED and not ExemptionDecision.objects.exists()
    # one person holding both offices' roles decides for one office only
    both = make_user("both_offices", Role.PROVINCIAL_HRSS)
    RoleAssignment.objects.create(user=both, role=Role.PROVINCIAL_EDUCATION)
    assert _decide(client, both, first, "agree").status_code == 302
    first.refresh_from_db()
    assert first.state == ExemptionState.ONE_AGREED
    assert _decide(client, both, first, "agree").status_code == 403
    # resubmitting a submitted request is refused, nothing changes
    client.force_login(world.staff)
    response = client.post(reverse("track_b:exemption_batch"), {"requests": [first.pk, second.pk]}, follow=True)
    assert "已报送或已撤回" in response.content.decode()
    second.refresh_from_db()
    assert second.state == ExemptionState.PREPARED and ExemptionBatch.objects.count() == 1


def test_a_refusal_reads_buyu_mianshi():
    assert str(ExemptionState.REFUSED.label) == "不予免试" == settings.EXEMPTION_REFUSAL_LABEL
    assert tuple(settings.EXEMPTION_DECIDERS) == (Role.PROVINCIAL_HRSS, Role.PROVINCIAL_EDUCATION)


def test_only_a_granted_request_exempts_and_the_subject_carries_no_score(world):
    app = b.quick_filed(world)
    b.reported_plan(world, app)
    b.map_major(world, world.inst)
    session = b.planned_session(world, app)
    granted, pending = b.graduate(world.inst, 1), b.graduate(world.inst, 2)
    for graduate, state in ((granted, ExemptionState.GRANTED), (pending, ExemptionState.ONE_AGREED)):
        ExemptionRequest.objects.create(
            student=world.student, institution=world.inst, name=graduate.name, id_number=graduate.id_number,
            major=graduate.major, certificate_name="c", certificate_level="senior", certificate_number="n",
            certificate_issuer="i", certificate_file="x.pdf", occupation=occ(b.NEV), level=3, subjects="theory",
            state=state)
    with b.at(b.FILED_ON):
        exempt, plain = candidates.register(session, user=world.staff, graduates=[granted, pending])
        session = sessions.report_session(session, user=world.staff)
        session = sessions.name_supervisor(session, user=world.city_hrss, supervisor=b.supervisor(world))
    assert exempt.exempt_theory and not plain.exempt_theory  # one office agreeing exempts nothing
    session = b.scored(world, app, session, marks=((None, Decimal("80")), (Decimal("40"), Decimal("80"))))
    exempt.refresh_from_db()
    plain.refresh_from_db()
    assert exempt.theory_score is None and exempt.passed  # exempted: no score, does not count against
    assert not plain.passed
