"""The portal's WSGI application with the benchmark's reference view added (``benchmarks/urls.py``); used only
by ``benchmarks/bench_pages.py`` so that the reference runs on the same server, stack and database as the pages."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()
settings.ROOT_URLCONF = "benchmarks.urls"
get_resolver().reverse_dict  # noqa: B018 - views imported, reverse tables built before the fork, as portal.wsgi
