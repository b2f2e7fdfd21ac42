"""Lists that grow without bound: the audit log counts at most a cap of rows, its action filter lists the
distinct actions without a DISTINCT over the table, and the institution list is paginated."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import audit, selectors
from portal.forms import audit_actions
from portal.models import AuditLog
from portal.pagination import CappedPaginator
from tests.conftest import make_institution


def test_capped_count(world):
    for i in range(12):
        audit.record(actor=world.admin, action=f"test.a{i % 3}")
    rows = AuditLog.objects.filter(action__startswith="test.")
    paginator = CappedPaginator(rows, 2, cap=5)
    with CaptureQueriesContext(connection) as ctx:
        assert (paginator.count, paginator.capped, paginator.num_pages) == (5, True, 3)
    assert "LIMIT 6" in ctx.captured_queries[0]["sql"]  # never counts past the cap
    assert len(ctx.captured_queries) == 1  # the same count tells that there are more: no second scan
    exact = CappedPaginator(rows.filter(action="test.a0"), 2, cap=5)
    assert (exact.count, exact.capped) == (4, False)
    at_cap = CappedPaginator(rows.filter(action__in=["test.a0", "test.a1"]), 2, cap=8)  # exactly the cap's rows
    assert (at_cap.count, at_cap.capped) == (8, False)


def test_distinct_actions_by_index_probes(world):
    for action in ("z.last", "a.first", "m.middle", "a.first"):
        audit.record(actor=world.admin, action=action)
    actions = audit_actions()
    assert actions == sorted(set(AuditLog.objects.values_list("action", flat=True)))
    assert {"a.first", "m.middle", "z.last"} <= set(actions)


def test_audit_log_page_shows_the_capped_pager(world, client):
    client.force_login(world.admin)
    AuditLog.objects.bulk_create([AuditLog(actor_name="x", action="bulk.row") for _ in range(120)])
    body = client.get(reverse("audit_log")).content.decode()
    assert "第 1 / " in body and "下一页" in body


def test_institution_list_is_paginated(world, client):
    for i in range(60):
        make_institution(f"分页学院{i:02d}")
    client.force_login(world.prov_hrss)
    first = client.get(reverse("institution_list")).content.decode()
    assert first.count("<tr><td><a href=") == 50 and "下一页" in first
    second = client.get(reverse("institution_list") + "?page=2").content.decode()
    total = selectors.institutions_visible_to(world.prov_hrss).count()
    assert total > 60 and second.count("<tr><td><a href=") == total - 50
