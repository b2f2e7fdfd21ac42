"""The error pages people see: Chinese, with the site's header, never Django's debug or English pages.

Django's own handlers render ``400.html``/``403.html``/``404.html`` with the request context (so the signed-in
navigation shows); the 500 handler below renders without context processors or database access, because
whatever failed (the database, Redis) may fail again while the error page is drawn.
"""

import logging

from django.conf import settings
from django.http import HttpResponseForbidden, HttpResponseServerError
from django.template import loader

logger = logging.getLogger(__name__)

FALLBACK_500 = ("<!doctype html><html lang=\"zh-hans\"><meta charset=\"utf-8\"><title>服务器错误</title>"
                "<h1>服务器出错了</h1><p>请稍后再试；如果问题持续，请联系系统管理员。</p>"
                "<p><a href=\"/\">返回工作台</a></p></html>")


def server_error(request, template_name="500.html"):
    try:
        body = loader.get_template(template_name).render({"PORTAL_NAME": settings.PORTAL_NAME})
    except Exception:  # the page that reports a fault must not fault itself
        logger.exception("500 page could not be rendered")
        body = FALLBACK_500
    return HttpResponseServerError(body)


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token (an expired page, cookies off): say so in Chinese."""
    body = loader.render_to_string("403_csrf.html", {"reason": reason}, request=request)
    return HttpResponseForbidden(body)
