import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from portal import audit
from portal.models import AuditLog


def test_audit_rows_cannot_be_changed_or_deleted(world):
    entry = audit.record(actor=world.staff, action="test.action", obj=world.inst, role="university_staff",
                         changes={"name": ["a", "b"]})
    entry.action = "forged"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_database_refuses_update_and_delete(world):
    audit.record(actor=world.staff, action="test.action")
    statements = ["UPDATE portal_auditlog SET action = 'forged'"]
    if connection.vendor == "postgresql":  # SQLite (demo only) keeps DELETE for the test flush
        statements.append("DELETE FROM portal_auditlog")
    for statement in statements:
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
    assert AuditLog.objects.filter(action="test.action").count() == 1


def test_queryset_bulk_changes_are_refused_too(world):
    audit.record(actor=world.staff, action="test.action")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditLog.objects.all().update(action="forged")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditLog.objects.all()._raw_delete(AuditLog.objects.db)


def test_admin_offers_no_edit_or_delete(world, login):
    entry = audit.record(actor=world.staff, action="test.action")
    client = login(world.admin)
    assert client.get(reverse("admin:portal_auditlog_changelist")).status_code == 200
    response = client.get(reverse("admin:portal_auditlog_change", args=[entry.pk]))
    assert response.status_code == 200 and b'name="_save"' not in response.content
    assert client.get(reverse("admin:portal_auditlog_delete", args=[entry.pk])).status_code == 403
    assert client.get(reverse("admin:portal_auditlog_add")).status_code == 403


def test_audit_page_filters(world, login):
    audit.record(actor=world.staff, action="application.submit", obj=world.inst, role="university_staff")
    audit.record(actor=world.city_hrss, action="application.accept", role="city_hrss")
    client = login(world.prov_hrss)

    def rows(**params):
        return client.get(reverse("audit_log"), params).content.decode().split("<tbody>")[1]

    assert "application.submit" in rows(action="application.submit")
    assert "application.accept" not in rows(action="application.submit")
    assert "application.accept" in rows(actor="city_hrss")
    assert "application.submit" not in rows(actor="city_hrss")


def test_record_is_rolled_back_with_the_change(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(actor=world.staff, action="test.rollback")
        raise RuntimeError
    assert not AuditLog.objects.filter(action="test.rollback").exists()
