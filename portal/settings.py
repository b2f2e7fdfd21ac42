"""Settings for the 一试三证 portal — one module, driven by the environment.

The defaults run on one laptop: a SQLite file, Celery tasks executed in-process,
media on local disk. The environment switches to the real services:

- ``DATABASE_URL``            PostgreSQL (``postgres://user:pass@host:5432/name``)
- ``REDIS_URL``               cache, sessions, Celery broker and results
- ``CELERY_BROKER_URL``       a broker other than ``REDIS_URL``
- ``DJANGO_ENV=production``   secure defaults; ``SECRET_KEY`` must be given
"""

import os
import warnings
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PRODUCTION = env("DJANGO_ENV", "development") == "production"
TESTING = env_bool("PORTAL_TESTING")

if PRODUCTION:
    SECRET_KEY = env("SECRET_KEY") or env("DJANGO_SECRET_KEY")
    if not SECRET_KEY:
        raise ImproperlyConfigured("DJANGO_ENV=production requires SECRET_KEY in the environment.")
    DEBUG = False
else:
    SECRET_KEY = env("SECRET_KEY", "dev-only-key-not-for-production-7f3a9c1e5b2d8046aa91cc0e4f6d2b18")
    DEBUG = env_bool("DEBUG", not TESTING)

ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# The address people reach the portal at (scheme://host[:port], no trailing slash). Every certificate's QR
# link and printed "电子证书核验" line is built from it, also in Celery workers where no request exists.
# ``make demo HOST=… PORT=…`` sets it to what it serves; production must set it to the public https://
# address (``manage.py check`` warns otherwise). ``CERTIFICATE_BASE_URL`` is its former name, still read.
PUBLIC_BASE_URL = (env("PUBLIC_BASE_URL") or env("CERTIFICATE_BASE_URL") or "").rstrip("/")
if PUBLIC_BASE_URL:
    _public = urlsplit(PUBLIC_BASE_URL)
    if _public.hostname and _public.hostname not in ALLOWED_HOSTS:
        ALLOWED_HOSTS.append(_public.hostname)
    if f"{_public.scheme}://{_public.netloc}" not in CSRF_TRUSTED_ORIGINS:
        CSRF_TRUSTED_ORIGINS.append(f"{_public.scheme}://{_public.netloc}")

INSTALLED_APPS = [
    "portal.apps.PortalConfig",
    "applications.apps.ApplicationsConfig",
    "applications.track_a.apps.TrackAConfig",
    "applications.track_b.apps.TrackBConfig",
    "evaluation.apps.EvaluationConfig",
    "evaluation.rounds.apps.RoundsConfig",
    "certificates.apps.CertificatesConfig",
    "assessment.apps.AssessmentConfig",
    "api.apps.ApiConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",  # the demo serves static files as production does, DEBUG off
    "django.contrib.staticfiles",
    "django.forms",  # the widget templates for FORM_RENDERER below
    "import_export",
    "axes",
    "ninja",  # the open API's Swagger UI from its bundled static files, not a CDN (docs/api.md)
    # Two-factor sign-in (issue 17 item 3): authenticator apps (TOTP), recovery codes, the demo device.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal.twofactor.apps.TwoFactorConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files through WhiteNoise everywhere (gunicorn in production, runserver for the demo with DEBUG
    # off), so that the demo is served as production is.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.NulQueryMiddleware",  # ?q=%00 is a 400, never a database error
    # An anonymous visitor's cached /v/<id> page, served without the session and sign-in layers below.
    "certificates.middleware.PublicPageCacheMiddleware",
    "portal.pagecache.GenerationMiddleware",  # before anything a kept page depends on is read
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the session passed the second step
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.IdleTimeoutMiddleware",
    # Officials reach nothing but the second step until they pass it (the admin included).
    "portal.twofactor.middleware.SecondStepMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.NoStoreMiddleware",
    # A PDF that cannot be sealed (no signing credential): a Chinese 503 page, logged, instead of a 500.
    "portal.middleware.SigningUnavailableMiddleware",
    # Last, as django-axes asks: turns a lockout flagged during authentication into the response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.portal",
            ],
        },
    },
]

# Form widgets render through the project's templates, so that templates/django/forms/widgets/select.html
# (options written inline, not one include each) applies: the audit log's 129 actions took ~1/3 of the page.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("CONN_MAX_AGE", "600" if PRODUCTION else "0")),
        conn_health_checks=PRODUCTION,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several requests (and the in-process task runner) share one file: wait instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
