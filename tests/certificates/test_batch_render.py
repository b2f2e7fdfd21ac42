"""Batch rendering (issue 16 item 1, ``certificates.restamp``): a batch lays a certificate page out once per layout
and re-stamps it with each certificate's values; every certificate still gets its own PDF — its own text, QR,
hash and seal, byte for byte what the single-certificate path renders — and a failure or a crash in the middle of
a batch loses nothing."""

import json
import shutil
import subprocess
from datetime import date

import pytest
from django.core.files.base import ContentFile

from certificates import drawcache, keys, qr, render, restamp, services, tasks
from certificates.models import Certificate, IssuanceBatch
from portal.signing import SigningUnavailable
from tests.certificates.conftest import ric
from tests.sealing import seals_of

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing (make test installs it)")
NAMES = ["王一明", "李二强", "张三丽", "刘四平"]


def _run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _stored(cert):
    with cert.pdf.open("rb") as handle:
        return handle.read()


def _batch(make_result, filed, photo, names=NAMES):
    results = []
    for i, name in enumerate(names):
        result = make_result(name=name, id_number=ric(40 + i))
        result.photo.save(f"p{i}.jpg", ContentFile(photo))
        results.append(result)
    return services.start_batch(institution=filed.inst, results=results, issued_by=filed.staff,
                                issue_date=date(2026, 7, 10))


def _issued(make_result, filed, names):
    return [services.issue_from_result(make_result(name=name, id_number=ric(60 + i)), issued_by=filed.staff,
                                       issue_date=date(2026, 7, 10), render=False) for i, name in enumerate(names)]


def test_each_certificate_of_a_batch_gets_its_own_verifying_pdf(make_result, filed, photo, tmp_path, monkeypatch):
    renderers = []
    monkeypatch.setattr(tasks, "BatchRenderer", lambda: renderers.append(restamp.BatchRenderer()) or renderers[-1])
    batch = _batch(make_result, filed, photo)
    tasks.run_batch(batch.pk)
    assert renderers[0].restamped == len(NAMES) - 1 and renderers[0].full == 1  # one layout, re-stamped
    certs = list(Certificate.objects.filter(batch=batch).order_by("number"))
    assert [c.data["name"] for c in certs] == NAMES
    key_set = keys.public_key_set()
    for cert in certs:
        data = _stored(cert)
        assert len(data) <= 150 * 1024
        path = tmp_path / f"{cert.number}.pdf"
        path.write_bytes(data)
        text = _run("pdftotext", str(path), "-")
        assert cert.data["name"] in text and cert.number in text and cert.data["id_number"] in text
        assert cert.verification_id in text
        for other in certs:
            if other.pk != cert.pk:  # nothing of a neighbour's
                assert other.data["name"] not in text and other.number not in text
                assert other.verification_id not in text
        assert len(_run("pdfimages", "-list", str(path)).splitlines()[2:]) == 1  # its photo
        (seal,) = seals_of(data)
        assert seal.signer == filed.inst.name and seal.intact and seal.valid and seal.trusted and seal.whole_file
        assert cert.pdf_sha256 == tasks.pdf.sha256(data)
        # The QR's payload: signed, its own number and masked name, and h of its own frozen record (salt included)
        result = qr.verify_qr_text(qr.qr_text(cert), key_set)
        assert result.ok and result.payload["no"] == cert.number and result.payload["h"] == qr.data_hash(cert.data)
        assert "salt" in cert.data
        # The same bytes the single-certificate path renders (re-issue, views): one renderer, not two
        assert data.startswith(render.render_certificate(cert).data)
    if shutil.which("zbarimg"):
        for cert in (certs[0], certs[-1]):  # the laid-out model and a re-stamped page
            _run("pdftoppm", "-png", "-r", "300", "-singlefile", str(tmp_path / f"{cert.number}.pdf"),
                 str(tmp_path / "scan"))
            scanned = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "scan.png")], capture_output=True,
                                     text=True).stdout.strip()
            assert scanned == qr.qr_text(cert)


