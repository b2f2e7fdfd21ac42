"""Certificate numbers: gap-free, never reused, safe under concurrent issuance.

Skill (DOMAIN §6), 22 characters::

    Y000034000017 26 3 000001
    │             │  │ └ serial, per (institution, year, level), from 000001
    │             │  └ level digit (5 初级工 … 1 高级技师; the pilot issues 3–5)
    │             └ two-digit year of issue
    └ 13-character evaluation-institution code (the filing number)

Title (our scheme, same guarantees), 22 characters::

    GC34 485960317 26 3 000001
    │    │         │  │ └ serial, per (school, year, level), from 000001
    │    │         │  └ level digit: 1 工程师 (中级), 2 助理工程师 (助理级), 3 技术员 (员级)
    │    │         └ two-digit year of issue
    │    └ the school's 9-character organisation code (characters 9–17 of its 统一社会信用代码,
    │      unique nationally and stable for the school)
    └ GC = 工程系列, 34 = Anhui

The serial comes from a ``SerialCounter`` row locked (``UPDATE … RETURNING``) in the issuing transaction:
concurrent issuances in one scope queue on the row, and a rolled-back issuance rolls its serial back.
Certificates are never deleted, so a number, once issued, is never given again — also after revocation.
"""

from django.db import connection, transaction
from django.utils.translation import gettext as _

from .models import SerialCounter

MAX_SERIAL = 999_999
TITLE_LEVEL_DIGITS = {"工程师": 1, "助理工程师": 2, "技术员": 3}
TITLE_GRADES = {"工程师": "中级", "助理工程师": "助理级", "技术员": "员级"}
SKILL_LEVEL_LABELS = {1: "一级/高级技师", 2: "二级/技师", 3: "三级/高级工", 4: "四级/中级工", 5: "五级/初级工"}


class NumberingError(Exception):
    pass


def allocate(scope):
    """The next serial in ``scope``; must run inside the issuing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate() must run inside the transaction that stores the certificate")
    serial = _increment(scope)
    if serial is None:  # a new scope, or one used up
        SerialCounter.objects.bulk_create([SerialCounter(scope=scope, last=0)], ignore_conflicts=True)
        serial = _increment(scope)
    if serial is None:
        raise NumberingError(_("编号范围 %(scope)s 的序号已用尽。") % {"scope": scope})
    return serial


def _increment(scope):
    """One statement: ``UPDATE … SET last = last + 1 … RETURNING last``. The UPDATE locks the row until the issuing
    transaction ends (as ``select_for_update`` did, in one round trip instead of three): concurrent issuances
    queue on it, and a rollback gives the serial back. None when the scope has no row or is used up."""
    q = connection.ops.quote_name
    table, last, scope_column = (q(SerialCounter._meta.db_table), q(SerialCounter._meta.get_field("last").column),
                                 q(SerialCounter._meta.get_field("scope").column))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {last} = {last} + 1 WHERE {scope_column} = %s AND {last} < %s "
                       f"RETURNING {last}", [scope, MAX_SERIAL])
        row = cursor.fetchone()
    return row[0] if row else None


def skill_number(institution_code, year, level):
    yy = year % 100
    serial = allocate(f"skill:{institution_code}:{yy:02d}:{level}")
    return f"{institution_code}{yy:02d}{level}{serial:06d}"


def organisation_code(uscc):
    return uscc[8:17]


def title_number(uscc, year, qualification):
    digit = TITLE_LEVEL_DIGITS[qualification]
    org = organisation_code(uscc)
    yy = year % 100
    serial = allocate(f"title:{org}:{yy:02d}:{digit}")
    return f"GC34{org}{yy:02d}{digit}{serial:06d}"