if TESTING and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Test databases are thrown away: a commit need not wait for its WAL to reach the disk (0.2 ms a commit here).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f'{_options.get("options", "")} -c synchronous_commit=off'.strip()
    if env("BENCH_TEMPLATE_DB"):
        # A parallel test run migrates once (tests/conftest.py) and each worker's database is a copy of that one.
        DATABASES["default"]["TEST"] = {"TEMPLATE": env("BENCH_TEMPLATE_DB")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions ---------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    # Fails open (portal.cache): with Redis down, reads miss and writes are dropped with a logged warning.
    CACHES = {"default": {"BACKEND": "portal.cache.FailOpenRedisCache", "LOCATION": REDIS_URL,
                          # a pytest-xdist worker gets its own keys (rate limits, lockouts) in the shared Redis
                          "KEY_PREFIX": env("CACHE_KEY_PREFIX", "portal") + os.environ.get("PYTEST_XDIST_WORKER", ""),
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2}}}
    # Kept pages and the data generation (portal.datagen): short timeouts, errors raised to datagen's breaker.
    CACHES["pages"] = {**CACHES["default"], "BACKEND": "portal.cache.PagesRedisCache",
                       "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CACHES["pages"] = {**CACHES["default"], "LOCATION": "pages"}
# Signed-in dashboards and lists kept per session until the next write (portal.pagecache); only with a cache
# that every process shares. 0 turns it off (set it alike for the web and the Celery workers).
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "60" if REDIS_URL and not TESTING else "0"))
# Sessions live in the database: signing in and every signed-in page keep working while Redis is down.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# 等保 level 2 (DOMAIN §8): an idle session ends; failed logins lock the account for a while.
SESSION_IDLE_TIMEOUT = timedelta(minutes=int(env("SESSION_IDLE_MINUTES", "30")))
SESSION_COOKIE_AGE = 12 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT = timedelta(minutes=int(env("LOGIN_LOCKOUT_MINUTES", "15")))
# Failures from one client address across all usernames within LOGIN_LOCKOUT before that address is
# refused for every account (a stranger guessing over many accounts).
LOGIN_IP_FAILURE_LIMIT = int(env("LOGIN_IP_FAILURE_LIMIT", "20"))

# --- Lockout: django-axes on every authentication path (portal login, admin login, any later one) ---
# A lock holds per (username, client address): a stranger cannot lock an officer out from elsewhere.
# portal.auth.LockoutHandler adds the per-address throttle across usernames; the limits are read from the
# settings above on each request, so they stay adjustable (and tests may change them).
AXES_HANDLER = "portal.auth.LockoutHandler"
AXES_FAILURE_LIMIT = "portal.auth.failure_limit"
AXES_COOLOFF_TIME = "portal.auth.cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "portal.audit.client_ip"
AXES_LOCKOUT_CALLABLE = "portal.auth.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True  # logins and logouts are in the portal's own audit log
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]  # never stored with a failed attempt

# --- Two-factor sign-in (portal.twofactor, django-otp) --------------------------------------------------
# Officials (the roles that approve, file, issue, revoke or administer) pass a second step after the password:
# a code from an authenticator app (TOTP) or a recovery code. A wrong code counts toward the lockout above.
OTP_TOTP_ISSUER = "一试三证平台"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows an authenticator's key
# Failed codes are limited by the lockout above, per (username, address), like passwords. django-otp's own
# throttle (per device, exponential) is off: it would let anyone who has the password lock the official out of
# the second step from anywhere (issue 14: a stranger cannot lock an officer out from elsewhere), and during its
# delay it refuses even the right code.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# The demo's accounts pass the second step with a documented fixed code (portal.twofactor.models.DEMO_CODE);
# `make demo` switches it on. Never in production: refused here, and the device checks again.
TWO_FACTOR_DEMO = env_bool("TWO_FACTOR_DEMO")
if PRODUCTION and TWO_FACTOR_DEMO:
    raise ImproperlyConfigured("TWO_FACTOR_DEMO (the demo accounts' fixed second-step code) is for the demo only; "
                               "unset it in production.")

# --- Auth ------------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked (user, address) before any password check
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "portal.passwords.ComplexityValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- I18N --------------------------------------------------------------------------
# Chinese only. An English mode existed half-translated (202 of several thousand messages) and was removed
# (issue 15 §21). Strings stay in gettext, so a locale can come back under ``locale/<lang>/``: add it to
# LANGUAGES with LocaleMiddleware and a switch, and tests/portal/test_locales.py refuses it until every msgid
# is translated.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media (served by the portal itself: intranets have no CDN) -----------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))
if TESTING and os.environ.get("PYTEST_XDIST_WORKER"):
    # Parallel test workers each have their own database, so their rows share primary keys: their files
    # (named after those keys) must not share a folder.
    MEDIA_ROOT = MEDIA_ROOT / f"test-{os.environ['PYTEST_XDIST_WORKER']}"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production the files are found in the apps' static/ folders (no collectstatic needed for the demo,
