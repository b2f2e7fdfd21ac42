"""The API docs page (issue 17 item 2) in a real browser: Swagger UI from the portal's own files renders every
operation under the portal's Content-Security-Policy, and the page asks nothing of another host."""

from urllib.parse import urlsplit

from tests.a11y.test_axe import AXE
from tests.e2e.conftest import shot, sign_in

RUN_RULES = """async (rules) => {
  const result = await axe.run(document, {runOnly: {type: "rule", values: rules}, resultTypes: ["violations"]});
  return result.violations.map(v => v.id + ": " + v.nodes.slice(0, 5).map(n => n.target.join(" ") + " " +
    n.failureSummary.replace(/\\s+/g, " ")).join(" | "));
}"""


def test_docs_render_offline_under_the_csp(transactional_db, page, live_server):
    own = urlsplit(live_server.url).netloc
    elsewhere, errors = [], []
    page.on("request", lambda r: urlsplit(r.url).netloc not in (own, "") and elsewhere.append(r.url))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto("/api/v1/docs")
    page.locator(".swagger-ui .info .title").filter(has_text="一试三证").wait_for()
    page.get_by_text("/api/v1/school/imports", exact=True).first.wait_for()
    assert page.get_by_text("/api/v1/office/assessment-results.jsonl", exact=True).count() == 1
    shot(page, "api-docs")
    assert elsewhere == []
    assert not [e for e in errors if "Content Security Policy" in e], errors
    # its language, a heading and Swagger's colours at ≥ 4.5:1 (the accessibility audit of 2026-12-07)
    page.evaluate(AXE)
    violations = page.evaluate(RUN_RULES, ["html-has-lang", "html-lang-valid", "page-has-heading-one",
                                           "color-contrast"])
    assert not violations, violations


def test_school_staff_make_and_revoke_a_token_on_a_phone(transactional_db, phone):
    from portal.models import Role
    from tests.conftest import PASSWORD, make_institution, make_user

    school = make_institution("安徽工业大学", uscc_body="12340000485960317")
    make_user("token_staff", Role.UNIVERSITY_STAFF, institution=school)
    sign_in(phone, "token_staff", PASSWORD)
    phone.wait_for_url("**/")
    phone.get_by_role("link", name="接口令牌").click()
    phone.get_by_label("用途说明").fill("教务系统同步成绩单")
    phone.get_by_label("读写（含上传成绩单、确认导入）").check()
    phone.get_by_role("button", name="创建令牌").click()
    secret = phone.locator("code.token-secret").inner_text()
    assert secret.startswith("yssz_")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "api-token-created-390")
    phone.goto("/api/tokens/")
    assert phone.locator("code.token-secret").count() == 0  # shown once
    phone.get_by_role("button", name="吊销").click()
    phone.get_by_text("已吊销令牌").wait_for()
    assert phone.get_by_role("cell", name="已吊销", exact=False).count() == 1
