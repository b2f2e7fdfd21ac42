"""Certificates in real Chromium: the student downloads their certificate, an employer opens its QR link and
sees "有效" (with the signature checked in the browser), the issuer revokes it, the employer sees "已撤销".
Also the offline verifier with both engines (WebCrypto and the vendored @noble/ed25519) and a tampered code."""

import io
import json
import os
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from certificates import keys, qr
from certificates.models import Certificate
from evaluation.demo import STUDENT_NUMBER
from portal.demo import DEMO_PASSWORD
from tests.e2e.conftest import served_once, shot, sign_in

ANY_VALUE = re.compile(".+")  # the offline check has finished when its verdict carries a result

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo (its certificates come from its round and filing), loaded once for the module and served by a
    live server of its own (``served_once``). The tests below only read it, except the first, which revokes 张明's
    skill certificate — one that no later test relies on being valid."""
    tmp = tmp_path_factory.mktemp("e2e-certificates")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CERTIFICATE_KEYS_FILE", str(tmp / "keys.json"))
        env.setenv("CERTIFICATE_FONT_DIR", os.path.join(ROOT, "media", "cache", "fonts"))

        def load(server):
            env.setenv("CERTIFICATE_BASE_URL", server.url)
            keys._cache.clear()
            call_command("load_demo", stdout=io.StringIO())

        cache = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "e2e-cert"}}
        with served_once(django_db_blocker, tmp / "media", load, CACHES=cache) as server:
            yield server
    keys._cache.clear()


@pytest.fixture(autouse=True)
def base_url(served):
    return served


def test_download_verify_revoke_verify(demo, browser, tmp_path):
    cert = Certificate.objects.get(kind="skill", holder_name="张明")
    link = qr.qr_text(cert)
    assert link.startswith(f"{demo.url}/v/{cert.verification_id}#")

    # 1. The student downloads their certificate from the dashboard.
    student = browser.new_context(base_url=demo.url, locale="zh-CN", accept_downloads=True)
    page = student.new_page()
    sign_in(page, STUDENT_NUMBER, DEMO_PASSWORD)  # 张明's own account, named by his 学号
    page.wait_for_url("**/")
    section = page.locator('section[data-role="student"]')
    assert "我的证书" in section.inner_text() and cert.number in section.inner_text()
    shot(page, "certificates-student-dashboard")
    with page.expect_download() as info:
        section.locator("a", has_text="职业技能等级证书").first.click()
    download = info.value
    assert download.suggested_filename == f"{cert.number}.pdf"
    saved = tmp_path / "mine.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    student.close()

    # 2. An employer scans the QR code: the link opens the status page, the signature is checked locally.
    employer = browser.new_context(base_url=demo.url, locale="zh-CN")
    epage = employer.new_page()
    epage.goto(link)
    status = epage.locator('[data-testid="certificate-status"]')
    assert "有效" in status.inner_text()
    verdict = epage.locator('#offline-check [data-role="verdict"]')
    expect(verdict).to_have_attribute("data-result", ANY_VALUE)  # no eval: the page's CSP forbids it
    assert verdict.get_attribute("data-result") == "ok", verdict.inner_text()
    assert "签名有效" in verdict.inner_text() and "张*" in epage.locator("#offline-check").inner_text()
    shot(epage, "certificates-employer-valid")

    # 3. The issuer revokes it.
    issuer = browser.new_context(base_url=demo.url, locale="zh-CN")
    ipage = issuer.new_page()
    sign_in(ipage, "univ", DEMO_PASSWORD)
    ipage.wait_for_url("**/")
    ipage.goto(f"/certificates/{cert.pk}/")
    form = ipage.locator('[data-testid="revoke-form"]')
    form.locator("select[name=reason]").select_option("fraud")
    form.locator("textarea[name=note]").fill("经核查，考核材料弄虚作假。")
    form.locator("input[name=confirm]").check()
    form.locator("button[type=submit]").click()
    ipage.wait_for_load_state()
    assert "已撤销" in ipage.locator('[data-testid="certificate-status"]').inner_text()
    shot(ipage, "certificates-issuer-revoked")
    issuer.close()

    # 4. The employer looks again: revoked, a red page (not a 404), with the reason category.
    response = epage.reload()
    assert response.status == 200
    status = epage.locator('[data-testid="certificate-status"]')
    assert "已撤销" in status.inner_text() and "以不正当手段取得" in status.inner_text()
    assert "cert-revoked" in status.get_attribute("class")
    shot(epage, "certificates-employer-revoked")
    employer.close()


def test_offline_verifier_both_engines_and_tampering(page):
    cert = Certificate.objects.filter(kind="title").order_by("id").first()
    text = qr.qr_text(cert)
    page.goto("/certificates/verify/offline/")
    page.fill("#qr-text", text)
    page.click('[data-role="check"]')
    verdict = page.locator('[data-role="verdict"]')
    expect(verdict).to_have_attribute("data-result", ANY_VALUE)
    assert verdict.get_attribute("data-result") == "ok"
    assert "WebCrypto" in verdict.inner_text()
    page.wait_for_selector('[data-role="online-status"]')
    assert "有效" in page.locator('[data-role="online-status"]').inner_text()
    shot(page, "certificates-offline-verifier")
    # The verification id in the link is not signed: a genuine QR behind another certificate's id must not
    # borrow that certificate's status (the forgery audit of 2026-12-07).
    other = Certificate.objects.exclude(pk=cert.pk).order_by("id").first()
    page.goto("/certificates/verify/offline/")
    page.fill("#qr-text", text.replace(cert.verification_id, other.verification_id))
    page.click('[data-role="check"]')
    page.wait_for_selector('[data-role="online-status"]')
    swapped = page.locator('[data-role="online-status"]').inner_text()
    assert "核验编号与二维码签名中的证书编号不符" in swapped and "有效" not in swapped.replace("核验", "")
    # Both engines, genuine and tampered (one character of the payload changed), inside the browser.
    results = page.evaluate("""async ([text]) => {
        const m = await import('/static/certificates/verify.js');
        const keys = JSON.parse(document.getElementById('certificate-keys').textContent);
        const i = text.indexOf('#') + 5;
        const bad = text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
        const out = {};
        for (const fallback of [false, true]) {
            const good = await m.verifyQrText(text, keys, {forceFallback: fallback});
            const tampered = await m.verifyQrText(bad, keys, {forceFallback: fallback});
            out[fallback ? 'noble' : 'webcrypto'] = [good.ok, good.engine, tampered.ok, good.payload && good.payload.no];
        }
        return out;
    }""", [text])
    assert results["webcrypto"] == [True, "WebCrypto", False, cert.number]
    assert results["noble"] == [True, "@noble/ed25519", False, cert.number]


def test_verification_pages_fit_a_phone(phone):
    cert = Certificate.objects.filter(status="revoked").first()
    phone.goto(qr.qr_text(cert))
    assert "已撤销" in phone.locator('[data-testid="certificate-status"]').inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px phone"
    shot(phone, "certificates-revoked-phone")
    phone.goto("/certificates/verify/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def tampered_link(certificate, **changes):
    """The certificate's QR link with its payload edited (a forger's change) and the original signature kept."""
    payload = json.loads(keys.b64url_decode(certificate.qr_payload))
    payload.update(changes)
    forged = keys.b64url(qr.canonical_json(payload))
    return f"{qr.base_url()}/v/{certificate.verification_id}#{forged}.{certificate.qr_signature}"


def test_a_tampered_qr_turns_the_whole_status_red(page):
    """Issue 15 §14: no green "有效" above a forged QR; the system's record beside what the QR claims."""
    cert = Certificate.objects.filter(kind="title", status="valid").order_by("id").first()
    page.goto(tampered_link(cert, level="工程师" if cert.level_label != "工程师" else "助理工程师"))
    page.wait_for_selector('[data-testid="certificate-status"][data-tampered="true"]')
    status = page.locator('[data-testid="certificate-status"]')
    assert "二维码签名无效：该证书信息可能被篡改" in status.inner_text()
    assert "有效" not in status.inner_text().replace("无效", "")
    assert "cert-tampered" in status.get_attribute("class") and "cert-valid" not in status.get_attribute("class")
    assert page.locator('[data-role="record-title"]').inner_text() == "系统中的记录"
    record = page.locator('[data-role="record"]').inner_text()
    claimed = page.locator("#offline-check").inner_text()
    assert cert.level_label in record and "签名无效，不可信" in claimed
    shot(page, "certificates-tampered-red")
