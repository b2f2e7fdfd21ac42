"""axe-core on every page of the access matrix (issue 18; WCAG 2.0 and 2.1, levels A and AA — the level of
GB/T 37668-2019 the portal targets): each GET URL pattern once at 390 px as a role allowed to see it, each role's
dashboard also at 1280 px. Any violation fails. The same pages may not scroll sideways at 320 px (WCAG 1.4.10),
and on a 390 px phone Tab reaches 退出 from each role's dashboard (through the ☰ button, WCAG 2.1.1)."""

from pathlib import Path

import pytest

from tests.a11y.pages import dashboards, opened, outside_event_loop, pages

pytestmark = pytest.mark.e2e

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help}\\n      ` +
    v.nodes.slice(0, 5).map(n => n.target.join(" ") + " — " + n.failureSummary.replace(/\\s+/g, " ")).join("\\n      "));
}"""
WIDER_THAN_VIEWPORT = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# The innermost elements reaching past the right edge (for the failure message: what to fix).
TOO_WIDE = """() => {
  const edge = document.documentElement.clientWidth;
  const wide = [...document.body.querySelectorAll("*")].filter(el => el.getBoundingClientRect().right > edge + 1);
  return wide.filter(el => !wide.some(other => other !== el && el.contains(other))).slice(0, 5)
    .map(el => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : "") +
         " " + Math.round(el.getBoundingClientRect().right) + " px");
}"""


def _open_html(portal, width, page):
    """Opens ``page`` in the browser (within the caller's world); None if it is not an HTML page."""
    world_url_client = page
    world, url, client = world_url_client
    response = outside_event_loop(client.get, url)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return None
    browser_page = portal.page
    portal.serve(client)
    browser_page.goto(url)
    return browser_page


def _axe(browser_page):
    browser_page.evaluate(AXE)
    return browser_page.evaluate(RUN_AXE, TAGS)


@pytest.fixture
def phone(portal):
    return portal(390, 844)


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.label)
def test_page_passes_axe_at_390_px_and_fits_320_px(page, db, phone):
    with opened(page) as opened_page:
        browser_page = _open_html(phone, 390, opened_page)
        if browser_page is None:
            pytest.skip("not an HTML page")
        violations = _axe(browser_page)
        browser_page.set_viewport_size({"width": 320, "height": 640})
        overflow = browser_page.evaluate(WIDER_THAN_VIEWPORT)
        too_wide = browser_page.evaluate(TOO_WIDE) if overflow > 0 else []
    assert not violations, f"{page.label} as {page.role} at 390 px:\n  " + "\n  ".join(violations)
    assert overflow <= 0, f"{page.label} as {page.role} scrolls sideways by {overflow} px at 320 px: {too_wide}"


@pytest.mark.parametrize("page", dashboards(), ids=lambda p: p.label)
def test_dashboard_passes_axe_at_1280_px(page, db, portal):
    desktop = portal(1280)
    with opened(page) as opened_page:
        violations = _axe(_open_html(desktop, 1280, opened_page))
    assert not violations, f"{page.label} at 1280 px:\n  " + "\n  ".join(violations)


TAB_TO_LOGOUT = """() => {
  const el = document.activeElement;
  return el && el.textContent.trim() === "退出" ? "logout" : el && el.classList.contains("nav-toggle") ? "toggle" : "";
}"""


@pytest.mark.parametrize("page", dashboards(), ids=lambda p: p.label)
def test_tab_reaches_logout_on_a_phone(page, db, phone):
    with opened(page) as opened_page:
        browser_page = _open_html(phone, 390, opened_page)
        reached = False
        for _ in range(60):
            browser_page.keyboard.press("Tab")
            where = browser_page.evaluate(TAB_TO_LOGOUT)
            if where == "toggle" and browser_page.get_attribute(".nav-toggle", "aria-expanded") == "false":
                browser_page.keyboard.press("Enter")
            if where == "logout":
                reached = True
                break
    assert reached, f"Tab never reached 退出 on the {page.label} at 390 px"
