"""Shapes of the API's answers (OpenAPI components). Field names are English; values and messages Chinese."""

import datetime
from typing import Any

from ninja import Schema


class Error(Schema):
    detail: str


class ValidationErrors(Schema):
    detail: str
    errors: list[dict[str, Any]]


# Every answer an authenticated endpoint may give besides its success (documented, so a client and the
# schemathesis run know them all).
AUTH_ERRORS = {401: Error, 403: Error, 422: ValidationErrors}
ERRORS = {400: Error, 404: Error, **AUTH_ERRORS}


class PublicFacts(Schema):
    """What the public verification page shows: the holder's name and ID masked."""

    status: str
    status_label: str
    kind: str
    kind_label: str
    number: str
    masked_name: str
    masked_id: str
    level: str
    field: str
    field_label: str
    issuer_name: str
    issuer_code: str
    issue_date: datetime.date
    revocation_reason: str
    revoked_at: datetime.datetime | None
    replacement_number: str | None
    verification_url: str


class QrText(Schema):
    text: str


class QrVerification(Schema):
    signature_valid: bool
    reason: str
    signed: dict[str, Any] | None
    current: PublicFacts | None


class Progress(Schema):
    status: str
    status_label: str
    done: int
    total: int
    percent: int
    finished: bool


class ImportOut(Schema):
    id: int
    status: str
    status_label: str
    kind: str
    original_name: str
    graduation_year: int | None
    rows: int
    new: int
    updated: int
    unchanged: int
    rekeyed: int
    error_count: int
    errors: list[list[Any]]
    warning_count: int
    warnings: list[Any]
    columns_used: list[Any]
    columns_ignored: list[Any]
    created_at: datetime.datetime
    imported_at: datetime.datetime | None
    confirm_error: str
    queued: bool
    progress: Progress


class ConfirmIn(Schema):
    accept_changes: bool = False


class GraduateOut(Schema):
    id: int
    student_number: str
    name: str
    masked_id: str
    major: str
    graduation_year: int
    level: str | None
    level_label: str | None
    may_apply: bool | None


class GraduatePage(Schema):
    items: list[GraduateOut]
    next_after: int | None


class VerdictOut(Schema):
    graduate: GraduateOut
    level: str
    level_label: str
    path: str
    may_apply: bool
    evaluated_at: datetime.datetime
    standard_version: int | None
    result: dict[str, Any]


class CertificateOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    holder_name: str
    masked_id: str
    level: str
    field: str
    issuer_code: str
    issue_date: datetime.date
    revocation_reason: str
    pdf_sha256: str


class CertificatePage(Schema):
    items: list[CertificateOut]
    next_after: int | None
