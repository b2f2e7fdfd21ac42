"""The security tests reuse the certificate tests' world: a filed institution, a key ring in a temp dir."""

from tests.certificates.conftest import _certificate_env, filed, make_result, occupations, photo  # noqa: F401
