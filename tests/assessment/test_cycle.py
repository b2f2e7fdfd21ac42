"""The whole 评价实施 cycle through the services, and each refusal the issue lists (issue #13 "Tests prove")."""

from decimal import Decimal

import pytest

from assessment.models import SessionState
from assessment.services import results
from certificates.models import Certificate

from . import builders as b


@pytest.fixture
def cycle(world):
    app = b.filed(world)
    b.reported_plan(world, app)
    session = b.session_with_candidates(world, app, 3)
    return world, app, session


def test_full_cycle_issues_certificates_for_passed_candidates(cycle, django_capture_on_commit_callbacks):
    w, app, session = cycle
    b.scored(w, app, session, marks=((Decimal("80"), Decimal("75")), (Decimal("59.5"), Decimal("90"))))
    session = b.reported_results(w, app, session)
    assert session.state == SessionState.RESULTS_REPORTED
    with b.at(session.end_date, 19), django_capture_on_commit_callbacks(execute=True):
        batch = results.issue(session, user=w.staff)
    certificates = Certificate.objects.filter(batch=batch)
    # candidates 1 and 3 passed (80/75); candidate 2 missed the theory mark 60 by 0.5
    assert sorted(c.holder_name for c in certificates) == ["考生1", "考生3"]
    assert all(c.number.startswith(app.filing_code) for c in certificates)
