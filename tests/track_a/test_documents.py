"""附件1 and the authority letter as PDFs: rendered by Celery tasks, Chinese fonts embedded, SHA-256 stored."""

import hashlib
import shutil
import subprocess

import pytest
from django.urls import reverse

from applications.track_a import tasks
from applications.track_a.models import ApplicationPdf, State
from tests.track_a import factories as f

needs_poppler = pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")


def _pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout


@needs_poppler
def test_annex1_pdf_is_rendered_on_submission_with_fonts_embedded(world, django_capture_on_commit_callbacks):
    from applications.track_a import services

    app = f.complete_application(world)
    with django_capture_on_commit_callbacks(execute=True):
        app = services.submit(application=app, actor=world.staff)
    doc = ApplicationPdf.objects.get(application=app)
    data = doc.file.read()
    assert data.startswith(b"%PDF") and doc.sha256 == hashlib.sha256(data).hexdigest()
    fonts = subprocess.run(["pdffonts", doc.file.path], capture_output=True, text=True).stdout
    assert "CJK" in fonts and all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip())
    text = _pdf_text(doc.file.path)
    for label in ("附件1", "一式2份", "“产业工程师职称自主评审”立项申请表", "申报单位全称", "安徽工业大学",
                  "合作企业(单位)名称(限填5个)", "专任教师简表", "生师比", "20.0:1", "三、基本条件",
                  "(四) 学生参加实践教学学时", "院校意见", "学校（公章）"):
        assert label in text, label
    # idempotent: a second run finds it
    assert tasks.render_application_pdf(app.pk) == doc.pk
    assert ApplicationPdf.objects.count() == 1


@needs_poppler
def test_the_authority_letter(world, django_capture_on_commit_callbacks, login):
    with django_capture_on_commit_callbacks(execute=True):
        app = f.application_in(world, State.AUTHORISED)
    authority = app.authority
    authority.refresh_from_db()
    assert authority.letter and authority.letter_sha256 == hashlib.sha256(authority.letter.read()).hexdigest()
    text = _pdf_text(authority.letter.path)
    assert "马鞍山市人力资源和社会保障局" in text and "机械设计制造及其自动化、车辆工程" in text
    assert "技术员、助理工程师、工程师" in text and authority.number in text
    response = login(world.staff).get(reverse("track_a:authority_pdf", args=[app.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_pdf_download_renders_when_missing(world, login):
    app = f.application_in(world, State.SUBMITTED)
    response = login(world.city_edu).get(reverse("track_a:application_pdf", args=[app.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "filename*=utf-8''" in response["Content-Disposition"]


@needs_poppler
def test_annex1_is_sealed_by_the_school_and_the_letter_by_the_city_office(world, django_capture_on_commit_callbacks):
    from tests.sealing import seals_of

    with django_capture_on_commit_callbacks(execute=True):
        app = f.application_in(world, State.AUTHORISED)
    tasks.render_application_pdf(app.pk)
    annex1 = ApplicationPdf.objects.filter(application=app).latest("pk")
    (school,) = seals_of(annex1.file.read())
    app.authority.refresh_from_db()
    (office,) = seals_of(app.authority.letter.read())
    assert school.signer == world.inst.name and office.signer == "马鞍山市人力资源和社会保障局"
    assert all(s.intact and s.valid and s.trusted and s.whole_file for s in (school, office))
