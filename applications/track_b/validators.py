"""Checks of what a registrar types that portal.identifiers does not cover: telephone numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# 0 + area code (2–3 digits) + 7–8 digit number, optional extension: 0551-62663225, 055162663225, 0553-1234567-8001
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def normalize_phone(value):
    return re.sub(r"[\s()（）]", "", str(value or "")).replace("—", "-").replace("－", "-")


def validate_phone(value):
    """A mainland mobile number (11 digits, 1[3-9]…) or a landline with area code (座机/手机)."""
    number = normalize_phone(value)
    if number.startswith("+86"):
        number = number[3:].lstrip("-")
    if _MOBILE.match(number) or _LANDLINE.match(number):
        return
    raise ValidationError(
        _("电话号码“%(value)s”格式不正确：手机号为11位（如 13905510000），座机须带区号（如 0551-62663225）。")
        % {"value": value}, code="invalid_phone")
