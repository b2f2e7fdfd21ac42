"""The API docs page (issue 17 item 2) in a real browser: Swagger UI from the portal's own files renders every
operation under the portal's Content-Security-Policy, and the page asks nothing of another host."""

from urllib.parse import urlsplit

from tests.e2e.conftest import shot


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
