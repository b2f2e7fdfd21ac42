from django import forms
from django.db import connection
from django.utils.translation import gettext_lazy as _

from portal import audit_labels
from portal.models import AuditLog


def whole_number(value):
    """``value`` as a row id when it is one (ASCII digits, within a bigint), else 0 — which no row has, so a forged
    or garbled value ("abc", full-width digits, a NUL) finds nothing (a 404, or "please choose") instead of reaching
    ``int()`` in the ORM and answering 500."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else 0


def posted_id(data, name):
    """The row id a hand-built form posted as ``name`` (a row's id, a select's choice): ``whole_number``."""
    return whole_number(data.get(name))


def audit_actions():
    """The distinct actions of the audit log, by a loose index scan (one index probe per distinct value) instead
    of a DISTINCT over the whole table; exact, and fast while actions are few and rows many."""
    table = connection.ops.quote_name(AuditLog._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE t(a) AS (SELECT MIN(action) FROM {table} UNION ALL "
            f"SELECT (SELECT MIN(action) FROM {table} WHERE action > t.a) FROM t WHERE t.a IS NOT NULL) "
            "SELECT a FROM t WHERE a IS NOT NULL")
        return [row[0] for row in cursor.fetchall()]


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    action = forms.CharField(label=_("操作"), required=False, max_length=64)
    object_type = forms.CharField(label=_("对象类型"), required=False, max_length=64)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actions = audit_actions()
        self.fields["action"].widget = forms.Select(choices=[("", _("全部"))] + sorted(
            ((a, audit_labels.action_label(a)) for a in actions), key=lambda choice: choice[1]))
