"""Pages under load, each next to a bare Django view measured in the same run, at 1× and (SCALE=10) 10× data.

Issue #16 items 2–3: every dashboard and list ≥ 250 req/s with p99 ≤ 100 ms at 16 clients on 4 gunicorn workers,
the same page at 10× data within 20% of its 1× figure, and the public verification page ≥ 1,000 req/s.

Pages are measured as users get them when they look again and nothing has changed: from ``portal.pagecache``
(per session, until the next write). The same pages with that cache off are measured and printed too, at 1×, as
the cost of the first view after a change (no goal).

How: a fresh PostgreSQL database with the demo data, production settings (persistent connections, Redis cache and
sessions, DEBUG off), ``gunicorn -w 4`` (the repository's gunicorn.conf.py: recycling with jitter) on loopback and
``wrk`` (16 connections, ``BENCH_SECONDS`` each, after a short warm-up) against each page as the role that uses it.
The reference is a bare Django view on the same server, stack and database that lists 200 graduates through a
template (``benchmarks/urls.py``, served only by ``benchmarks/wsgi.py``). Data at 1×: the demo, 50 more
institutions, 5,000 graduates in one school's evaluated cohort, 20,000 audit rows; at 10×, grown in place to
500 institutions, 50,000 graduates and 200,000 audit rows, then every page is measured again.

Figures: ``page_<name>_rps`` (ratio to the reference; ok when ≥ 250 req/s and p99 ≤ 100 ms),
``page_<name>_10x`` (req/s at 10× against the same page at 1×; ok when ≥ 0.8×), ``verify_public_rps`` (ok when
≥ 1,000 req/s). ``BENCH_SMOKE=1``: 200 graduates, one-second runs (the test suite's smoke run).

Run from the repository root:  SCALE=10 python benchmarks/bench_pages.py
"""

import http.client
import json
import os
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
from benchmarks._common import ROOT, SCALE, SMOKE, figure, fresh_pg_database, manage, pg_available  # noqa: E402

DURATION = 1 if SMOKE else int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = 16
WORKERS = 4
GRADUATES = 200 if SMOKE else 5_000
INSTITUTIONS = 5 if SMOKE else 50
REFERENCE = "/_bench/reference/"

PAGES = [  # (figure name, URL or URL name, username or "" for anonymous)
    ("dashboard_university", "home", "univ"),
    ("dashboard_province", "home", "prov_hrss"),
    ("dashboard_city", "home", "city_hrss"),
    ("graduates_school", "evaluation:graduate_list", "univ"),
    ("graduates_all", "evaluation:graduate_list", "admin"),
    ("evaluation_runs", "evaluation:run_list", "univ"),
    ("audit_log", "audit_log", "admin"),
    ("institutions", "institution_list", "prov_hrss"),
    ("certificates", "certificates:list", "univ"),
    ("filings", "track_b:index", "city_hrss"),
    ("inbox", "inbox", "univ"),
]

