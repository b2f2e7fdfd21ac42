"""Bearer tokens for ``/api/v1/`` (one OpenAPI security scheme, ``TokenAuth``; each endpoint names the kind
and scope it needs).

No token, an unknown one, a revoked one, or one whose maker no longer holds its role: 401. A working token
of the wrong kind (a school's on an office export, an office's on a school endpoint) or without the write
scope: 403. Every use of a known token is written to the audit log (``api.token_use`` / ``api.token_refused``).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from portal.models import Role

from . import tokens
from .models import ApiToken

SCHOOL = Role.UNIVERSITY_STAFF
OFFICE = Role.PROVINCIAL_HRSS


@dataclass
class Caller:
    token: ApiToken
    user: object  # the token's maker, narrowed to the token's role (tokens.principal)

    @property
    def institution(self):
        return self.token.institution


class TokenAuth(HttpBearer):
    def __init__(self, role, *, write=False):
        super().__init__()
        self.role = role
        self.write = write

    def authenticate(self, request, token):
        found, person = tokens.authenticate(token, method=request.method, path=request.path)
        if found is None:
            return None
        if found.role != self.role:
            raise HttpError(403, _("该令牌不能用于此接口：院校令牌只用于院校接口，省厅令牌只用于报备数据导出。"))
        if self.write and not found.can_write:
            raise HttpError(403, _("该令牌为只读令牌，上传和确认导入需要读写令牌。"))
        return Caller(found, person)


school_read = TokenAuth(SCHOOL)
school_write = TokenAuth(SCHOOL, write=True)
office_read = TokenAuth(OFFICE)
