"""Issue 15 §20: the audit log and histories read in Chinese with people's names, never raw codes."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django_fsm import FSMFieldMixin

from portal import audit, audit_labels

ROOT = Path(settings.BASE_DIR)
CODE = re.compile(r"""action=["']([a-z_]+(?:\.[a-z_]+)*)["']""")
SOURCES = sorted({cfg.name.split(".")[0] for cfg in apps.get_app_configs()
                  if (ROOT / cfg.name.split(".")[0]).is_dir()})  # every app of this repository
ARGPARSE = {"store", "store_true", "store_false", "store_const", "append", "count", "version", "help"}


def recorded_action_codes():
    """Every literal ``action="..."`` passed to the audit log in the code base (argparse's are not)."""
    codes = set()
    for base in SOURCES:
        for path in (ROOT / base).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            codes.update(CODE.findall(text))
    return codes - ARGPARSE


def test_every_recorded_action_has_a_chinese_label():
    codes = recorded_action_codes()
    assert "certificates.download_pdf" in codes and "login" in codes  # the scan finds them
    missing = sorted(c for c in codes if audit_labels.action_label(c) == c)
    assert not missing, f"audit actions without a label in portal/audit_labels.py: {missing}"


def test_every_workflow_transition_has_a_chinese_label():
    missing = []
    for model in apps.get_models():
        for field in model._meta.fields:
            if isinstance(field, FSMFieldMixin):
                for t in field.get_all_transitions(model):
                    code = f"{model._meta.label_lower}.{t.name}"
                    if audit_labels.action_label(code) == code:
                        missing.append(code)
    assert not missing, f"transitions without a label (register_transitions in the app's ready()): {missing}"


def test_transition_labels_name_the_model_and_the_states():
    assert audit_labels.action_label("certificates.certificate.revoke") == "证书：撤销"
    assert audit_labels.changes_text("certificates.certificate", {"state": ["valid", "revoked"]}) == "有效 → 已撤销"
    assert audit_labels.action_label("no.such.code") == "no.such.code"


def test_the_audit_page_shows_names_and_chinese_actions(world, client):
    world.staff.full_name = "王经办"
    world.staff.save()
    audit.record(actor=world.staff, action="certificates.download_pdf", role="university_staff")
    audit.record(actor=world.staff, action="certificates.certificate.revoke", role="university_staff",
                 changes={"state": ["valid", "revoked"], "comment": "弄虚作假"})
    client.force_login(world.admin)
    body = client.get(reverse("audit_log")).content.decode()
    assert "下载证书PDF" in body and "证书：撤销" in body and "有效 → 已撤销" in body
    assert "王经办" in body and "高校经办人" in body
    assert ">certificates.download_pdf<" not in body and "univ revoke" not in body
