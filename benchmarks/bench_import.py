"""Transcript import on PostgreSQL, measured against a plain COPY of the same rows in the same run.

Why: a registrar's 100,000-row transcript must not hold anyone up (issue #16 item 4). One pipeline serves every
size (``evaluation.importing``: read → check → write with COPY); the figures, each next to its reference:

* ``import_confirm_100k`` — the registrar's "confirm" (``services.imports.confirm_import``, what the Celery task
  runs: replay the rows the preview checked — their HMAC verified —, compare them with what is stored, COPY the
  new rows, all or nothing), rows/s, against ``COPY … FROM STDIN`` of the same 100,000 already-checked rows into
  the same empty table with its indexes and its foreign-key checks (psycopg 3; the checks, deferred to COMMIT by
  Django, are forced with ``SET CONSTRAINTS ALL IMMEDIATE`` inside the timing, since the reference rolls back and
  every import commits; the COPY without them is printed too). Goal: ≥ 0.4× COPY.
* ``import_http_100k`` — the whole thing as a user does it over HTTP: upload (multipart), the preview (a
  Celery task for a file this size, run eagerly in the same process so that its cost is counted), the poll of
  the progress, the preview page, confirm (its Celery task, likewise eager), the result page — through Django's full request stack
  (``django.test.Client``: middleware, sessions, CSRF, templates; no socket). Goal: ≥ 0.25× COPY.
* ``import_peak_rss`` — peak RSS of the process that previews and confirms 100,000 rows, MB (it includes
  Django's start-up, ~60 MB). Goal: < 300 MB.

Seeded and repeatable: one CSV (random.Random(42)) shaped like a registrar's export (UTF-8 with BOM, Chinese
headers) in a fresh PostgreSQL database. Each measurement runs in its own process so that its peak RSS is its
own. ``figures()`` returns ``{name: {value, unit, reference, ratio, goal, ok}}``; run as a script (``run_all``
does) it records them with ``benchmarks._common.figure`` (printed, and gathered into ``benchmarks/results.json``).
``BENCH_SMOKE=1`` uses 2,000 rows (the smoke run of the test suite proves the benchmark still works).

Run from the repository root:  python benchmarks/bench_import.py [ROWS]
Needs PostgreSQL (BENCH_PG_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._common import ROOT, figure, fresh_pg_database, manage, pg_available  # noqa: E402

INSTITUTION = "安徽工业大学"
PLACES = ["340503", "340504", "340506", "340521", "340522", "340523", "340102", "340104", "340111", "340202",
          "340207", "340209", "341002", "341202", "340881", "340321", "341122", "341502"]
MAJORS = ["车辆工程", "机械设计制造及其自动化", "电气工程及其自动化", "自动化", "材料成型及控制工程", "软件工程",
          "计算机科学与技术", "冶金工程", "新能源科学与工程", "智能制造工程"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰飞鹏辉浩宇轩然子涵梓萱一诺欣怡博文思雨"
EMPLOYERS = ["马鞍山钢铁股份有限公司", "奇瑞汽车股份有限公司", "江淮汽车集团股份有限公司", "蔚来汽车科技（安徽）有限公司",
             "科大讯飞股份有限公司", "中国十七冶集团有限公司", "安徽海螺集团有限责任公司"]


def ric(rng: random.Random, gender: str) -> str:
    from portal.identifiers import ric_check_digit

    birth = f"{rng.randint(2000, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    seq = rng.randint(0, 99) * 10 + rng.choice((1, 3, 5, 7, 9) if gender == "男" else (0, 2, 4, 6, 8))
    body = f"{rng.choice(PLACES)}{birth}{seq:03d}"
    return body + ric_check_digit(body)


def unique(seen, make):
    value = make()
    while value in seen:
        value = make()
    seen.add(value)
    return value


def transcript_rows(n: int, seed: int = 42, *, year: int = 2025, prefix: str = "2021"):
    """Header + ``n`` rows as a registrar exports them (Chinese headers and values)."""
    from evaluation.importing.columns import COLUMNS

    rng = random.Random(seed)
    yield [c.header for c in COLUMNS]
    seen = set()  # one person, one record per school and cohort: ID numbers are unique in the file
    for i in range(n):
        gender = rng.choice("男女")
        degree = rng.choices(["本科", "专科", "硕士研究生"], weights=[70, 26, 4])[0]
        employed = rng.random() < 0.85
        has_diploma = rng.random() < 0.97
        yield [
            INSTITUTION if i % 3 == 0 else "",
            f"{prefix}{i:07d}",
            rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else ""),
            gender,
            unique(seen, lambda g=gender: ric(rng, g)),
            str(year),
            degree,
            rng.choice(MAJORS),
            "是" if rng.random() < 0.8 else "否",
            "是" if has_diploma else "否",
            f"103601{year}{'05' if degree == '本科' else '06' if degree == '专科' else '02'}{i:06d}" if has_diploma else "",
            "是" if degree != "专科" and rng.random() < 0.95 else "否",
            f"103604{year}{i:07d}" if degree != "专科" else "",
            rng.choice(["0", "0.5", "1", "2", "3", "4", "6", "12", "18"]),
            "" if rng.random() < 0.1 else f"{rng.uniform(1, 100):.1f}",
            rng.choice(["优秀", "良好", "中等", "及格", "良好"]),
            rng.choice(["0", "1", "2", "2", "3"]),
            "合格",
            rng.choices(["优秀", "良好", "合格", "不合格"], weights=[20, 70, 9, 1])[0],
            "合格",
            "已完成",
            rng.choice(EMPLOYERS) if employed else "",
            "是" if employed and rng.random() < 0.95 else "否",
            "是" if employed and rng.random() < 0.9 else "否",
            "是" if employed and rng.random() < 0.95 else "否",
            f"{year}-07-{rng.randint(1, 31):02d}" if employed else "",
        ]


def write_transcript(path: Path, n: int, seed: int = 42, **kwargs) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(transcript_rows(n, seed, **kwargs))
    return path


# --- one measurement, in a child process -----------------------------------------------------------


def _rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(kind: str, file: str) -> None:
    from benchmarks._common import setup_django

    setup_django({})
    {"copy": _child_copy, "confirm": _child_confirm, "http": _child_http}[kind](file)


def _child_copy(file: str) -> None:
    """The reference: ``COPY … FROM STDIN`` of the same rows, already checked, into the same empty table."""
    from django.core.files import File
    from django.db import connection, transaction
    from django.utils import timezone

    from evaluation.importing.columns import FIELDS
    from evaluation.importing.read import read_table
    from evaluation.services.imports import scope_for
    from portal.models import User

    staff = User.objects.get(username="univ")
    with open(file, "rb") as handle:
        table = read_table(File(handle, name="transcript.csv"))
    result = scope_for(staff).checker(table.headers).check(table.rows, table.first_row)
    assert result.ok, result.errors[:5]
    now = timezone.now()
    lines = []
    for record in result.records:
        cells = ["\\N" if v is None else "t" if v is True else "f" if v is False else str(v).replace("\\", "\\\\")
                 for v in record]
        lines.append("\t".join([*cells, now.isoformat(), now.isoformat()]))
    data = ("\n".join(lines) + "\n").encode()
    del result, lines
    with transaction.atomic():
        with connection.cursor() as cursor:
            start = time.perf_counter()
            with cursor.cursor.copy(f"COPY evaluation_graduate ({', '.join(FIELDS)}, created_at, updated_at) "
                                    "FROM STDIN") as copy:
                copy.write(data)
            unchecked = time.perf_counter() - start
            # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: their checks (one per row) run at COMMIT,
            # which this rolled-back reference never reaches, while every real import commits and pays them.
            # Checked here, inside the timing, so that the reference is a COPY that could be kept.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            seconds = time.perf_counter() - start
            cursor.execute("SELECT count(*) FROM evaluation_graduate")
            rows = cursor.fetchone()[0]
        transaction.set_rollback(True)
    print(json.dumps({"rows": rows, "seconds": seconds, "unchecked_seconds": unchecked, "rss_mb": _rss_mb()}))


def _child_confirm(file: str) -> None:
    """The registrar's two clicks as services: upload (preview, a dry run) then confirm (timed)."""
    from django.core.files import File

    from evaluation.services.imports import confirm_import, upload_transcript
    from portal.models import User

    staff = User.objects.get(username="univ")
    with open(file, "rb") as handle:
        start = time.perf_counter()
        batch = upload_transcript(actor=staff, upload=File(handle, name="transcript.csv"), background=False)
        previewed = time.perf_counter()
    assert batch.error_count == 0, batch.errors[:5]
    confirm_start = time.perf_counter()
    batch = confirm_import(batch=batch, actor=staff)
    end = time.perf_counter()
    print(json.dumps({"rows": batch.rows, "seconds": end - confirm_start, "preview": previewed - start,
                      "rss_mb": _rss_mb(), "new": batch.new, "updated": batch.updated, "unchanged": batch.unchanged,
                      "warnings": batch.warning_count}))


