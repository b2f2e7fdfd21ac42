import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()
# Import every view now rather than in a worker's first request (~1–2 s of module loading): with gunicorn's
# preload_app (gunicorn.conf.py) the master does it once, before forking, for every worker it ever starts.
get_resolver().url_patterns  # noqa: B018 - evaluated for its side effect
