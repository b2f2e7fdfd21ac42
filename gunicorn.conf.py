"""gunicorn settings, read automatically when gunicorn starts in this directory (``gunicorn portal.wsgi``).

Workers are recycled after ``max_requests`` ± ``max_requests_jitter`` requests (10,000 ± 1,000): a slow leak
(WeasyPrint, fonts, caches) cannot grow a worker without bound, and the jitter keeps the workers from all
restarting at the same moment under steady load. A recycle costs ~0.08 s of one core (~0.7 s before the freeze
below). It was 2,000 ± 200: at the public /v/ page's ~1,000+ req/s on 4 workers each worker went every ~8 s, and
10,000 served more in 9 of 11 paired ten-second wrk runs (median 1,510 against 1,350 req/s, p99 22 against
34 ms; docs/performance.md). The price: a leak grows 5× longer before its worker goes (a worker leaking 100 KB a
request peaks near 1.1 GB instead of 220 MB), still bounded; lower ``GUNICORN_MAX_REQUESTS`` if workers' memory
climbs. Override with ``GUNICORN_CMD_ARGS`` or the command line too.

``preload_app``: the master imports the application (and every view: ``portal.wsgi``) once before forking, so a
new or recycled worker answers its first request at once instead of after ~1–2 s of imports, and the workers
share those pages of memory. No database connection or thread is opened at import time.

``when_ready``: ``gc.freeze()`` in the master, after the preload and before the first fork, moves the ~200,000
objects of the loaded application out of reach of the cyclic garbage collector, in the master and in every worker
forked from it. Without it each worker's full collections — and the one Python runs when a recycled worker exits —
walk all of them, writing to their headers and so copying every shared page of memory: ~0.6 s of CPU a recycle,
most of it in the exiting worker's interpreter shutdown (19 recycles of one worker in 2,000 /v/ requests: 16–17 s of CPU
against 3.7–4.0 s without recycling; frozen, 4.4–4.8 s against 2.6–3.4 s), and a new worker's first request waited
0.7–1.3 s. Those objects live as long as the process anyway. (``portal.wsgi`` also builds the URL reverse tables
in the master: they took ~50–150 ms of each worker's first request.)
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "1000"))
timeout = 30
preload_app = True


def when_ready(server):
    gc.freeze()
