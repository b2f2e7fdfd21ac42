import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()
# Import every view and build the URL reverse tables (every namespace's too: what reverse() and {% url %} read)
# now rather than in a worker's first request (~1–2 s of module loading, then ~50–150 ms of tables): with
# gunicorn's preload_app (gunicorn.conf.py) the master does it once, before forking, for every worker it ever
# starts.
get_resolver().reverse_dict  # noqa: B018 - evaluated for its side effect
