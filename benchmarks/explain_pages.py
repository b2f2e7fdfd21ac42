"""EXPLAIN of the slowest pages: seeds a fresh PostgreSQL database at ``SCALE`` (1: 5,000 graduates in one
school's cohort and 20,000 audit rows; 10: ten times that), evaluates the cohort, times the list pages and
dashboards through Django's test client (median of 5), and prints, for the five slowest, the page's query
count and ``EXPLAIN (ANALYZE, BUFFERS)`` of its slowest query, as Markdown for ``docs/performance.md``.

Run from the repository root:  SCALE=10 python benchmarks/explain_pages.py > /tmp/explain.md
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._common import SCALE, SMOKE, fresh_pg_database, manage, pg_available, setup_django  # noqa: E402

PAGES = [  # (label, URL name, username)
    ("university dashboard", "home", "univ"),
    ("provincial dashboard", "home", "prov_hrss"),
    ("graduates (one school)", "evaluation:graduate_list", "univ"),
    ("graduates (all schools)", "evaluation:graduate_list", "admin"),
    ("evaluation runs", "evaluation:run_list", "univ"),
    ("audit log", "audit_log", "admin"),
    ("institutions", "institution_list", "prov_hrss"),
    ("inbox", "inbox", "univ"),
    ("certificates", "certificates:list", "univ"),
    ("filings", "track_b:index", "city_hrss"),
]


def main():
    if not pg_available():
        print("SKIPPED: PostgreSQL not reachable")
        return
    graduates = 200 if SMOKE else 5_000 * SCALE
    with fresh_pg_database("bench_explain", migrated=True) as url:
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "portal.settings"}
        env.pop("PORTAL_TESTING", None)
        env.pop("REDIS_URL", None)
        manage("shell", "-c", "from portal.demo import load_demo; load_demo()", env=env)
        setup_django({"DATABASE_URL": url, "ALLOWED_HOSTS": "testserver"})
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        from benchmarks.bench_cohort import YEAR, seed
        from benchmarks.signin import signed_in
        from evaluation.models import EvaluationRun
        from evaluation.services import cohort
        from portal.models import AuditLog, Institution

        seed(graduates)
        inst = Institution.objects.get(name="安徽工业大学")
        users = get_user_model().objects
        run = EvaluationRun.objects.create(institution=inst, graduation_year=YEAR, started_by=users.get(username="univ"))
        cohort.execute_run(run.pk)
        AuditLog.objects.bulk_create([AuditLog(actor_name="seed", action=f"seed.a{i % 40}") for i in
                                      range(4 * graduates)], batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        rows = []
        for label, name, username in PAGES:
            client = signed_in(users.get(username=username))
            url = reverse(name)
            client.get(url)
            times = []
            for _ in range(5):
                with CaptureQueriesContext(connection) as ctx:
                    start = time.perf_counter()
                    response = client.get(url)
                    times.append(time.perf_counter() - start)
            assert response.status_code == 200, (label, response.status_code)
            slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]))
            rows.append((statistics.median(times), label, url, len(ctx.captured_queries), slowest))
        rows.sort(reverse=True)
        print(f"Pages at SCALE={SCALE} ({graduates:,} graduates in one cohort, {4 * graduates:,} audit rows), "
              "Django test client in one process, median of 5:\n")
        print("| page | URL | median ms | queries |\n|---|---|---|---|")
        for seconds, label, url, count, _q in rows:
            print(f"| {label} | `{url}` | {seconds * 1000:.1f} | {count} |")
        for seconds, label, url, count, query in rows[:5]:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plan = "\n".join(r[0] for r in cursor.fetchall())
            print(f"\n#### {label} — `{url}` ({seconds * 1000:.1f} ms, {count} queries); its slowest query "
                  f"({float(query['time']) * 1000:.1f} ms):\n\n```sql\n{query['sql'][:1500]}\n```\n\n```\n{plan}\n```")


if __name__ == "__main__":
    main()
