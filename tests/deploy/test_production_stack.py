"""Issue 14: the production configuration run as users will meet it — nginx (TLS, a throwaway certificate) in
front of gunicorn, ``DJANGO_ENV=production``, PostgreSQL as the app role of ``manage.py db_roles``, a private
Redis, a Celery worker and beat. One test walks through it in order (the stack takes a while to start):

1. sign in over HTTPS (password, then the second step with the staff member's authenticator); the security
   headers are there; the audit log records the browser's address
   (127.0.0.2), not nginx's (127.0.0.1) nor an X-Forwarded-For the browser made up;
2. a certificate batch runs on the worker; the worker is killed by PID mid-batch; after a restart the batch
   finishes (the beat sweeper resends it), every certificate once, serials without a gap, every PDF rendered;
3. the private Redis is stopped: signed-in pages and public verification still answer (no 500), and a new
   batch is kept queued with the Chinese notice.
"""

import os
import re
import signal
import subprocess
import sys

import psycopg
import pytest
from django.db import connection

from tests.deploy.stack import CLIENT_ADDRESS, ROOT, Stack, children, wait_for
from tests.gate import certificate_gate
from tests.otp import code_for

pytestmark = [pytest.mark.deploy,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="the stack needs PostgreSQL"),
              pytest.mark.skipif(os.environ.get("PORTAL_DEPLOY_TESTS") != "1",
                                 reason="the production stack runs when PORTAL_DEPLOY_TESTS=1 (.ci/run sets it)")]

# The batch is held at a gate after KILLED_AT certificates (tests/gate.py), so the kill is always mid-batch.
RESULTS = 12
KILLED_AT = 2


@pytest.fixture(scope="module")
def stack(tmp_path_factory, django_db_blocker):
    with django_db_blocker.unblock():
        admin = dict(connection.settings_dict)
    s = Stack(tmp_path_factory.mktemp("deploy"), admin)
    try:
        s.up()
        yield s
    except Exception:
        for name in ("gunicorn", "worker", "beat", "nginx"):
            print(f"--- {name} ---\n{s.log_of(name)}")
        raise
    finally:
        s.down()


def query(stack, sql, *params):
    with psycopg.connect(stack.url("admin")) as conn:
        return conn.execute(sql, params).fetchall()


def test_the_portal_in_production_behind_nginx(stack):
    ids, more = seed(stack)  # a school, its staff member, passed results (through the app role)
    # 1. HTTPS, headers, the client address the audit log records --------------------------------------
    login = stack.request("GET", "/accounts/login/")
    assert login.status == 200
    headers = {k.lower(): v for k, v in login.getheaders()}
    assert "max-age=31536000" in headers["strict-transport-security"]
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert "no-store" in headers["cache-control"] and headers["referrer-policy"] == "same-origin"
    assert "server" not in headers or "nginx/" not in headers["server"]
    cookies = {}
    stack.request("GET", "/accounts/login/", cookies=cookies)
    response = stack.request("POST", "/accounts/login/", cookies=cookies, headers={"X-Forwarded-For": "6.6.6.6"},
                             data={"username": "staff", "password": stack.password,
                                   "csrfmiddlewaretoken": cookies["csrftoken"]})
    assert response.status == 302, response.text[:500]
    session_cookie = [h for h in response.headers.get_all("Set-Cookie") if h.startswith("sessionid=")][0]
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie
    ips = query(stack, "SELECT host(ip) FROM portal_auditlog WHERE action = 'login' AND actor_name = 'staff'")
    assert [ip for (ip,) in ips] == [CLIENT_ADDRESS]
    assert stack.request("GET", "/", cookies=cookies).getheader("Location").startswith("/accounts/two-factor/")
    key, last_t, drift = query(stack, "SELECT d.key, d.last_t, d.drift FROM otp_totp_totpdevice d "
                                      "JOIN portal_user u ON u.id = d.user_id WHERE u.username = 'staff'")[0]
    response = stack.request("POST", "/accounts/two-factor/", cookies=cookies, data={
        "otp_token": code_for(key, last_t=last_t, drift=drift), "csrfmiddlewaretoken": cookies["csrftoken"]})
    assert response.status == 302 and response.getheader("Location") == "/", response.text[:500]
    assert stack.request("GET", "/", cookies=cookies).status == 200

    # 2. a batch on the worker, the worker killed mid-batch, the batch finished after a restart -----------
    def issued():
        return query(stack, "SELECT count(*) FROM certificates_certificate WHERE batch_id = %s", batch_id)[0][0]

    with certificate_gate(stack.url("admin"), after=KILLED_AT) as gate:
        response = stack.request("POST", "/certificates/batches/new/", cookies=cookies,
                                 data={"result": ids, "csrfmiddlewaretoken": cookies["csrftoken"]})
        assert response.status == 302, response.text[:300]
        batch_id = int(re.search(r"/batches/(\d+)/", response.getheader("Location")).group(1))
        gate.wait_until_held(90)
        worker = stack.processes["worker"]
        for pid in [worker.pid, *children(worker.pid)]:
            os.kill(pid, signal.SIGKILL)  # the worker and its pool process die mid-batch, nothing acknowledged
        worker.wait(timeout=10)
        stack.stop("worker")
        gate.release()
    assert issued() == KILLED_AT
    stack.start_worker()
    wait_for(lambda: query(stack, "SELECT status FROM certificates_issuancebatch WHERE id = %s", batch_id)[0][0]
             == "done", 120, "the batch to finish after the restart")
    rows = query(stack, "SELECT number, source_key, pdf_sha256 FROM certificates_certificate ORDER BY number")
    assert len(rows) == RESULTS and len({r[1] for r in rows}) == RESULTS
    assert [r[0][-6:] for r in rows] == [f"{n:06d}" for n in range(1, RESULTS + 1)]
    assert all(r[2] for r in rows), "a certificate without its PDF"

    # 3. Redis stopped: friendly pages, not 500 -------------------------------------------------------------
    verification_id = query(stack, "SELECT verification_id FROM certificates_certificate LIMIT 1")[0][0]
    stack.stop("redis")
    for path in ("/", "/certificates/", "/inbox/"):
        assert stack.request("GET", path, cookies=cookies).status == 200, path
    assert stack.request("GET", f"/v/{verification_id}").status == 200
    fresh = {}
    stack.request("GET", "/accounts/login/", cookies=fresh)
    assert stack.request("POST", "/accounts/login/", cookies=fresh, data={
        "username": "staff", "password": stack.password, "csrfmiddlewaretoken": fresh["csrftoken"]}).status == 302
    response = stack.request("POST", "/certificates/batches/new/", cookies=cookies,
                             data={"result": more, "csrfmiddlewaretoken": cookies["csrftoken"]})
    assert response.status == 302, stack.log_of("gunicorn")[-4000:]
    page = stack.request("GET", response.getheader("Location"), cookies=cookies)
    assert page.status == 200 and "系统将自动重试" in page.text


def seed(stack):
    """RESULTS passed results for the batch, and one more for the batch started while Redis is down."""
    out = subprocess.run([sys.executable, "tests/deploy/seed.py", str(RESULTS + 1)], cwd=ROOT, env=stack.env(),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    ids = out.stdout.strip().splitlines()[-1].split(",")
    return ids[:RESULTS], ids[RESULTS:]