# so STATIC_ROOT need not exist there and WhiteNoise's warning about it is silenced).
WHITENOISE_USE_FINDERS = not PRODUCTION
# Tests look files up per request too: a new test client loads the middleware, and a scan of every static file
# there took 53 ms per client (a third of the access matrix's time).
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
if not PRODUCTION:
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Celery ---------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", REDIS_URL)
# Without a broker the tasks run in-process (the demo). Tests run them in-process too, except the
# tests that start a real worker against Redis and switch this off for their duration.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL or TESTING
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_PROC_ALIVE_TIMEOUT = 30  # a pool process prepares itself before it takes work (certificates.worker)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Redis redelivers a message a dead worker never acknowledged after this many seconds. Longer than the longest
# task (a 1,000-certificate batch renders in ~4 min), shorter than anyone's patience; the sweeper below
# usually resends sooner, and a duplicate is a no-op (certificates.leases).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT", "1800")),
                                   "socket_connect_timeout": 2}
# Sending a task subscribes to its result; with Redis down the result store would retry 20 times a second apart
# (~20 s per task sent, past gunicorn's timeout for a page that sends two). One attempt: the send fails at once,
# PortalTask logs it and the sweeper resends later.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "retry_policy": {"max_retries": 0}}
# Sending a task while the broker is down: a short retry, then portal.celery.PortalTask gives up (logged).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The sweeper: resends stale batches and missing PDF renders (README, deployment: run `celery beat`).
WORK_SWEEP_SECONDS = int(env("WORK_SWEEP_SECONDS", "60"))
WORK_SWEEP_GRACE_SECONDS = int(env("WORK_SWEEP_GRACE_SECONDS", "120"))
CELERY_BEAT_SCHEDULE = {
    "sweep-stale-work": {"task": "certificates.tasks.sweep_stale_work", "schedule": WORK_SWEEP_SECONDS},
    "sweep-stale-imports": {"task": "evaluation.tasks.sweep_stale_imports", "schedule": WORK_SWEEP_SECONDS},
}

# --- E-mail (notifications are in-app; e-mail only when configured) ----------------------
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.locmem.EmailBackend"
)
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "noreply@localhost")
PORTAL_EMAIL_ENABLED = bool(EMAIL_HOST)

# --- Security ---------------------------------------------------------------------
# Addresses (or CIDR ranges) of the reverse proxies in front of the portal. Only when a request comes from
# one of them is its X-Forwarded-For header read for the client address (audit log, lockout, rate limits).
TRUSTED_PROXIES = [p for p in env("TRUSTED_PROXIES", "").split(",") if p.strip()]
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    # Behind a TLS-terminating proxy (nginx) that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (django-csp): scripts only from the portal's own static files — no inline script,
# no eval, no CDN (the offline verifier's crypto is vendored). Inline style attributes stay allowed
# (style-src-attr); <style> elements and style sheets come from the portal only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-elem": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    # pyHanko logs every untrusted or broken signature it validates with a traceback; the upload page (issue 17)
    # reports those to the visitor, and anyone may upload: keep its own errors only.
    "loggers": {"pyhanko": {"level": "ERROR"}, "pyhanko_certvalidator": {"level": "ERROR"}},
}

PORTAL_NAME = _("一试三证 试点工作平台")

# --- What the notice leaves to be set: Track A, assessment, 1+X, certificates, rounds (portal/settings_rules.py) --
from portal.settings_rules import *  # noqa: E402, F403

# --- Signed PDFs (issue 17 §1; portal.signing, docs/signing.md) ------------------------------------------------
# PDF_SIGNERS (JSON, environment) names each issuing body's PKCS#12 file or PKCS#11 token; PDF_SIGNING_CA_FILE the
# CA bundle served at /.well-known/pdf-signing-ca.pem; PDF_TSA_URL an RFC 3161 timestamp service (PAdES B-T/B-LT);
# PDF_SIGNING_DIR where the demo CA and keys are kept (default MEDIA_ROOT/private/pdf-signing); PDF_SIGNING_DEMO=1
# allows demo keys in production (never for real use); PDF_SIGNING_BACKEND another signer backend.
PDF_SIGNING_BACKEND = env("PDF_SIGNING_BACKEND", "portal.signing.pades.PadesBackend")
PDF_TSA_URL = env("PDF_TSA_URL", "")
PDF_SIGNING_CA_FILE = env("PDF_SIGNING_CA_FILE", "")
# pyHanko imports cryptography's DSA type, which warns on every command; we never sign or accept DSA.
warnings.filterwarnings("ignore", message="DSA is deprecated")
