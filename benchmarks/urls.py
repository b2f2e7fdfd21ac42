"""The portal's URLs plus the reference of ``bench_pages``: a bare Django view listing 200 rows through a template
(the issue's "bare Django view listing 200 rows"), behind the same middleware as every page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from evaluation.models import Graduate
from portal import urls as portal_urls

TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang=\"zh-CN\"><title>reference</title><table>"
    "{% for g in rows %}<tr><td>{{ g.student_number }}</td><td>{{ g.name }}</td><td>{{ g.major }}</td>"
    "<td>{{ g.graduation_year }}</td></tr>{% endfor %}</table></html>")


@login_required
def reference(request):
    rows = Graduate.objects.order_by("pk").only("student_number", "name", "major", "graduation_year")[:200]
    return HttpResponse(TEMPLATE.render({"rows": rows}, request))


urlpatterns = [path("_bench/reference/", reference), path("", include("portal.urls"))]
handler500 = portal_urls.handler500
