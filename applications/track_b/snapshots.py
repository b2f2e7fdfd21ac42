"""What was submitted, and what changed since the previous submission.

Each submission stores a snapshot of 附件3/附件4 (``Submission.data``); a resubmission stores the
difference to the previous one (``Submission.changes``), so the office sees what the university revised
after a return (退回修改) — and the history of every submission is kept.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from portal.identifiers import mask_ric

from .completeness import load_rows
from .models import (
    Equipment,
    Examiner,
    FilingApplication,
    ImplementationPlan,
    ListedExpert,
    MajorOccupation,
    PassStandard,
    RegulationDocument,
    Staff,
)
from .sections import BY_KEY

BASIC_FIELDS = ("unit_name", "unit_address", "unit_nature", "uscc", "head_name", "head_phone", "org_head_name",
                "org_head_phone", "org_contact_name", "org_contact_phone", "website", "contact_email")
TEXT_FIELDS = {"advantages": ("advantages",), "venues": ("venues", "exam_it"),
               "other": ("other_info", "applicant_opinion", "declaration")}
PLAN_FIELDS = ("target_level", "basic", "training", "duties", "evaluation_design", "commitment", "signatory")
ROW_SETS = {
    "majors": (MajorOccupation, ("major_name", "occupation", "job_type", "item_writers", "examiners_count")),
    "regulations": (RegulationDocument, ("title", "original_name")),
    "equipment": (Equipment, ("name", "brand", "spec", "quantity", "ownership")),
    "staff": (Staff, ("name", "id_number", "title", "education", "duties")),
    "experts": (ListedExpert, ("name", "id_number", "employer", "title", "education", "specialty")),
    "examiners": (Examiner, ("name", "id_number", "employer", "title", "education", "domain")),
    "pass_standards": (PassStandard, ("occupation", "subject", "pass_mark")),
}
ROW_SECTION = {"equipment": "venues", "pass_standards": "standards"}


def _value(obj, field):
    value = getattr(obj, field)
    if field == "occupation":
        return f"{value.code} {value.name}" if value is not None else ""
    if field == "target_level":
        return obj.get_target_level_display() if value else ""
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return str(value)
    return "" if value is None else value


def snapshot(app, *, plan=None, rows=None):
    rows = rows or load_rows(app)
    data = {"basic": {f: _value(app, f) for f in BASIC_FIELDS}}
    for section, fields in TEXT_FIELDS.items():
        data[section] = {f: _value(app, f) for f in fields}
    plan = plan or ImplementationPlan.objects.filter(application=app).first()
    data["plan"] = {f: (_value(plan, f) if plan else "") for f in PLAN_FIELDS}
    for key, (_model, fields) in ROW_SETS.items():
        data[key] = [{"id": r.pk, **{f: _value(r, f) for f in fields}} for r in rows[key]]
    return data


def _label(model, field):
    return str(model._meta.get_field(field).verbose_name)


def _shown(field, value):
    if field == "id_number" and value:
        return mask_ric(value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value) if value not in (None, "") else "—"


def diff(old, new):
    """[{section, title, what, field, old, new}] — what changed between two snapshots."""
    if not old:
        return []
    changes = []

    def add(section_key, what, field="", before="", after=""):
        changes.append({"section": section_key, "title": str(BY_KEY[section_key].title), "what": what,
                        "field": field, "old": before, "new": after})

    for section, model, fields in [("basic", FilingApplication, BASIC_FIELDS),
                                   *[(s, FilingApplication, f) for s, f in TEXT_FIELDS.items()],
                                   ("plan", ImplementationPlan, PLAN_FIELDS)]:
        for f in fields:
            a, b = old.get(section, {}).get(f, ""), new.get(section, {}).get(f, "")
            if a != b:
                add(section, _("修改"), _label(model, f), _shown(f, a), _shown(f, b))
    for key, (model, fields) in ROW_SETS.items():
        section = ROW_SECTION.get(key, key)
        before = {r["id"]: r for r in old.get(key, [])}
        after = {r["id"]: r for r in new.get(key, [])}
        for row_id, row in after.items():
            name = _shown(fields[0], row.get(fields[0], ""))
            if row_id not in before:
                add(section, _("新增一行"), name, "", "；".join(_shown(f, row.get(f, "")) for f in fields))
                continue
            for f in fields:
                a, b = before[row_id].get(f, ""), row.get(f, "")
                if a != b:
                    add(section, _("修改“%(row)s”") % {"row": name}, _label(model, f), _shown(f, a), _shown(f, b))
        for row_id, row in before.items():
            if row_id not in after:
                add(section, _("删除一行"), _shown(fields[0], row.get(fields[0], "")),
                    "；".join(_shown(f, row.get(f, "")) for f in fields), "")
    return changes
