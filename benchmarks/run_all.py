"""`make bench [SCALE=1|10]`: runs every benchmarks/bench_*.py in turn; each prints its figures and records them
with ``benchmarks._common.figure`` (value, reference measured in the same run, ratio, goal, ok).

Writes ``benchmarks/results.json`` (``{"scale", "date", "machine", "figures": {name: {...}}}``) and the table
between the markers in ``docs/performance.md``. ``python benchmarks/run_all.py bench_certificates …`` runs only
the named scripts (their figures replace the same names in an existing results.json).
"""

import json
import os
import platform
import subprocess
import sys
import tempfile
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
from benchmarks._common import migrated_template, pg_available  # noqa: E402

RESULTS = HERE / "results.json"
DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, load {load:.1f} at start"


def table(results):
    lines = [f"Run of {results['date']} at SCALE={results['scale']} on {results['machine']}.", "",
             "| figure | value | reference (same run) | ratio | goal | ok |", "|---|---|---|---|---|---|"]
    for name, f in sorted(results["figures"].items()):
        reference = f"{f['reference']} {f['unit']}" if f.get("reference") is not None else "—"
        ratio = f"{f['ratio']}×" if f.get("ratio") is not None else "—"
        lines.append(f"| `{name}` | {f['value']} {f['unit']} | {reference} | {ratio} | {f['goal']} | "
                     f"{'yes' if f['ok'] else '**no**'} |")
    return "\n".join(lines)


def write_doc(results):
    if not DOC.exists():
        return
    text = DOC.read_text(encoding="utf-8")
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _old, tail = rest.split(END, 1)
        DOC.write_text(f"{head}{BEGIN}\n{table(results)}\n{END}{tail}", encoding="utf-8")


def main(only):
    failed = []
    started, host = datetime.now(UTC), machine()  # the machine's load before the benchmarks add theirs
    # One migrated database for every benchmark of the run to copy, instead of each running the migrations.
    template = migrated_template() if pg_available() else nullcontext()
    with tempfile.TemporaryDirectory() as tmp, template:
        figures_file = Path(tmp) / "figures.jsonl"
        figures_file.touch()
        env = {**os.environ, "BENCH_FIGURES": str(figures_file)}
        for script in sorted(HERE.glob("bench_*.py")):
            if only and script.stem not in only:
                continue
            print(f"== {script.stem}", flush=True)
            if subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env).returncode:
                failed.append(script.stem)
        figures = {}
        for line in figures_file.read_text(encoding="utf-8").splitlines():
            figures.update(json.loads(line))
    previous = json.loads(RESULTS.read_text(encoding="utf-8")).get("figures", {}) if only and RESULTS.exists() else {}
    results = {"scale": int(os.environ.get("SCALE", "1")),
               "date": started.strftime("%Y-%m-%d %H:%M UTC"), "machine": host,
               "figures": {**previous, **figures}}
    if os.environ.get("BENCH_SMOKE") != "1":
        RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        write_doc(results)
    print(table(results))
    if failed:
        sys.exit(f"benchmarks failed: {', '.join(failed)}")


if __name__ == "__main__":
    main(sys.argv[1:])