def _child_http(file: str) -> None:
    """Upload, preview (Celery, eager), poll, preview page, confirm, result page — over the request stack."""
    from celery import current_app
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from benchmarks.signin import signed_in
    from evaluation.models import ImportBatch
    from portal.models import User

    current_app.conf.task_always_eager = True  # the worker's work, counted in this process
    host = next((h for h in settings.ALLOWED_HOSTS if h and h[0] not in ".*"), "localhost")
    client = signed_in(User.objects.get(username="univ"), HTTP_HOST=host)
    content = Path(file).read_bytes()
    # A served worker has its URLconf, views and templates loaded before a registrar uploads: open the upload
    # page first (as the registrar does), so that the first request's imports (~2 s of module loading for the
    # whole URLconf) are not counted as import time.
    assert client.get(reverse("evaluation:import_start"), secure=True).status_code == 200
    start = time.perf_counter()
    response = client.post(reverse("evaluation:import_start"), {
        "file": SimpleUploadedFile("transcript.csv", content, content_type="text/csv"), "graduation_year": "2025",
        "kind": "full"}, secure=True)
    assert response.status_code == 302, response.status_code
    batch = ImportBatch.objects.latest("pk")
    progress = client.get(reverse("evaluation:import_progress", args=[batch.pk]), secure=True).json()
    assert progress["finished"], progress
    assert client.get(reverse("evaluation:import_detail", args=[batch.pk]), secure=True).status_code == 200
    response = client.post(reverse("evaluation:import_confirm", args=[batch.pk]), {"accept_changes": "on"},
                           secure=True, follow=True)
    end = time.perf_counter()
    batch.refresh_from_db()
    assert response.status_code == 200 and batch.status == ImportBatch.Status.IMPORTED, (batch.status, batch.errors)
    print(json.dumps({"rows": batch.rows, "seconds": end - start, "rss_mb": _rss_mb(), "new": batch.new}))


