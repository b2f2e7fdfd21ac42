"""List pages and dashboard panels run a number of queries that does not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.track_b.models import (
    Entrustment,
    ExemptionBatch,
    ExemptionRequest,
    FiledOccupation,
    FilingApplication,
    PanelMember,
)
from tests.track_b.factories import occ, pool


def grow(w, n, start=0):
    pool(w)
    for i in range(start, start + n):
        for state in ("submitted", "accepted", "filed"):
            app = FilingApplication.objects.create(
                institution=w.inst, authority_role="city_hrss", authority_city_id="3405", revision=1, state=state,
                created_by=w.staff, unit_name=f"学院{i}", filing_code=f"Y00003490{i:04d}" if state == "filed" else None)
            if state == "filed":
                FiledOccupation.objects.create(application=app, occupation=occ("6-31-01-03"), level=3)
                FiledOccupation.objects.create(application=app, occupation=occ("4-12-01-01"), level=4)
            if state == "accepted":
                PanelMember.objects.create(application=app, expert=w.expert, assigned_by=w.city_hrss,
                                           is_leader=False, employer="x")
        Entrustment.objects.create(institution=w.inst, authority_role="city_hrss", authority_city_id="3405",
                                   created_by=w.staff, state="reported", plan="p")
        batch = ExemptionBatch.objects.create(institution=w.inst, submitted_by=w.staff)
        ExemptionRequest.objects.create(student=w.student, institution=w.inst, name=f"学生{i}",
                                        batch=batch if i % 2 else None, state="submitted" if i % 2 else "prepared",
                                        id_number="340104200001010019", major="m", certificate_name="c",
                                        certificate_level="junior", certificate_number="n", certificate_issuer="i",
                                        certificate_file="x.pdf", occupation=occ("4-12-01-01"), level=5,
                                        subjects="theory")


PAGES = [
    ("track_b:index", "staff"), ("track_b:index", "city_hrss"), ("track_b:index", "expert"),
    ("track_b:index", "admin"), ("track_b:registry", "staff"), ("track_b:entrustment_list", "city_hrss"),
    ("track_b:entrustment_list", "staff"), ("track_b:exemption_list", "prov_hrss"),
    ("track_b:exemption_list", "student"),
    ("track_b:exemption_batch", "staff"), ("home", "staff"), ("home", "city_hrss"), ("home", "prov_hrss"),
    ("home", "prov_edu"), ("home", "expert"), ("home", "student"),
]


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize("name, who", PAGES)
def test_queries_do_not_grow_with_the_data(name, who, world, client):
    client.force_login(getattr(world, who))
    url = reverse(name)
    client.get(url)  # the first request of a session does its own bookkeeping
    grow(world, 2)
    small = _count(client, url)
    grow(world, 12, start=2)
    large = _count(client, url)
    assert large == small, f"{name} as {who}: {small} queries with little data, {large} with more"
    assert large <= 25
