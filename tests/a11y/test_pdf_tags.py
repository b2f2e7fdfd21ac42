"""Every kind of PDF the portal generates is a tagged PDF (issue 18 item 6; WCAG 1.1.1 and 1.3.1, GB/T 37668):
pdfinfo says ``Tagged: yes``, the document has a Title and a language, and the certificate's QR code and photo
carry alternative text. Each kind is rendered by the code that renders it for users (the download views where the
access matrix reaches one, the renderers otherwise)."""

import shutil
import subprocess

import pytest
from pypdf import PdfReader

from applications.track_b import documents
from applications.track_b.models import FilingApplication, GeneratedDocument
from certificates.render import render_certificate_pdf
from tests.a11y.pages import Page, body, fresh_world, opened
from tests.certificates.world import certificate_world
from tests.portal.test_access_matrix import CASES

pytestmark = pytest.mark.skipif(not shutil.which("pdfinfo"), reason="poppler-utils missing (make test installs it)")


def _downloaded(name, role="university_staff"):
    def fetch():
        page = Page(name, role, next(case for case in CASES if case.name == name and case.method == "get"))
        with opened(page) as (_world, url, client):
            response = client.get(url)
            assert response.status_code == 200 and response["Content-Type"] == "application/pdf", url
            return body(response)
    return fetch


def _certificate(attr):
    def fetch():
        with fresh_world() as world:
            return render_certificate_pdf(getattr(certificate_world(world), attr))
    return fetch


def _filing_document(kind):
    def fetch():
        receipt = next(case for case in CASES if case.name == "track_b:document")
        with fresh_world() as world:
            application = FilingApplication.objects.get(pk=receipt.kwargs(world)["pk"])
            return documents.render(application, kind)
    return fetch


KINDS = {
    "certificate (skill)": _certificate("cert"),
    "certificate (title)": _certificate("title"),
    "附件1 application": _downloaded("track_a:application_pdf"),
    "authority letter": _downloaded("track_a:authority_pdf"),
    "minutes": _downloaded("rounds:minutes"),
    **{f"track_b {kind}": _filing_document(kind) for kind in GeneratedDocument.Kind.values},
}


def _info(path):
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def _alt_texts(reader):
    found, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if isinstance(node, dict):
            if "/Alt" in node:
                found.append(str(node["/Alt"]))
            kids = node.get("/K")
            stack.extend(kids if isinstance(kids, list) else [kids] if kids is not None else [])
        elif isinstance(node, list):
            stack.extend(node)
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_every_pdf_kind_is_tagged_with_a_title_and_language(kind, db, tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(KINDS[kind]())
    info = _info(path)
    assert info["Tagged"].strip() == "yes", info
    assert info.get("Title", "").strip(), info
    reader = PdfReader(path)
    assert str(reader.trailer["/Root"].get("/Lang", "")).lower().startswith("zh")
    if kind.startswith("certificate"):
        assert "证书核验二维码" in _alt_texts(reader)
