"""Production without a signing credential (issue 17): every page or download that produces a PDF answers a
Chinese 503 page in the site's layout and logs it — never a 500 — and stores nothing (no unsigned file kept as if
sealed, no half-made document row).

Each PDF-producing view is reached through its access-matrix case (the world it needs, a role it lets in); the
world is built with the test keys, its stored PDFs are then dropped, and the settings become production's with no
``PDF_SIGNERS`` entry and no demo keys: the view must render and seal, and cannot.
"""

import logging
from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from applications.track_a.models import ApplicationPdf, GrantedAuthority
from applications.track_b.models import GeneratedDocument
from certificates.models import Certificate
from evaluation.rounds.models import Meeting
from portal.pdf import Rendered, sign
from portal.signing import IssuingBody, Seal, SigningUnavailable, credentials
from tests.a11y.pages import fresh_world
from tests.certificates.world import certificate_world
from tests.portal.test_access_matrix import CASES


def _case(label):
    return next(case for case in CASES if case.label == label)


def _url(case, world, **override):
    return reverse(case.name, kwargs={**case.kwargs(world), **override})


def _stored_pdfs():
    """Every stored PDF of every kind, as (model, pk, file name, hash) — what must not change."""
    return sorted(
        [("certificate", pk, name, sha) for pk, name, sha in Certificate.objects.values_list("pk", "pdf",
                                                                                              "pdf_sha256")]
        + [("annex1", pk, name, sha) for pk, name, sha in ApplicationPdf.objects.values_list("pk", "file", "sha256")]
        + [("authority", pk, name, sha) for pk, name, sha in GrantedAuthority.objects.values_list(
            "pk", "letter", "letter_sha256")]
        + [("minutes", pk, name, sha) for pk, name, sha in Meeting.objects.values_list("pk", "minutes",
                                                                                       "minutes_sha256")]
        + [("track_b", pk, name, sha) for pk, name, sha in GeneratedDocument.objects.values_list(
            "pk", "file", "sha256")])


def _drop_stored_pdfs():
    """As if nothing had been rendered yet: the view has to render (and seal) now."""
    Certificate.objects.update(pdf="", pdf_sha256="")
    ApplicationPdf.objects.all().delete()
    GrantedAuthority.objects.update(letter="", letter_sha256="")
    Meeting.objects.update(minutes="", minutes_sha256="")
    GeneratedDocument.objects.all().delete()


@pytest.fixture
def production_without_keys(settings, monkeypatch):
    def switch():
        settings.PRODUCTION = True
        settings.PDF_SIGNERS = {}
        monkeypatch.delenv("PDF_SIGNERS", raising=False)
        monkeypatch.delenv("PDF_SIGNING_DEMO", raising=False)
        assert not credentials.demo_allowed()
    return switch


# (matrix case, role, URL kwargs overriding the case's, query string)
VIEWS = {
    "certificate": ("GET certificates:pdf", "student", None, ""),
    "certificate (staff)": ("GET certificates:pdf", "university_staff", None, ""),
    "batch ZIP": ("GET certificates:batch_zip", "university_staff", None, ""),
    "附件1": ("GET track_a:application_pdf", "university_staff", None, ""),
    "authority letter": ("GET track_a:authority_pdf", "city_hrss", None, ""),
    "minutes": ("GET rounds:minutes", "university_staff", None, ""),
    "附件3 draft": ("track_b:document (annex3)", "university_staff", None, ""),
    "附件4 draft": ("track_b:document (annex3)", "university_staff", {"kind": "annex4"}, ""),
    "附件3 filed": ("GET track_b:document", "city_hrss", {"kind": "annex3"}, ""),
    "附件3 full IDs": ("GET track_b:document", "city_hrss", {"kind": "annex3"}, "?ids=full"),
    "附件4 filed": ("GET track_b:document", "city_hrss", {"kind": "annex4"}, ""),
    "附件5": ("GET track_b:document", "city_hrss", {"kind": "annex5"}, ""),
    "备案回执": ("GET track_b:document", "city_hrss", {"kind": "receipt"}, ""),
}


@pytest.mark.parametrize("view", VIEWS)
def test_pdf_view_without_signing_key_answers_503_in_chinese_and_stores_nothing(
        view, db, production_without_keys, caplog):
    label, role, override, query = VIEWS[view]
    case = _case(label)
    with fresh_world() as world:
        url = _url(case, world, **(override or {})) + query
        client = Client()
        client.force_login(world.by_role[role])
        assert client.get(url).status_code == 200, "with keys the view serves the PDF"
        _drop_stored_pdfs()
        before = _stored_pdfs()
        production_without_keys()
        with caplog.at_level(logging.ERROR, logger="portal.middleware"):
            response = client.get(url)
        assert response.status_code == 503, view
        page = response.content.decode()
        assert response["Content-Type"].startswith("text/html")
        assert "电子签章服务未配置，暂不能生成此文件" in page and "请联系系统管理员" in page
        assert 'data-testid="signing-unavailable"' in page and 'class="topbar"' in page  # the site's layout
        assert "PDF_SIGNERS" not in page  # no setting names shown to users
        assert any("signing unavailable" in r.getMessage() and r.levelno == logging.ERROR for r in caplog.records)
        assert _stored_pdfs() == before, "nothing stored"


def test_certificate_pdf_command_says_signing_is_unavailable(db, production_without_keys):
    with fresh_world() as world:
        cert = certificate_world(world).cert
        Certificate.objects.filter(pk=cert.pk).update(pdf="", pdf_sha256="")
        production_without_keys()
        with pytest.raises(CommandError, match="电子签章服务未配置"):
            call_command("certificate_pdf", cert.number, stdout=BytesIO())
        cert.refresh_from_db()
        assert not cert.pdf and not cert.pdf_sha256


def test_a_configured_key_that_does_not_load_is_unavailable_not_a_crash(db, settings, tmp_path):
    """A PKCS#12 file named in PDF_SIGNERS but missing (or a wrong passphrase): SigningUnavailable, logged."""
    body = IssuingBody(key="inst-TESTMISSING", name="测试学校", code="TESTMISSING")
    settings.PDF_SIGNERS = {body.key: {"pkcs12": str(tmp_path / "missing.p12")}}
    with pytest.raises(SigningUnavailable) as raised:
        sign(Rendered(b"%PDF-1.7\n", [(595, 842)], {}), [Seal(body, "seal-x", "测试")])
    assert raised.value.body == body and "无法加载" in str(raised.value)
