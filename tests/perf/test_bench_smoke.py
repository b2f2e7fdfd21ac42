"""Each benchmark behind `make bench` runs at a tiny size (``BENCH_SMOKE=1``) and records its figures, so a broken
benchmark fails `make test`; the figures themselves (timings) are never asserted here."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks._common import pg_available

ROOT = Path(__file__).resolve().parents[2]
# script -> figures it must record (bench_pages has its own module, test_bench_pages_smoke.py).
EXPECTED = {
    "bench_certificates": {"certificate_cpu_ms", "certificate_pdf_kb", "certificate_worker_mb", "certificate_signing_cpu_ms"},
    "bench_cohort": {"cohort_first_run_s", "cohort_rerun_time_ratio", "cohort_rerun_table_ratio"},
    "bench_engine": set(),
    "bench_import": {"import_confirm_2k", "import_http_2k", "import_peak_rss"},
}

pytestmark = [pytest.mark.skipif(not pg_available(), reason="the benchmarks need PostgreSQL"),
              pytest.mark.usefixtures("bench_template")]


@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_benchmark_runs_and_records_its_figures(script, tmp_path):
    figures_file = tmp_path / "figures.jsonl"
    env = {**os.environ, "BENCH_SMOKE": "1", "BENCH_FIGURES": str(figures_file),
           "BENCH_DB_SUFFIX": f"smoke_{os.environ.get('CACHE_KEY_PREFIX', '')}_{os.getpid()}",
           # its own keys in Redis: the benchmark's import batches are numbered from 1 as this worker's are, and
           # their progress keys under the worker's prefix made a test here see another batch's progress
           "CACHE_KEY_PREFIX": f"benchsmoke{os.getpid()}"}
    env.pop("PORTAL_TESTING", None)
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / f"{script}.py")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    recorded = {}
    if figures_file.exists():
        for line in figures_file.read_text(encoding="utf-8").splitlines():
            recorded.update(json.loads(line))
    assert set(recorded) == EXPECTED[script]
    for name, row in recorded.items():
        assert set(row) >= {"value", "unit", "reference", "ratio", "goal", "ok"}, name
        assert isinstance(row["ok"], bool) and row["value"] >= 0
        if row["reference"]:
            assert row["ratio"] == pytest.approx(row["value"] / row["reference"], rel=0.01)


def test_explain_pages_runs():
    env = {**os.environ, "BENCH_SMOKE": "1", "BENCH_DB_SUFFIX": f"smoke_{os.getpid()}"}
    env.pop("PORTAL_TESTING", None)
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "explain_pages.py")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert done.stdout.count("EXPLAIN") == 0 and done.stdout.count("```sql") == 5
