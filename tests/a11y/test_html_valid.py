"""The rendered HTML of every page is valid HTML (issue 18; WCAG 4.1.1, GB/T 37668): each GET URL pattern of the
access matrix as a role allowed to see it, and each role's dashboard, rendered by Django's test client and
checked in one run of the Nu HTML Checker (vnu.jar from the npm package vnu-jar; `make test` fetches it into
.cache/ and installs Java). Any error fails; warnings do not."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.a11y.pages import body, dashboards, opened, pages

ROOT = Path(__file__).resolve().parents[2]


def _vnu_jar():
    found = os.environ.get("VNU_JAR") or next(iter(sorted((ROOT / ".cache").glob("vnu-*/vnu.jar"))), None)
    if not found or not Path(found).exists() or not shutil.which("java"):
        pytest.fail("The Nu HTML Checker needs vnu.jar and Java: run `make test` (it fetches vnu-jar from the npm "
                    "registry into .cache/ and installs default-jre-headless), or set VNU_JAR")
    return str(found)


def test_every_page_is_valid_html(db, tmp_path):
    jar = _vnu_jar()
    rendered = {}
    for number, page in enumerate(pages() + dashboards()):
        with opened(page) as (_world, url, client):
            response = client.get(url)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                path = tmp_path / f"page{number:03d}.html"
                path.write_bytes(body(response))
                rendered[path.name] = f"{page.label} as {page.role} ({url})"
    assert len(rendered) > 50, rendered  # the matrix's pages, not an empty run
    run = subprocess.run(["java", "-jar", jar, "--errors-only", "--format", "json",
                          *sorted(str(tmp_path / name) for name in rendered)], capture_output=True, text=True,
                         timeout=600)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [f"{rendered.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))} line {m.get('lastLine')}: "
              f"{m['message']}"
              for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)
