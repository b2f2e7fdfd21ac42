"""Transcript import on PostgreSQL: the fast path (COPY + upsert) against django-import-export's default path.

Why: a registrar's 100,000-row transcript must not take minutes (issue 3 §6). Goal for the fast path:
>= 50,000 validated rows/s for 100,000 rows with peak RSS < 300 MB, every check of the preview kept
(ID checksum and birth date, ranges, vocabularies, institution scope, duplicates).

Seeded and repeatable: one CSV (random.Random(42)) shaped like a registrar's export (UTF-8 with BOM,
Chinese headers) in a fresh PostgreSQL database. Each measurement runs in its own process so that its
peak RSS is its own; the figure includes Django's start-up (~60 MB). The fast path is timed as the
registrar's "confirm" click (``services.imports.confirm_import``: read + every check + write, all or
nothing); the preview before it is reported too. The default path is what django-import-export does
in the admin (tablib + ``GraduateResource`` row by row) — slow enough that ``--default-rows`` may cap
it to the first N rows of the same file.

Run from the repository root:  python benchmarks/bench_import.py [ROWS] [--default-rows N]
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
from benchmarks._common import ROOT, fresh_pg_database, manage, pg_available  # noqa: E402

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


def transcript_rows(n: int, seed: int = 42, *, year: int = 2025, prefix: str = "2021"):
    """Header + ``n`` rows as a registrar exports them (Chinese headers and values)."""
    from evaluation.transcripts import COLUMNS

    rng = random.Random(seed)
    yield [c.header for c in COLUMNS]
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
            ric(rng, gender),
            str(year),
            degree,
            rng.choice(MAJORS),
            "是" if rng.random() < 0.8 else "否",
            "是" if has_diploma else "否",
            f"10360{year}{i:07d}" if has_diploma else "",
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


def _child(path_kind: str, file: str, rows_limit: int | None) -> None:
    from benchmarks._common import setup_django

    setup_django({})
    if path_kind == "fast":
        _child_fast(file)
    else:
        _child_default(file, rows_limit)


def _rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child_fast(file: str) -> None:
    """Exactly what the registrar's two clicks do: upload (preview, a dry run) then confirm."""
    from django.core.files import File

    from evaluation.services.imports import confirm_import, upload_transcript
    from portal.models import User

    staff = User.objects.get(username="univ")
    with open(file, "rb") as handle:
        start = time.perf_counter()
        batch = upload_transcript(actor=staff, upload=File(handle, name="transcript.csv"))
        previewed = time.perf_counter()
    assert batch.error_count == 0 and batch.path == "fast", (batch.path, batch.errors[:5])
    preview_rss = _rss_mb()
    confirm_start = time.perf_counter()
    batch = confirm_import(batch=batch, actor=staff)
    end = time.perf_counter()
    print(json.dumps({"rows": batch.rows, "seconds": end - confirm_start, "preview": previewed - start,
                      "rss_mb": _rss_mb(), "preview_rss_mb": preview_rss, "new": batch.new,
                      "updated": batch.updated, "unchanged": batch.unchanged}))


def _child_default(file: str, rows_limit: int | None) -> None:
    """What the Django admin's import does: tablib reads the file, GraduateResource checks (the same
    Checker, in before_import_row) and saves row by row, skipping unchanged rows."""
    from django.db import transaction
    from import_export.formats.base_formats import CSV

    from evaluation.resources import GraduateResource
    from portal.models import Institution

    inst = Institution.objects.get(name=INSTITUTION)
    scope = {"institutions": {inst.pk: (inst.name, inst.uscc)}, "default_institution": inst.pk, "restricted": True}
    start = time.perf_counter()
    with open(file, encoding="utf-8-sig") as handle:
        dataset = CSV().create_dataset(handle.read())
    if rows_limit:
        del dataset[rows_limit:]
    with transaction.atomic():
        outcome = GraduateResource(**scope).import_data(dataset, dry_run=False, use_transactions=True,
                                                        rollback_on_validation_errors=True)
    end = time.perf_counter()
    assert not outcome.has_errors() and not outcome.has_validation_errors()
    t = outcome.totals
    print(json.dumps({"rows": len(dataset), "seconds": end - start, "rss_mb": _rss_mb(), "new": t["new"],
                      "updated": t["update"], "unchanged": t["skip"]}))


def _measure(env, kind, file, rows_limit=None):
    args = [sys.executable, __file__, "--child", kind, "--file", str(file)]
    if rows_limit:
        args += ["--rows-limit", str(rows_limit)]
    out = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{kind} path failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _report(label, r):
    extra = f"; preview (dry run) {r['preview']:.2f} s, RSS {r['preview_rss_mb']:.0f} MB" if "preview" in r else ""
    print(f"{label:<46} {r['rows']:>8,} rows  {r['rows'] / r['seconds']:>9,.0f} rows/s  ({r['seconds']:.2f} s)  "
          f"peak RSS {r['rss_mb']:.0f} MB  new/updated/unchanged {r['new']}/{r['updated']}/{r['unchanged']}{extra}",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", nargs="?", type=int, default=100_000)
    parser.add_argument("--default-rows", type=int, default=None,
                        help="rows for django-import-export's default path (default: the whole file)")
    parser.add_argument("--child")
    parser.add_argument("--file")
    parser.add_argument("--rows-limit", type=int)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.file, args.rows_limit)
        return
    if not pg_available():
        print("SKIPPED: PostgreSQL not reachable (set BENCH_PG_ADMIN_URL)")
        return
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp, fresh_pg_database("bench_import") as url:
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "portal.settings", "MEDIA_ROOT": tmp}
        env.pop("PORTAL_TESTING", None)
        manage("migrate", "--noinput", env=env)
        manage("shell", "-c", "from portal.demo import load_demo; load_demo()", env=env)
        from benchmarks._common import setup_django

        setup_django({"DATABASE_URL": url})
        file = write_transcript(Path(tmp) / "transcript.csv", args.rows)
        size = file.stat().st_size / 1024 / 1024
        print(f"transcript: {args.rows:,} rows, {size:.1f} MB CSV (UTF-8 BOM, Chinese headers), seed 42, "
              f"PostgreSQL, Python {sys.version.split()[0]}")
        _report("fast path (confirm), first import: all new", _measure(env, "fast", file))
        _report("fast path (confirm), same file again: unchanged", _measure(env, "fast", file))
        manage("shell", "-c", "from evaluation.models import Graduate; Graduate.objects.all().delete()", env=env)
        _report("django-import-export default path, first import", _measure(env, "default", file, args.default_rows))
        print("goal: fast path >= 50,000 validated rows/s for 100,000 rows, peak RSS < 300 MB")


if __name__ == "__main__":
    main()
