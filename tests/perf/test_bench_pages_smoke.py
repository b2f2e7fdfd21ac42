"""`benchmarks/bench_pages.py` at a tiny size (``BENCH_SMOKE=1``): gunicorn with 4 workers, wrk against every page
and the bare reference view, each page checked to answer 200 to its user first; a broken benchmark fails here.
The figures themselves (timings) are never asserted, only that each is recorded next to its reference."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks._common import pg_available
from benchmarks.bench_pages import PAGES

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.skipif(not pg_available(), reason="the benchmark needs PostgreSQL"),
              pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the benchmark serves with Redis"),
              pytest.mark.usefixtures("bench_template")]


def test_bench_pages_runs_and_records_every_page(tmp_path):
    assert shutil.which("wrk"), "wrk is installed by make test (TEST_PKGS)"
    figures_file = tmp_path / "figures.jsonl"
    env = {**os.environ, "BENCH_SMOKE": "1", "BENCH_FIGURES": str(figures_file), "SCALE": "1",
           "BENCH_DB_SUFFIX": f"smoke_{os.environ.get('CACHE_KEY_PREFIX', '')}_{os.getpid()}"}
    env.pop("PORTAL_TESTING", None)
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_pages.py")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    recorded = {}
    for line in figures_file.read_text(encoding="utf-8").splitlines():
        recorded.update(json.loads(line))
    assert set(recorded) == {f"page_{name}_rps" for name, _url, _user in PAGES} | {"verify_public_rps"}
    for name, row in recorded.items():
        assert row["value"] > 0 and row["reference"] > 0, name
        assert row["ratio"] == pytest.approx(row["value"] / row["reference"], rel=0.01)
