"""gunicorn settings, read automatically when gunicorn starts in this directory (``gunicorn portal.wsgi``).

Workers are recycled after ``max_requests`` ± ``max_requests_jitter`` requests: a slow leak (WeasyPrint, fonts,
caches) cannot grow a worker without bound, and the jitter keeps the workers from all restarting at the same
moment under steady load (a restart costs a Django start-up, ~1 s of one core). Override with
``GUNICORN_CMD_ARGS`` or the command line.

``preload_app``: the master imports the application (and every view: ``portal.wsgi``) once before forking, so a
new or recycled worker answers its first request at once instead of after ~1–2 s of imports, and the workers
share those pages of memory. No database connection or thread is opened at import time.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
timeout = 30
preload_app = True
