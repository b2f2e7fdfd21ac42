"""The production stack of tests/deploy, started from scratch on free loopback ports and torn down after:

PostgreSQL (a fresh database, the owner and app roles of ``manage.py db_roles``), a private Redis, gunicorn
(``DJANGO_ENV=production``, as the app role), nginx with a throwaway self-signed certificate in front of it, a
Celery worker and Celery beat. Every process is started here and ended here, by its own PID.
"""

import http.client
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CLIENT_ADDRESS = "127.0.0.2"  # the browser's loopback address; nginx (the trusted proxy) is 127.0.0.1


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except (OSError, http.client.HTTPException, psycopg.Error):
            pass
        time.sleep(0.3)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Stack:
    def __init__(self, tmp, admin_settings):
        self.tmp = Path(tmp)
        self.admin = admin_settings  # the test database's connection settings: a superuser
        self.suffix = uuid.uuid4().hex[:8]
        self.database = f"portal_deploy_{self.suffix}"
        self.owner, self.app = f"deploy_owner_{self.suffix}", f"deploy_app_{self.suffix}"
        self.db_password = uuid.uuid4().hex
        self.password = "Deploy@Passw0rd"
        self.https_port, self.gunicorn_port, self.redis_port = free_port(), free_port(), free_port()
        self.processes = {}
        self.logs = {}
        self.secret = uuid.uuid4().hex * 2

    # --- environment ---------------------------------------------------------------------------------
    def url(self, role):
        a = self.admin
        host, port = a["HOST"] or "127.0.0.1", a["PORT"] or 5432
        if role == "admin":
            auth = a["USER"] + (f":{a['PASSWORD']}" if a.get("PASSWORD") else "")
        else:
            auth = f"{self.owner if role == 'owner' else self.app}:{self.db_password}"
        return f"postgres://{auth}@{host}:{port}/{self.database}"

    def env(self, role="app"):
        env = {k: v for k, v in os.environ.items() if k not in ("PORTAL_TESTING", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
        env.update({
            "DJANGO_ENV": "production", "SECRET_KEY": self.secret, "PYTHONPATH": str(ROOT),
            "ALLOWED_HOSTS": "localhost,127.0.0.1", "CSRF_TRUSTED_ORIGINS": f"https://localhost:{self.https_port}",
            "DATABASE_URL": self.url(role), "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CACHE_KEY_PREFIX": f"deploy{self.suffix}", "TRUSTED_PROXIES": "127.0.0.1",
            "MEDIA_ROOT": str(self.tmp / "media"), "STATIC_ROOT": str(self.tmp / "static"),
            "CERTIFICATE_KEYS_FILE": str(self.tmp / "keys" / "certificate-keys.json"),
            "CERTIFICATE_BASE_URL": f"https://localhost:{self.https_port}",
            "CERTIFICATE_FONT_DIR": os.environ.get("CERTIFICATE_FONT_DIR", str(ROOT / "media" / "cache" / "fonts")),
            "WORK_SWEEP_SECONDS": "2", "WORK_SWEEP_GRACE_SECONDS": "4", "DEPLOY_PASSWORD": self.password,
            "CONN_MAX_AGE": "0", "LOG_LEVEL": "WARNING",
            "PDF_SIGNING_DEMO": "1",  # the stack stands in for production: its PDFs are sealed with demo keys
        })
        return env

    def manage(self, *args, role="app", timeout=300, **overrides):
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**self.env(role), **overrides},
                                capture_output=True, text=True, timeout=timeout)
        if result.returncode:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    # --- processes -------------------------------------------------------------------------------------
    def start(self, name, argv, env=None):
        log = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
        self.logs[name] = log
        self.processes[name] = subprocess.Popen(argv, cwd=ROOT, env=env or self.env(), stdout=log,
                                                stderr=subprocess.STDOUT, start_new_session=True)
        return self.processes[name]

    def stop(self, name, sig=signal.SIGTERM):
        process = self.processes.pop(name, None)
        if process is not None and process.poll() is None:
            for pid in [*children(process.pid), process.pid]:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        log = self.logs.pop(name, None)
        if log is not None:
            log.close()

    def log_of(self, name):
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def start_redis(self):
        self.start("redis", ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(self.tmp)])
        wait_for(lambda: socket.create_connection(("127.0.0.1", self.redis_port), 1).close() or True, 20,
                 "redis")

    def start_worker(self):
        return self.start("worker", [sys.executable, "-m", "celery", "-A", "portal", "worker", "-P", "prefork",
                                     "-c", "1", "--without-heartbeat", "--without-gossip", "--without-mingle",
                                     "-l", "WARNING"])

    def up(self):
        (self.tmp / "keys").mkdir(parents=True, exist_ok=True)
        with psycopg.connect(self.url("admin").rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.database}"')
        # Roles first (the owner owns the empty schema), migrations as the owner, roles again (audit grants).
        self.manage("db_roles", "--owner", self.owner, "--app", self.app, "--owner-password", self.db_password,
                    "--app-password", self.db_password, role="admin")
        self.start_redis()
        self.manage("migrate", "--noinput", role="owner", timeout=600)
        self.manage("db_roles", "--owner", self.owner, "--app", self.app, role="admin")
        # The key file is made once, outside production (production refuses to start without one).
        self.manage("certificate_keys", "generate", "--nbf", "2026-01-01", DJANGO_ENV="development")
        self.manage("collectstatic", "--noinput", "-v", "0")
        self.manage("check", "--deploy", "--fail-level", "WARNING")
        self.start("gunicorn", [sys.executable, "-m", "gunicorn", "portal.wsgi", "-b",
                                f"127.0.0.1:{self.gunicorn_port}", "-w", "2", "--timeout", "120"])
        self._certificate()
        self._nginx()
        self.start_worker()
        self.start("beat", [sys.executable, "-m", "celery", "-A", "portal", "beat", "-l", "WARNING",
                            "-s", str(self.tmp / "beat-schedule"), "--pidfile", str(self.tmp / "beat.pid")])
        wait_for(lambda: self.request("GET", "/healthz").status == 200, 60, "gunicorn behind nginx")
        return self

    def _certificate(self):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                        "/CN=localhost", "-keyout", str(self.tmp / "tls.key"), "-out", str(self.tmp / "tls.crt")],
                       check=True, capture_output=True)

    def _nginx(self):
        conf = (HERE / "nginx.conf").read_text()
        for key, value in {"@USER@": "user root;" if os.geteuid() == 0 else "", "@PREFIX@": str(self.tmp),
                           "@LISTEN@": f"127.0.0.1:{self.https_port}",
                           "@UPSTREAM@": f"127.0.0.1:{self.gunicorn_port}",
                           "@CERT@": str(self.tmp / "tls.crt"), "@KEY@": str(self.tmp / "tls.key")}.items():
            conf = conf.replace(key, value)
        (self.tmp / "nginx.conf").write_text(conf)
        nginx = "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "nginx"
        self.start("nginx", [nginx, "-c", str(self.tmp / "nginx.conf"), "-p", str(self.tmp), "-g", "daemon off;"])

    def down(self):
        for name in ("beat", "worker", "nginx", "gunicorn", "redis"):
            self.stop(name)
        with psycopg.connect(self.url("admin").rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            for role in (self.owner, self.app):
                conn.execute(f'DROP ROLE IF EXISTS "{role}"')

    # --- HTTP through nginx ------------------------------------------------------------------------------
    def request(self, method, path, *, data=None, cookies=None, headers=None):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the throwaway self-signed certificate
        conn = http.client.HTTPSConnection("127.0.0.1", self.https_port, context=context, timeout=60,
                                           source_address=(CLIENT_ADDRESS, 0))
        origin = f"https://localhost:{self.https_port}"
        sent = {"Host": f"localhost:{self.https_port}", "Referer": origin + path, "Origin": origin,
                **(headers or {})}
        if cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        response.text = response.read().decode("utf-8", errors="replace")
        conn.close()
        if cookies is not None:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, value = header.split(";", 1)[0].split("=", 1)
                cookies[name.strip()] = value.strip()
        return response


def children(pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]
