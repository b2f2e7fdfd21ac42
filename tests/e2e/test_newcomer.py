"""A newcomer follows the README (issue 15, "Done when"): the whole demo loaded, served at a non-default port;
for every account in the README's table, sign in and click, on the dashboard, the link the table names — the
first thing that account can do. Then: the QR base URL is the address served, a 404 is Chinese, the dashboard
reads Beijing time, and a tampered QR turns the status red."""

import io
import json
import re
from datetime import UTC
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from certificates import keys, qr
from certificates.models import Certificate
from evaluation.demo import STUDENT_NUMBER
from evaluation.models import EvaluationRun
from portal.demo import DEMO_PASSWORD
from portal.models import User
from tests.e2e.conftest import shot, sign_in

ROOT = Path(__file__).resolve().parents[2]


def readme_accounts():
    """[(username, link text)] from the README's "Demo accounts" table, ranges like `pool_1` … `pool_7` expanded."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("### Demo accounts"):]
    rows = []
    for line in table.splitlines()[1:]:
        if line.startswith("#"):
            break
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        names = re.findall(r"`([a-z0-9_]+)`", cells[0])
        if "…" in cells[0]:
            (prefix, first), (_p, last) = (re.match(r"(.*?)(\d+)$", n).groups() for n in names[:2])
            names = [f"{prefix}{i}" for i in range(int(first), int(last) + 1)]
        rows += [(name, cells[2]) for name in names]
    return rows


@pytest.fixture
def served_demo(transactional_db, live_server, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "e2e-newcomer"}}
    monkeypatch.setenv("CERTIFICATE_KEYS_FILE", str(tmp_path / "keys.json"))
    monkeypatch.setenv("CERTIFICATE_FONT_DIR", str(ROOT / "media" / "cache" / "fonts"))
    monkeypatch.delenv("CERTIFICATE_BASE_URL", raising=False)
    monkeypatch.setenv("PUBLIC_BASE_URL", live_server.url)  # what `make demo PORT=…` sets
    keys._cache.clear()
    call_command("load_demo", stdout=io.StringIO())
    yield live_server.url
    keys._cache.clear()


def test_a_newcomer_follows_the_readme(served_demo, browser):
    base = served_demo
    assert urlsplit(base).port != 8000  # a non-default port

    # Every account of the demo that can sign in is in the README, and every README account exists (the other
    # graduates' accounts wait for their own activation).
    rows = readme_accounts()
    listed = {name for name, _link in rows}
    demo_accounts = set(User.objects.filter(roles__isnull=False, is_active=True).values_list("username", flat=True))
    assert listed == demo_accounts, f"README misses {demo_accounts - listed}, lists unknown {listed - demo_accounts}"

    for username, link in rows:
        context = browser.new_context(base_url=base, locale="zh-CN")
        page = context.new_page()
        sign_in(page, username, DEMO_PASSWORD)
        page.wait_for_url(f"{base}/")
        main = page.locator("main")
        if username == "univ_wuhu":  # never offered a form the next page refuses; told why
            assert "本校暂不能申请试点" in main.inner_text() and "填报立项申请表（附件1）" not in main.inner_text()
        target = main.locator("a", has_text=link).first
        assert target.count(), f"{username}: no link “{link}” on the dashboard"
        with page.expect_navigation() as navigation:
            target.click()
        response = navigation.value
        assert response.status == 200, f"{username} → {link}: HTTP {response.status}"
        assert page.locator('[data-testid="error-page"]').count() == 0
        shot(page, f"newcomer-{username}")
        context.close()

    # The QR code and the printed verification line point at the address served.
    cert = Certificate.objects.filter(holder_user__username=STUDENT_NUMBER, kind="skill").first()
    assert qr.qr_text(cert).startswith(f"{base}/v/{cert.verification_id}#")
    with cert.pdf.open("rb") as handle:
        printed = "".join(page.extract_text() for page in PdfReader(handle).pages)
    assert f"{base}/certificates/verify/" in printed.replace("\n", "")

    page = browser.new_context(base_url=base, locale="zh-CN").new_page()
    # A 404 in Chinese with the site's header, not Django's debug page.
    response = page.goto("/no/such/page/")
    assert response.status == 404
    body = page.locator("body").inner_text()
    assert "页面不存在" in body and "Page not found" not in body and "URLconf" not in body

    # Beijing time on the dashboard.
    run = EvaluationRun.objects.filter(institution__name="安徽工业大学").order_by("-created_at", "-id").first()
    beijing = timezone.localtime(run.created_at).strftime("%Y-%m-%d %H:%M")
    utc = run.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    sign_in(page, "univ", DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")
    dashboard = page.locator("main").inner_text()
    assert beijing in dashboard and utc not in dashboard

    # A tampered QR: the whole status red, the system's record beside it.
    title = Certificate.objects.filter(kind="title", status="valid").order_by("id").first()
    payload = json.loads(keys.b64url_decode(title.qr_payload))
    payload["name"] = "李*"
    forged = keys.b64url(qr.canonical_json(payload))
    page.goto(f"{base}/v/{title.verification_id}#{forged}.{title.qr_signature}")
    page.wait_for_selector('[data-testid="certificate-status"][data-tampered="true"]')
    status = page.locator('[data-testid="certificate-status"]').inner_text()
    assert "二维码签名无效：该证书信息可能被篡改" in status
    assert page.locator('[data-role="record-title"]').inner_text() == "系统中的记录"
    shot(page, "newcomer-tampered-qr")