def _measure(env, kind, file):
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--file", str(file)], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{kind} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _figure(value, unit, reference, goal, ok):
    return {"value": round(value, 3), "unit": unit, "reference": None if reference is None else round(reference, 3),
            "ratio": None if not reference else round(value / reference, 3), "goal": goal, "ok": bool(ok)}


def figures(rows: int | None = None) -> dict:
    """Measures the import figures in one run; {name: {value, unit, reference, ratio, goal, ok}}."""
    smoke = os.environ.get("BENCH_SMOKE") == "1"
    rows = rows or (2_000 if smoke else 100_000)
    if not pg_available():
        raise RuntimeError("PostgreSQL not reachable (set BENCH_PG_ADMIN_URL)")
    label = "100k" if rows == 100_000 else f"{rows // 1000}k" if rows % 1000 == 0 else str(rows)
    with tempfile.TemporaryDirectory() as tmp, fresh_pg_database(f"bench_import_{os.getpid()}", migrated=True) as url:
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "portal.settings", "MEDIA_ROOT": tmp}
        env.pop("PORTAL_TESTING", None)
        manage("shell", "-c", "from portal.demo import load_demo; load_demo()", env=env)
        manage("shell", "-c", "from evaluation.models import Graduate; Graduate.objects.all().delete()", env=env)
        from benchmarks._common import setup_django

        setup_django({"DATABASE_URL": url})
        file = write_transcript(Path(tmp) / "transcript.csv", rows)
        size = file.stat().st_size / 1024 / 1024
        print(f"transcript: {rows:,} rows, {size:.1f} MB CSV (UTF-8 BOM, Chinese headers), seed 42, PostgreSQL, "
              f"Python {sys.version.split()[0]}", flush=True)
        copy = _measure(env, "copy", file)
        confirm = _measure(env, "confirm", file)
        manage("shell", "-c", "from evaluation.models import Graduate; Graduate.objects.all().delete()", env=env)
        http = _measure(env, "http", file)
    assert copy["rows"] == confirm["new"] == http["new"] == rows, (copy, confirm, http)
    copy_rate = rows / copy["seconds"]
    confirm_rate = rows / confirm["seconds"]
    http_rate = rows / http["seconds"]
    print(f"COPY of the checked rows: {copy_rate:,.0f} rows/s ({copy['seconds']:.2f} s with the foreign-key checks, "
          f"{copy['unchecked_seconds']:.2f} s without); confirm {confirm_rate:,.0f} "
          f"rows/s ({confirm['seconds']:.2f} s; its preview {confirm['preview']:.2f} s, {confirm['warnings']} "
          f"warnings); HTTP upload+preview+confirm {http_rate:,.0f} rows/s ({http['seconds']:.2f} s)", flush=True)
    return {
        f"import_confirm_{label}": _figure(confirm_rate, "rows/s", copy_rate, "≥ 0.4× COPY of the same rows",
                                           confirm_rate >= 0.4 * copy_rate),
        f"import_http_{label}": _figure(http_rate, "rows/s", copy_rate,
                                        "≥ 0.25× COPY of the same rows (upload + preview + confirm)",
                                        http_rate >= 0.25 * copy_rate),
        "import_peak_rss": _figure(max(confirm["rss_mb"], http["rss_mb"]), "MB", None,
                                   "< 300 MB (preview + confirm of the file)",
                                   max(confirm["rss_mb"], http["rss_mb"]) < 300),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", nargs="?", type=int, default=None)
    parser.add_argument("--child")
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.file)
        return
    if not pg_available():
        print("SKIPPED: PostgreSQL not reachable (set BENCH_PG_ADMIN_URL)")
        return
    for name, f in figures(args.rows).items():
        figure(name, value=f["value"], unit=f["unit"], reference=f["reference"], goal=f["goal"], ok=f["ok"])

if __name__ == "__main__":
    main()
