"""A page offers only links its reader may follow: a link that answers 403 or 404 to the person who was shown it
is a broken promise (a crawl of the demo as every account found an examiner sent to the plan and the certificates
of a session, an expert of the provincial group to the school's committee and standards, a student to the skill
assessment's office pages)."""

import re
from decimal import Decimal

from django.urls import reverse

from applications.track_a.models import ExpertGroup
from assessment.services import results
from tests.assessment import builders as b
from tests.track_a import factories as ta

HREF = re.compile(r'href="(/[^"#?]*)"')
SKIP = ("/static/", "/accounts/logout", "/media/")


def followed(client, url):
    """{link: status} of every internal link on ``url`` as ``client`` sees it."""
    page = client.get(url)
    assert page.status_code == 200, url
    links = sorted({h for h in HREF.findall(page.content.decode()) if not h.startswith(SKIP)})
    assert links, url
    return {link: client.get(link).status_code for link in links}


def dead(client, url, *, files=True):
    """The links on ``url`` that answer 403 or 404; ``files=False``: leaving out stored files (the Track A factory
    names its files without writing them)."""
    return {link: status for link, status in followed(client, url).items()
            if status in (403, 404) and (files or "/files/" not in link)}


def test_an_examiner_is_not_sent_to_the_plan_or_the_certificates(world, client, django_capture_on_commit_callbacks):
    app = b.filed(world)
    b.reported_plan(world, app)
    session = b.session_with_candidates(world, app, 2)
    b.scored(world, app, session, marks=((Decimal("80"), Decimal("75")),))
    session = b.reported_results(world, app, session)
    with b.at(session.end_date, 19), django_capture_on_commit_callbacks(execute=True):
        results.issue(session, user=world.staff)
    url = reverse("assessment:session", args=[session.pk])
    client.force_login(b.examiner_users(app)[0])
    assert dead(client, url) == {}
    client.force_login(world.staff)  # the school still follows both
    links = followed(client, url)
    assert reverse("assessment:plan", args=[session.plan_line.plan_id]) in links
    assert any(link.startswith("/certificates/") for link in links)


def test_an_expert_of_the_provincial_group_reads_the_application_without_dead_ends(world, client):
    app = ta.application_in(world, "authorised")
    ta.committee(world, "draft")
    expert = ExpertGroup.objects.filter(application=app).first().members.first().expert.user
    client.force_login(expert)
    assert dead(client, reverse("track_a:detail", args=[app.pk]), files=False) == {}


def test_a_student_is_not_sent_to_the_offices_pages(world, client):
    b.graduate(world.inst, 1, user=world.student)
    client.force_login(world.student)
    assert dead(client, reverse("assessment:mine")) == {}
