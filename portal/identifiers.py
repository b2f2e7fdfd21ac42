"""Identifiers the portal validates (DOMAIN §6) and how personal data is masked (DOMAIN §8).

The checksums come from python-stdnum. Two decisions are ours:

- 公民身份号码: the check digit and the birth date must be right; an unknown or
  out-of-date place code is only a *warning* — the code is where the person was first
  registered, and newer county codes with older birth years are real.
- The place lookup is the slow part of ``stdnum.cn.ric.validate`` (~40 µs); it is cached
  per six-digit code so that bulk imports pay it once per code, not once per row.
"""

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum import numdb
from stdnum.cn import ric, uscc


@dataclass(frozen=True, slots=True)
class RicResult:
    number: str  # normalised: upper-case, no spaces
    error: str | None = None
    warning: str | None = None

    @property
    def ok(self):
        return self.error is None


def ric_check_digit(body17):
    """The GB 11643 check character of 17 digits. (stdnum's ``calc_check_digit`` expects the full 18
    characters and ignores the last one, so it is given a placeholder.)"""
    return ric.calc_check_digit(body17 + "0")


def normalize_ric(value):
    return str(value or "").strip().replace(" ", "").upper()


@lru_cache(maxsize=8192)
def place_warning(place_code, birth_year):
    """A warning for a place code not valid in the birth year, worded as what it is; None when valid. Cached.

    stdnum's table (from the 行政区划代码 lists) gives each county code the years it was in use: a code set
    up after the person's birth year (a new 区 or 县级市 — common for graduates born around 2003) is
    "later than the birth year"; one withdrawn before it is "withdrawn"; one not in the table is "unlisted".
    All are accepted: the code is where the person was first registered (DOMAIN §6).
    """
    try:
        found = numdb.get("cn/loc").info(place_code)
        counties = {k: v for _part, props in found for k, v in props.items()}.get("county")
    except (KeyError, ValueError):
        counties = None
    if not counties:
        return _("地址码未收录于行政区划代码表，已接受，请核对")
    starts, ends = [], []
    for county in counties.split(","):
        if not county.startswith("["):
            return None
        span = county[1:].split("]")[0]
        start, _dash, end = span.partition("-")
        if (not start or birth_year >= int(start)) and (not end or birth_year <= int(end)):
            return None
        if start and birth_year < int(start):
            starts.append(int(start))
        if end and birth_year > int(end):
            ends.append(int(end))
    if starts:
        return _("地址码晚于出生年份（该行政区划%(year)d年设立），已接受") % {"year": min(starts)}
    return _("地址码在出生年份前已撤销（%(year)d年撤销），已接受") % {"year": max(ends)}


def check_ric(value):
    """Checks a 公民身份号码 (GB 11643): length, digits, check digit, birth date; place code as a warning."""
    number = normalize_ric(value)
    if not number:
        return RicResult(number, _("身份证号不能为空"))
    if len(number) != 18:
        return RicResult(number, _("身份证号应为18位，实际为%(n)d位") % {"n": len(number)})
    body = number[:17]
    if not body.isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return RicResult(number, _("身份证号前17位须为数字，末位为数字或X"))
    if ric_check_digit(body) != number[17]:
        return RicResult(number, _("身份证号校验位错误"))
    try:
        # What stdnum.cn.ric.get_birth_date does, without its per-call clean-up of an already clean
        # number (that clean-up is most of its cost; bulk imports check 10^5 numbers at once).
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return RicResult(number, _("身份证号中的出生日期无效"))
    return RicResult(number, None, place_warning(number[:6], birth.year))


def validate_ric(value):
    """Django validator for model and form fields."""
    result = check_ric(value)
    if result.error:
        raise ValidationError(result.error, code="invalid_ric")


def validate_uscc(value):
    """统一社会信用代码 (GB 32100), checked with stdnum.cn.uscc."""
    number = str(value or "").strip().upper()
    if len(number) != 18:
        raise ValidationError(_("统一社会信用代码应为18位，实际为%(n)d位") % {"n": len(number)}, code="invalid_uscc")
    try:
        uscc.validate(number)
    except stdnum_exceptions.InvalidChecksum as exc:
        raise ValidationError(_("统一社会信用代码校验位错误"), code="invalid_uscc") from exc
    except stdnum_exceptions.InvalidFormat as exc:
        raise ValidationError(
            _("统一社会信用代码格式错误：前8位须为数字（登记管理部门码、机构类别码和行政区划码），"
              "其余字符只能是数字和除I、O、Z、S、V以外的大写字母"),
            code="invalid_uscc",
        ) from exc


def mask_ric(number):
    """``340104********123X``: the first six and last four characters kept (DOMAIN §8)."""
    number = normalize_ric(number)
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_id(number):
    """``3401**********123X``: the first four and last four kept (the certificate QR contract's ``idm``)."""
    number = normalize_ric(number)
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_name(name):
    """``张*明``; two characters ``张*``; one character unchanged."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


_OCCUPATION_CODE = re.compile(r"^[1-8]-\d{2}-\d{2}-\d{2}$")


def validate_occupation_code(value):
    """职业编码 of the 2022 dictionary: ``大类-中类-小类-细类``, e.g. ``6-31-01-03`` (电工)."""
    if not _OCCUPATION_CODE.match(str(value or "")):
        raise ValidationError(_("职业编码“%(code)s”格式错误，应为“大类-中类-小类-细类”，如 6-31-01-03。")
                              % {"code": value}, code="invalid_occupation_code")
