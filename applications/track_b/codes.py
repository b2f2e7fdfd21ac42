"""The evaluation-institution code = the filing number (备案编号, DOMAIN §6).

``Y`` (a university filing as an employer-type institution) + ``0000`` (the ministry's four digits,
0000 when first filed with a provincial HRSS) + ``34`` (Anhui) + a 6-digit sequence that the provincial
HRSS allocates — province-wide, whichever city files the school. Example: ``Y000034000017``.

``allocate`` must run inside the filing transaction: it locks the province's counter row, so
concurrent filings queue, and a filing that rolls back gives its number back (no gaps, no reuse). A number
already held by a historical filing (registered from its receipt, ``services.historical``) is skipped.
"""

import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import FilingApplication, FilingCodeCounter

PREFIX = "Y"
MINISTRY = "0000"
PROVINCE = "34"
CODE_RE = re.compile(rf"^{PREFIX}{MINISTRY}{PROVINCE}\d{{6}}$")
MAX_SEQUENCE = 999_999


class CodeSpaceExhausted(Exception):
    pass


def format_code(sequence):
    return f"{PREFIX}{MINISTRY}{PROVINCE}{sequence:06d}"


def is_valid(code):
    return bool(code and CODE_RE.match(code)) and code[-6:] != "000000"


def allocate():
    """The next code of the province. Call inside ``transaction.atomic()`` (the filing's)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("codes.allocate() must run inside the filing transaction")
    try:
        counter = FilingCodeCounter.objects.select_for_update().get(pk=PROVINCE)
    except FilingCodeCounter.DoesNotExist:
        try:
            with transaction.atomic():  # a savepoint: another filing may create the row at the same moment
                FilingCodeCounter.objects.create(pk=PROVINCE, last_sequence=0)
        except IntegrityError:
            pass
        counter = FilingCodeCounter.objects.select_for_update().get(pk=PROVINCE)
    sequence = counter.last_sequence + 1
    while FilingApplication.objects.filter(filing_code=format_code(sequence)).exists():
        sequence += 1  # a historical filing registered from its receipt holds this number
    if sequence > MAX_SEQUENCE:
        raise CodeSpaceExhausted(_("本省备案编号顺序号已用尽。"))
    counter.last_sequence = sequence
    counter.save(update_fields=["last_sequence"])
    return format_code(sequence)
