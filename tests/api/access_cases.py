"""The token page in the access matrix; the API itself answers tokens, not sessions (tests/api)."""

from tests.matrix import Case


def _school_token(w):
    from api.models import ApiToken
    from api.tokens import create_token

    token = ApiToken.objects.filter(institution=w.inst, revoked_at__isnull=True).first()
    if token is None:
        token, _secret = create_token(actor=w.staff, name="矩阵", role="university_staff", institution=w.inst)
    return token


CASES = [
    Case("api:tokens", {"university_staff": 200, "provincial_hrss": 200}),
    Case("api:tokens", {"university_staff": 400, "provincial_hrss": 400}, method="post",
         data=lambda w: {"name": "", "scope": "read"}, id="POST api:tokens (empty form)"),
    # Another school's or the province's staff: the token does not exist for them.
    Case("api:token_revoke", {"university_staff": 302, "provincial_hrss": 404}, method="post",
         kwargs=lambda w: {"pk": _school_token(w).pk}),
]

EXEMPT = {
    "api_v1:*": "the open API (/api/v1/): bearer tokens, not sessions — every operation × token kind and scope in "
                "tests/api/test_schema.py",
}
