"""The busiest dashboard under 16 concurrent clients for 10 s against gunicorn on loopback.

Seeded and repeatable: a fresh PostgreSQL database with the demo data plus volume (institutions,
notifications, audit rows), production settings (persistent connections, Redis-backed sessions),
2 gunicorn workers, load from `wrk`. Prints requests/s, p50, p99 and the SQL queries per dashboard.
Goal (issue 2): ≥ 250 req/s with p99 ≤ 100 ms.
"""

import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._common import ROOT, fresh_pg_database, manage, pg_available  # noqa: E402

DURATION = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = 16
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SEED_SCRIPT = r"""
import random
from benchmarks.signin import signed_in
from django.db import connection
from django.test.utils import CaptureQueriesContext
from portal.demo import load_demo
from portal.models import Institution, Notification, RoleAssignment, User, Role
from portal import audit
from tests.conftest import make_institution

rng = random.Random(42)
load_demo()
for i in range(200):
    make_institution(f"基准学院{i:03d}", city=rng.choice(["3401", "3402", "3405", "3408"]))
busiest = User.objects.get(username="admin")
for role, scope in [(Role.PROVINCIAL_HRSS, {}), (Role.PROVINCIAL_EDUCATION, {}),
                    (Role.UNIVERSITY_STAFF, {"institution": Institution.objects.get(name="安徽工业大学")}),
                    (Role.CITY_HRSS, {"city_id": "3405"}), (Role.EXPERT, {"organisation": "奇瑞汽车"})]:
    RoleAssignment.objects.get_or_create(user=busiest, role=role, **scope)
users = list(User.objects.all())
Notification.objects.bulk_create([Notification(recipient=u, title=f"通知{i}") for u in users for i in range(300)])
for i in range(3000):
    audit.record(actor=rng.choice(users), action="bench.seed")
counts = {}
for user in users:
    c = signed_in(user, HTTP_X_FORWARDED_PROTO="https")
    with CaptureQueriesContext(connection) as ctx:
        r = c.get("/")
    assert r.status_code == 200, (user.username, r.status_code)
    counts[user.username] = len(ctx)
for name in ("prov_hrss", "admin"):
    c = signed_in(User.objects.get(username=name), HTTP_X_FORWARDED_PROTO="https")
    print("SESSION", name, c.cookies["sessionid"].value)
print("QUERIES", " ".join(f"{k}={v}" for k, v in sorted(counts.items())))
"""


def main():
    if not pg_available() or not shutil.which("wrk"):
        print("bench_dashboard: needs PostgreSQL on 127.0.0.1:5432 and wrk (apt-get install wrk); skipped")
        return
    random.seed(42)
    with fresh_pg_database("portal_bench_dashboard") as url, tempfile.TemporaryDirectory() as static_root:
        env = {**os.environ, "DJANGO_ENV": "production", "SECRET_KEY": "bench-" + "k" * 60, "DATABASE_URL": url,
               "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
               "CACHE_KEY_PREFIX": f"bench{os.getpid()}", "STATIC_ROOT": static_root,
               "ALLOWED_HOSTS": "127.0.0.1,testserver,localhost"}
        env.pop("PORTAL_TESTING", None)
        manage("migrate", "--noinput", env=env)
        manage("collectstatic", "--noinput", env=env)
        seeded = manage("shell", "-c", SEED_SCRIPT, env=env).stdout
        sessions = re.findall(r"SESSION (\S+) (\S+)", seeded)
        queries = re.search(r"QUERIES (.*)", seeded).group(1)
        port = free_port()
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "portal.wsgi", "-w", str(WORKERS), "-b",
             f"127.0.0.1:{port}", "--worker-class", "gthread", "--threads", "4", "--log-level", "warning"],
            cwd=ROOT, env=env)
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            results = []
            for name, session in sessions:
                headers = ["-H", f"Cookie: sessionid={session}", "-H", "X-Forwarded-Proto: https"]
                url_home = f"http://127.0.0.1:{port}/"
                subprocess.run(["wrk", "-t1", "-c4", "-d2s", *headers, url_home], capture_output=True)  # warm-up
                out = subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency", *headers,
                                      url_home], capture_output=True, text=True).stdout
                results.append((name, out))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    print(f"dashboard, {CONNECTIONS} clients, {DURATION} s each, gunicorn {WORKERS} workers (gthread x4), "
          f"PostgreSQL + Redis sessions, production settings")
    labels = {"prov_hrss": "省人社厅 (province-wide scope)", "admin": "one person holding 6 roles"}
    for name, out in results:
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
        p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        print(f"  {labels[name]:<32} requests/s: {rps:.0f}   p50: {p50}   p99: {p99}   "
              f"non-2xx: {bad.group(1) if bad else 0}")
    print(f"  SQL queries per dashboard: {queries}")


if __name__ == "__main__":
    main()