def test_restamped_pages_are_byte_for_byte_the_full_rendering(make_result, filed):
    """Values that cannot be re-stamped (a name that wraps, one with white space WeasyPrint would collapse) are
    rendered in full; the others re-stamp; a rare character (fallback font) and a title certificate as well."""
    certs = _issued(make_result, filed, ["赵五", "钱六六", "孙七", "王堃", "李玥明"])
    long_name = certs[1]
    long_name.data = {**long_name.data, "name": "阿卜杜热合曼·买买提艾力" * 4}  # wraps onto a second line
    spaced = _issued(make_result, filed, ["周八"])[0]
    spaced.data = {**spaced.data, "name": "周  八"}
    fields = services.title_fields(name="刘晓雯", gender="女", birth_date=date(2002, 6, 3), id_number=ric(2),
                                   employer="奇瑞汽车股份有限公司", major="车辆工程", qualification="助理工程师",
                                   committee="安徽工业大学工程系列中初级职称自主评审委员会",
                                   approval_no="安工大职评〔2025〕1号", obtained_on=date(2025, 12, 20),
                                   issuer=filed.inst)
    title = services.issue_certificate(kind="title", frozen_fields=fields, issuer=filed.inst, source_key="t:batch",
                                       issued_by=filed.staff, issue_date=date(2025, 12, 28), render=False)
    renderer = restamp.BatchRenderer()
    sequence = [certs[0], certs[1], certs[2], spaced, certs[3], certs[4], title]
    for cert in sequence:
        assert renderer.render(cert).data == render.render_certificate(cert).data, cert.data["name"]
    assert renderer.full == 4  # the first skill page, the long name, the spaced name, the title certificate
    assert renderer.restamped == 3
    assert "阿卜杜热合曼" in _text_of(renderer.render(long_name).data)


def _render_watching_draws(certs, monkeypatch):
    """Renders ``certs`` with one batch renderer, each byte for byte the full rendering; returns the renderer and,
    per certificate, the texts WeasyPrint drew (not replayed by ``drawcache``)."""
    drawcache.install()
    draws = []
    real = drawcache._original["draw_text"]
    monkeypatch.setitem(drawcache._original, "draw_text", lambda *args: draws.append(args[1].text) or real(*args))
    renderer, drawn = restamp.BatchRenderer(), []
    for cert in certs:
        before = len(draws)
        data = renderer.render(cert).data
        drawn.append(draws[before:])
        assert data == render.render_certificate(cert).data, cert.data["name"]
    return renderer, drawn


def test_static_texts_are_drawn_once_then_replayed(make_result, filed, monkeypatch):
    """``certificates.drawcache``: on a re-stamped page the texts every certificate prints are not drawn again but
    replayed — the first text of each face with the font it adds to the document — byte for byte the full
    rendering, also around a 生僻字 in the fallback font, after which the static texts draw and replay again."""
    certs = _issued(make_result, filed, ["赵五", "钱六", "孙七", "王堃", "李八", "周九"])
    renderer, drawn = _render_watching_draws(certs, monkeypatch)
    assert renderer.restamped == len(certs) - 1
    assert "证书编号" in drawn[0] and "证书编号" in drawn[1]  # laid out, then recorded while drawn
    for page in (drawn[2], drawn[-1]):  # replayed: WeasyPrint draws the values and few else
        assert "证书编号" not in page and "赵五" not in page and certs[drawn.index(page)].data["name"] in page
        assert len(page) < len(drawn[0]) / 2, page
        # the first text of each face, which adds the font to the document, too: a copy of the recorded font
        assert "扫码核验" not in page and "职业技能等级证书" not in page, page