# Runs in `manage.py shell` with the server's settings: grows the data to `total` graduates, `institutions` more
# institutions and 4 audit rows per graduate, evaluates the cohort, and prints the URLs and session cookies.
GROW_SCRIPT = r"""
import json, random
from django.db import connection
from django.urls import reverse
from benchmarks.bench_cohort import YEAR, seed
from benchmarks.signin import signed_in
from certificates.models import Certificate
from evaluation.models import EvaluationRun, Graduate
from evaluation.services import cohort
from portal.models import AuditLog, Institution, User
from tests.conftest import make_institution

spec = json.loads(%(spec)r)
inst = Institution.objects.get(name="安徽工业大学")
have = Graduate.objects.filter(institution=inst, graduation_year=YEAR).count()
if spec["graduates"] > have:
    seed(spec["graduates"] - have)
rng = random.Random(spec["graduates"])
start = Institution.objects.filter(name__startswith="基准学院").count()
for i in range(start, spec["institutions"]):
    make_institution(f"基准学院{i:04d}", city=rng.choice(["3401", "3402", "3405", "3408"]))
audit_rows = 4 * spec["graduates"] - AuditLog.objects.filter(actor_name="seed").count()
AuditLog.objects.bulk_create([AuditLog(actor_name="seed", action=f"seed.a{i %% 40}") for i in range(audit_rows)],
                             batch_size=5000)
run = EvaluationRun.objects.create(institution=inst, graduation_year=YEAR, started_by=User.objects.get(username="univ"))
cohort.execute_run(run.pk)
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
out = {"pages": {}, "sessions": {}}
for name, target, username in spec["pages"]:
    out["pages"][name] = target if target.startswith("/") else reverse(target)
    if username and username not in out["sessions"]:
        out["sessions"][username] = signed_in(User.objects.get(username=username),
                                              HTTP_X_FORWARDED_PROTO="https").cookies["sessionid"].value
certificate = Certificate.objects.filter(status="valid").order_by("pk").first()
out["verify"] = reverse("certificate_verify_link", args=[certificate.verification_id])
out["counts"] = {"graduates": Graduate.objects.count(), "institutions": Institution.objects.count(),
                 "audit": AuditLog.objects.count()}
print("GROWN " + json.dumps(out))
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def grow(env, graduates, institutions):
    spec = {"graduates": graduates, "institutions": institutions, "pages": PAGES}
    out = manage("shell", "-c", GROW_SCRIPT % {"spec": json.dumps(spec)}, env=env).stdout
    return json.loads(re.search(r"GROWN (.*)", out).group(1))


def load(port, path, session="", *, many_clients=False):
    """wrk against one URL: (requests/s, p99 ms, non-2xx/3xx responses); ``many_clients``: each request from
    another address (``many_clients.lua``)."""
    headers = ["-H", "X-Forwarded-Proto: https", "-H", "Host: 127.0.0.1"]
    if session:
        headers += ["-H", f"Cookie: sessionid={session}"]
    url = f"http://127.0.0.1:{port}{path}"
    # wrk counts a redirect as a success: the page must answer 200 to this user, or the figures mean nothing.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers=dict(h.split(": ", 1) for h in headers[1::2]))
    status = connection.getresponse().status
    connection.close()
    if status != 200:
        raise RuntimeError(f"{path} answered {status}, not 200")
    script = ["-s", str(Path(__file__).with_name("many_clients.lua"))] if many_clients else []
    if not SMOKE:  # the smoke run proves the benchmark works; its figures mean nothing, warmed or not
        subprocess.run(["wrk", "-t1", "-c4", "-d2s", *script, *headers, url], capture_output=True)  # warm-up
    out = subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency", *script, *headers, url],
                         capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p99, int(bad.group(1)) if bad else 0


def serve(env):
    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "benchmarks.wsgi", "-c",
                               str(ROOT / "gunicorn.conf.py"), "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
                               "--log-level", "warning"], cwd=ROOT, env=env)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def measure(env, grown, label):
    """Every page and the reference on a freshly started server: {name: (rps, p99, bad)}."""
    server, port = serve(env)
    try:
        found = {"reference": load(port, REFERENCE, grown["sessions"]["univ"])}
        for name, _target, username in PAGES:
            found[name] = load(port, grown["pages"][name], grown["sessions"].get(username, ""))
        found["verify"] = load(port, grown["verify"], many_clients=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    print(f"{label}: {grown['counts']}", flush=True)
    for name, (rps, p99, bad) in found.items():
        print(f"  {name:<24} {rps:8.1f} req/s   p99 {p99:7.1f} ms   non-2xx/3xx {bad}", flush=True)
    return found


def main():
    if not pg_available() or not shutil.which("wrk"):
        print("bench_pages: needs PostgreSQL on 127.0.0.1:5432 and wrk (apt-get install wrk); skipped")
        return
    with fresh_pg_database("bench_pages", migrated=True) as url, tempfile.TemporaryDirectory() as static_root:
        env = {**os.environ, "DJANGO_ENV": "production", "SECRET_KEY": "bench-" + "k" * 60, "DATABASE_URL": url,
               "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
               "CACHE_KEY_PREFIX": f"benchpages{os.getpid()}", "STATIC_ROOT": static_root,
               "ALLOWED_HOSTS": "127.0.0.1,testserver,localhost", "DJANGO_SETTINGS_MODULE": "portal.settings",
               "TRUSTED_PROXIES": "127.0.0.1"}
        env.pop("PORTAL_TESTING", None)
        manage("collectstatic", "--noinput", env=env)
        # Every app's demo records (rounds, filings, certificates…) through the services, as `make demo` loads them
        # (its settings: the demo's signing keys seal the PDFs); then the server runs with production settings.
        demo_env = {k: v for k, v in env.items() if k not in ("DJANGO_ENV", "SECRET_KEY")}
        manage("load_demo", env={**demo_env, "DEBUG": "0", "PUBLIC_BASE_URL": "https://127.0.0.1"})
        grown = grow(env, GRADUATES, INSTITUTIONS)
        one = measure(env, grown, "1× data")
        if not SMOKE:  # what a page costs when it must be rendered (the first view after a change): reported only
            measure({**env, "PAGE_CACHE_SECONDS": "0"}, grown, "1× data, page cache off (every request renders)")
        ten = None
        if SCALE == 10:
            grown = grow(env, 10 * GRADUATES, 10 * INSTITUTIONS)
            ten = measure(env, grown, "10× data")
    print(f"{CONNECTIONS} clients, {DURATION} s a page, gunicorn {WORKERS} workers, production settings, "
          f"PostgreSQL + Redis", flush=True)
    reference = one["reference"][0]
    for name, _target, _user in PAGES:
        rps, p99, bad = one[name]
        figure(f"page_{name}_rps", value=rps, unit="req/s", reference=reference,
               goal="≥ 250 req/s with p99 ≤ 100 ms (16 clients, 4 workers); reference: a bare Django view "
                    "listing 200 rows", ok=rps >= 250 and p99 <= 100 and not bad, note=f"p99 {p99:.1f} ms")
        if ten is not None:
            figure(f"page_{name}_10x", value=ten[name][0], unit="req/s", reference=rps,
                   goal="at 10× data within 20% of its 1× figure", ok=ten[name][0] >= 0.8 * rps and not ten[name][2],
                   note=f"p99 {ten[name][1]:.1f} ms")
    rps, p99, bad = (ten or one)["verify"]
    figure("verify_public_rps", value=rps, unit="req/s", reference=reference,
           goal="≥ 1,000 req/s (public /v/<id>, cached page)", ok=rps >= 1000 and not bad, note=f"p99 {p99:.1f} ms")


if __name__ == "__main__":
    main()
