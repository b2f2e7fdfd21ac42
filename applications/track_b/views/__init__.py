"""HTTP only: parse, ask access/selectors/services, render. Split by what the pages are about."""

from .applications import (
    accept,
    create,
    detail,
    document,
    edit,
    index,
    registry,
    return_for_revision,
    row_file,
    submit,
    withdraw,
)
from .evaluation import declare_conflict, file, panel, refuse, reopen, report, sign
from .exemptions import (
    exemption_batch,
    exemption_create,
    exemption_decide,
    exemption_detail,
    exemption_file,
    exemption_list,
    exemption_withdraw,
)
from .historical import historical_receipt, historical_register
from .requests import (
    entrustment_acknowledge,
    entrustment_create,
    entrustment_detail,
    entrustment_edit,
    entrustment_list,
    entrustment_plan_file,
    entrustment_report,
    entrustment_return,
)

__all__ = [
    "accept", "create", "detail", "document", "edit", "index", "registry", "return_for_revision", "row_file",
    "submit", "withdraw", "file", "panel", "declare_conflict", "refuse", "reopen", "report", "sign",
    "entrustment_acknowledge", "entrustment_create", "entrustment_detail", "entrustment_edit", "entrustment_list",
    "entrustment_plan_file", "entrustment_report", "entrustment_return", "exemption_batch", "exemption_create", "historical_receipt", "historical_register",
    "exemption_decide",
    "exemption_detail", "exemption_file", "exemption_list", "exemption_withdraw",
]
