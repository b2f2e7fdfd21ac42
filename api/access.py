"""Who may make and revoke API tokens (registered in portal.access).

A school's tokens: its own staff (the school's 经办人/管理员 — 谁评价、谁负责). Office tokens: the provincial HRSS
(the 认定结果报备 data and the filings it receives).
"""

from portal import access
from portal.models import Role


@access.rule("api.manage_tokens")
def _manage_tokens(user, token):
    if token is None:
        return bool(access.institution_ids(user)) or access.has_role(user, Role.PROVINCIAL_HRSS)
    if token.role == Role.UNIVERSITY_STAFF:
        return token.institution_id in access.institution_ids(user)
    return access.has_role(user, token.role)
