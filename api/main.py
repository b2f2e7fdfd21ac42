"""The open API, ``/api/v1/`` (django-ninja: typed handlers, an OpenAPI 3 schema generated from them).

- ``/api/v1/openapi.json`` — the schema; ``/api/v1/docs`` — Swagger UI from the portal's own static files
  (``ninja`` in INSTALLED_APPS: its bundled assets, nothing from a CDN; the validator badge is off so the page
  makes no outside request), under the portal's Content-Security-Policy.
- ``/api/v1/public/…`` no token; ``/api/v1/school/…`` institution token; ``/api/v1/office/…`` provincial HRSS
  token (api.auth). Errors are JSON ``{"detail": "中文说明"}``.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from .routers import office, public, school


class ChineseJSON(JSONRenderer):
    """UTF-8 text in the body (中文 readable with curl), not \\uXXXX escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ChineseJSON(),
    title="一试三证 试点工作平台 开放接口",
    version="1.0.0",
    description=(
        "皖人社秘〔2023〕280号 一试三证试点工作平台的开放接口。公开核验无需令牌；院校接口使用本校管理员在"
        "“接口令牌”页面创建的院校令牌（只读或读写）；省人社厅报备数据导出使用省人社厅令牌。"
        "请求头：`Authorization: Bearer <令牌>`。每次使用令牌均记入审计日志。"
    ),
    urls_namespace="api_v1",
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request, status, message):
    return api.create_response(request, {"detail": str(message)}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    response = _error(request, 401, _("缺少接口令牌，或令牌无效、已吊销。"))
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request, exc):
    message = exc.message
    if message.startswith("Cannot parse request body"):  # ninja's own words for a body that is not JSON
        message = _("请求内容无法解析：应为 JSON。")
    return _error(request, exc.status_code, message)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    fields = "、".join(".".join(str(part) for part in e.get("loc", ())) for e in exc.errors[:10])
    return api.create_response(request, {"detail": _("请求参数不符合接口说明：%(f)s") % {"f": fields},
                                         "errors": exc.errors}, status=422)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, _("该令牌无权执行此操作。"))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, _("未找到，或无权查看。"))


api.add_router("/public/", public.router)
api.add_router("/school/", school.router)
api.add_router("/office/", office.router)
