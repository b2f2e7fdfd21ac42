"""Seeds the deploy stack's database through the app role: a filed school, its staff member, passed results
(built like the certificate tests' chain: filing, session, candidates, results).
Run with the stack's environment: ``python tests/deploy/seed.py N`` prints the result ids, comma-separated."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from portal.demo import make_uscc  # noqa: E402
from portal.identifiers import ric_check_digit  # noqa: E402
from portal.models import Institution, Occupation, Role, RoleAssignment, User  # noqa: E402
from tests.certificates.chain import filed_application, reported_result, session_for  # noqa: E402
from tests.otp import enrolled_authenticator  # noqa: E402

PASSWORD = os.environ["DEPLOY_PASSWORD"]


def ric(i):
    body = f"34010419990101{i:03d}"
    return body + ric_check_digit(body)


def main(n):
    inst = Institution.objects.create(
        name="安徽工业大学", uscc=make_uscc("12340000485960317"), affiliation="provincial", city_id="3405",
        kind="undergraduate", applied_engineering=True, industry_college_name="安徽工业大学现代产业学院",
        industry_college_level="provincial", industry_college_year=2021)
    staff = User.objects.create_user("staff", password=PASSWORD, full_name="经办人")
    RoleAssignment.objects.create(user=staff, role=Role.UNIVERSITY_STAFF, institution=inst)
    enrolled_authenticator(staff)  # an official signs in with a second step (the test reads the key back)
    occupation, _ = Occupation.objects.update_or_create(
        code="6-31-01-03", defaults={"name": "电工", "job_types": "维修电工\n电力电工", "focus": "im"})
    # The same chain the certificate tests build: a Track B filing, a session, present candidates' results.
    filing = filed_application(inst, "Y000034000017", [occupation], staff=staff)
    session = session_for(filing, occupation, 3, staff=staff)
    results = [reported_result(session, name=f"学员{i}", id_number=ric(100 + i), job_type="维修电工", staff=staff)
               for i in range(n)]
    print(",".join(str(r.pk) for r in results))


if __name__ == "__main__":
    main(int(sys.argv[1]))
