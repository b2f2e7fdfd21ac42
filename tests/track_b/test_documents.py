"""PDFs of 附件3, 附件4, 附件5 and the 备案回执: Chinese fonts embedded, the official wording, stored with
SHA-256 by a Celery task, and regenerating gives the same content."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from applications.track_b import documents
from applications.track_b.models import FilingState, GeneratedDocument
from applications.track_b.tasks import render_document
from tests.track_b.factories import case_in

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext, pdffonts) missing")

EXPECTED = {
    "annex3": ["附件3", "高校职业技能等级认定申报单位", "一、基本信息", "统一社会信用代码", "职业技能等级评价机",
               "二、专业名称及申报开展职业技能等级认定的职业（工种）", "6-31-01-03", "三、规章制度文件和质量管控文件",
               "五、场地设备等情况", "（二）设施设备情况", "六、人员情况", "（三）具备资格条件的考评人员情况",
               "申报单位负责人", "人力资源社会保", "340104********"],
    "annex4": ["附件4", "职业技能等级认定实施方案", "一、单位基本情况", "二、应用型专业设置及三级/高级工等级培养目标落实情况",
               "四、评价方式和内容设计", "五、职业技能等级评价质量承诺", "负责人签字"],
    "annex5": ["附件5", "高校职业技能等级认定评估论证报告", "一、评估论证组织实施情况", "五、评估结果意见",
               "以高级工为培养目标", "专家组成员签字", "已电子签字确认"],
    "receipt": ["职业技能等级认定机构备案回执", "备案编号", "Y000034000001", "汽车维修工", "三级/高级工及以下",
                "马鞍山市人力资源和社会保障局"],
}


def _text(data, tmp_path, name="doc"):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return "".join(text.split()), fonts  # cells wrap: compare without any whitespace


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_pdf_has_the_official_wording_and_embedded_chinese_fonts(kind, world, tmp_path):
    app = case_in(world, FilingState.FILED)
    data = documents.render(app, kind)
    assert data.startswith(b"%PDF")
    text, fonts = _text(data, tmp_path, kind)
    for phrase in EXPECTED[kind]:
        assert phrase.replace(" ", "") in text, f"{kind}: {phrase!r} missing"
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(line.split()[-5] == "yes" for line in rows), fonts  # every font embedded
    assert any("CJK" in line for line in rows), fonts
    assert b"/CreationDate" not in data


@pytest.mark.parametrize("kind", ["annex3", "receipt"])
def test_regenerating_gives_the_same_content(kind, world, tmp_path):
    app = case_in(world, FilingState.FILED)
    first = render_document.delay(app.pk, kind).get()
    doc = GeneratedDocument.objects.get(application=app, kind=kind)
    name, text = doc.file.name, _text(doc.file.read(), tmp_path, "a")[0]
    second = render_document.delay(app.pk, kind).get()
    doc.refresh_from_db()
    assert first == second == doc.sha256 and doc.file.name == name  # nothing new stored
    assert _text(doc.file.read(), tmp_path, "b")[0] == text


def test_submission_renders_annexes_in_a_task(world, django_capture_on_commit_callbacks):
    from applications.track_b import services
    from tests.track_b.factories import new_case

    app = new_case(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.submit(app, user=world.staff)
    assert len(callbacks) >= 2
    kinds = set(GeneratedDocument.objects.filter(application=app).values_list("kind", flat=True))
    assert kinds == {"annex3", "annex4"}
    assert all(len(d.sha256) == 64 for d in GeneratedDocument.objects.filter(application=app))


def test_receipt_download_is_logged_and_only_once_filed(world, client):
    from portal.models import AuditLog

    app = case_in(world, FilingState.REPORT_SIGNED)
    client.force_login(world.staff)
    assert client.get(reverse("track_b:document", args=[app.pk, "receipt"])).status_code == 404
    from applications.track_b import services

    app = services.file_application(app, user=world.city_hrss, levels={o.pk: 3 for o in
                                                                       services.applied_occupations(app)},
                                    opinion="同意")
    response = client.get(reverse("track_b:document", args=[app.pk, "receipt"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert AuditLog.objects.filter(action="track_b.download", actor=world.staff).exists()


def test_annex5_is_not_given_to_the_school_before_it_is_signed(world, client):
    app = case_in(world, FilingState.UNDER_EVALUATION)
    client.force_login(world.staff)
    assert client.get(reverse("track_b:document", args=[app.pk, "annex5"])).status_code == 403


@pytest.mark.parametrize("kind, signers", [
    ("annex3", ["applicant", "office"]), ("annex4", ["applicant"]), ("annex5", ["office"]), ("receipt", ["office"])])
def test_each_document_is_sealed_by_the_body_that_issues_it(kind, signers, world):
    """附件3/4: the applicant's 单位盖章 (附件3 also the office's once decided); 附件5: the office that organised the
    panel; 备案回执: the filing office. Each seal valid against the served trust anchor and covering the file."""
    from tests.sealing import seals_of

    app = case_in(world, FilingState.FILED)
    render_document.delay(app.pk, kind).get()
    doc = GeneratedDocument.objects.get(application=app, kind=kind)
    seals = seals_of(doc.file.read())
    names = {"applicant": world.inst.name, "office": "马鞍山市人力资源和社会保障局"}
    assert [s.signer for s in seals] == [names[s] for s in signers]
    assert all(s.intact and s.valid and s.trusted for s in seals) and seals[-1].whole_file
