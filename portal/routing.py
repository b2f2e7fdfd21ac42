"""Where an institution's applications go (通知 三(二)2(1); DOMAIN §4.2).

Derived from two facts kept on the institution — its affiliation and its city — never
from a hand-kept list: 部属高校 and 在肥省属高校 apply to the provincial HRSS; all others
to the HRSS of the city where they are (属地原则).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from portal.models import HEFEI, Affiliation, Role


@dataclass(frozen=True, slots=True)
class Authority:
    """A receiving office: a role plus, for city offices, the city code."""

    role: str
    city_code: str | None = None

    @property
    def is_provincial(self):
        return self.city_code is None

    def label(self, city_name=None):
        if self.is_provincial:
            return str(_("安徽省人力资源和社会保障厅"))
        return str(_("%(city)s人力资源和社会保障局")) % {"city": city_name or self.city_code}


def skill_filing_authority(institution):
    """The HRSS office that receives a Track-B (附件3/4) application of ``institution``."""
    if institution.affiliation == Affiliation.MINISTRY:
        return Authority(Role.PROVINCIAL_HRSS)
    if institution.affiliation == Affiliation.PROVINCIAL and institution.city_id == HEFEI:
        return Authority(Role.PROVINCIAL_HRSS)
    return Authority(Role.CITY_HRSS, institution.city_id)