def test_values_every_certificate_shares_are_replayed_and_a_changed_one_is_drawn(make_result, filed, monkeypatch):
    """A row value that is the same as the last certificate's (证件类型, 职业名称, 发证日期) keeps its laid-out
    text and is replayed; a value that changes (姓名, or a 工种 that differs for one certificate and comes back) is
    measured and drawn again — the bytes stay those of the full rendering throughout."""
    certs = _issued(make_result, filed, ["赵五", "钱六", "孙七", "王八", "李九"])
    certs[2].data = {**certs[2].data, "job_type": "电气设备安装工"}
    renderer, drawn = _render_watching_draws(certs, monkeypatch)
    assert renderer.restamped == len(certs) - 1 and renderer.full == 1
    id_type, date_line = certs[0].data["id_type"], render._cn_date(certs[0].data["issue_date"])
    assert id_type in drawn[1] and date_line in drawn[1]  # unchanged for the first time: recorded while drawn
    for page in drawn[2:]:
        assert id_type not in page and date_line not in page  # then replayed
    assert "电气设备安装工" in drawn[2] and certs[3].data["job_type"] in drawn[3]  # changed, changed back: drawn
    assert all(cert.data["name"] in page for cert, page in zip(certs, drawn))


def _text_of(data):
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_a_certificate_that_fails_in_a_batch_does_not_lose_the_others(make_result, filed, photo, monkeypatch):
    batch = _batch(make_result, filed, photo)
    real = tasks.pdf.sign

    def failing(result, seals):
        if "李二强" in _text_of(result.data):
            raise SigningUnavailable("签章证书无法加载", seals[0].body)
        return real(result, seals)

    monkeypatch.setattr(tasks.pdf, "sign", failing)
    tasks.run_batch(batch.pk)
    batch.refresh_from_db()
    assert batch.status == "done" and "签章证书无法加载" in batch.error
    certs = {c.data["name"]: c for c in Certificate.objects.filter(batch=batch)}
    assert not certs["李二强"].pdf_sha256
    for name in ("王一明", "张三丽", "刘四平"):  # the neighbours after it re-stamp the page it left behind
        data = _stored(certs[name])
        assert name in _text_of(data) and seals_of(data)[0].valid
    # Once the signer is back, the batch is redone: the missing PDF is made, the others are kept as they are.
    monkeypatch.setattr(tasks.pdf, "sign", real)
    kept = {name: (c.pdf.name, c.pdf_sha256) for name, c in certs.items() if c.pdf_sha256}
    IssuanceBatch.objects.filter(pk=batch.pk).update(status="running")
    tasks.run_batch(batch.pk)
    certs = {c.data["name"]: c for c in Certificate.objects.filter(batch=batch)}
    assert {name: (c.pdf.name, c.pdf_sha256) for name, c in certs.items() if name in kept} == kept
    data = _stored(certs["李二强"])
    assert "李二强" in _text_of(data) and seals_of(data)[0].valid


def test_a_batch_redone_after_a_crash_keeps_what_was_stored(make_result, filed, photo, monkeypatch):
    batch = _batch(make_result, filed, photo)
    real = tasks.pdf.store_rendered
    calls = {"n": 0}

    class WorkerLost(BaseException):  # like SIGKILL: not an Exception the task could catch
        pass

    def dying(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise WorkerLost
        return real(*args, **kwargs)

    monkeypatch.setattr(tasks.pdf, "store_rendered", dying)
    with pytest.raises(WorkerLost):
        tasks.run_batch(batch.pk)
    first = {c.pk: (c.pdf.name, c.pdf_sha256) for c in Certificate.objects.filter(batch=batch) if c.pdf_sha256}
    assert len(first) == 2
    monkeypatch.setattr(tasks.pdf, "store_rendered", real)
    tasks.run_batch(batch.pk)  # redelivered: a new renderer, its first page laid out again
    certs = list(Certificate.objects.filter(batch=batch).order_by("number"))
    assert len(certs) == len(NAMES) and all(c.pdf_sha256 for c in certs)
    assert {c.pk: (c.pdf.name, c.pdf_sha256) for c in certs if c.pk in first} == first
    for cert in certs:
        data = _stored(cert)
        assert cert.data["name"] in _text_of(data) and seals_of(data)[0].valid
        assert json.loads(keys.b64url_decode(cert.qr_payload))["h"] == qr.data_hash(cert.data)
