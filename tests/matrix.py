"""The access matrix: every URL of the portal × every role (and anonymous).

Each app lists its URLs in ``tests/<app>/access_cases.py`` as ``CASES = [Case(...), ...]``.
``tests/portal/test_access_matrix.py`` runs them all and fails when a named URL of the portal
has no case. A case says, per role, the expected status; roles not named get ``default``.
``hidden(world, role)`` returns strings (other people's data) that must not appear in that role's response.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anonymous", "university_staff", "city_hrss", "city_education", "provincial_hrss",
         "provincial_education", "expert", "student", "site_admin")

LOGIN = "login"  # expected outcome for anonymous users: a redirect to the login page


@dataclass
class Case:
    name: str                                   # URL name (with namespace, if any)
    expect: dict                                # role -> status code (or LOGIN)
    default: object = 403                       # for roles not in ``expect``
    kwargs: Callable = lambda w: {}             # world -> URL kwargs
    method: str = "get"
    data: Callable = lambda w: {}               # world -> POST data
    hidden: Callable = lambda w, role: []       # (world, role) -> strings that must not appear in the body
    anonymous: object = LOGIN
    id: str = ""

    def expected(self, role):
        if role == "anonymous":
            return self.anonymous
        return self.expect.get(role, self.default)

    @property
    def label(self):
        return self.id or f"{self.method.upper()} {self.name}"


ALL = {role: 200 for role in ROLES if role != "anonymous"}


def everyone(status=200, **overrides):
    expect = {role: status for role in ROLES if role != "anonymous"}
    expect.update(overrides)
    return expect


@dataclass
class Exempt:
    """A URL deliberately outside the matrix, with the reason (e.g. Django admin's own views)."""

    name: str
    why: str = field(default="")
