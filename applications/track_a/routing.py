"""Which HRSS office approves the filing (核准备案) of an evaluation committee — derived, never chosen.

附件2 二(三): "申报中级职称评审委员会的，省辖市部门（单位）向市人力资源社会保障部门申请，省直部门（单位）向省人力资源
社会保障厅申请；申报初级职称评审委员会的，向同级人力资源社会保障部门申请。"

A pilot school forms its own committee, so the unit is the school and its level is the level of its 主管部门:

- a 省属 school is a 省直 unit → the provincial HRSS, wherever the school is (not Track B's 合肥 rule);
- a 部属 school → the provincial HRSS (our decision: the ministry is above the province, the province is the
  highest HRSS level the pilot involves);
- a 市属 school is a city unit → the HRSS of its city;
- a 民办 school → by the level of the education authority that approved it, kept on the school
  (``Institution.private_approver_level``: 省教育厅 → provincial, a city authority → its city) — our decision.
  When that is not recorded the office is unknown, and unknown is never met: the committee cannot be filed.

For a 初级 committee "同级" gives the same answer: the school's own level is the level just described (pilot
schools are never county units). This is NOT ``portal.routing.skill_filing_authority`` (Track B, 通知 三(二)2(1)).
"""

from django.utils.translation import gettext_lazy as _

from portal import access
from portal.models import Affiliation, ApproverLevel, Role
from portal.routing import Authority

UNKNOWN_OFFICE = _("民办院校须先在院校信息中登记批准其设立的教育行政部门级别（省教育厅或市级），"
                   "才能确定评委会的核准备案部门（附件2 二(三)）。")


def filing_office_for(institution):
    """The office a committee of ``institution`` files with, or None when it cannot be known (民办, unrecorded)."""
    affiliation = institution.affiliation
    if affiliation in (Affiliation.MINISTRY, Affiliation.PROVINCIAL):
        return Authority(Role.PROVINCIAL_HRSS)
    if affiliation == Affiliation.MUNICIPAL:
        return Authority(Role.CITY_HRSS, institution.city_id)
    if affiliation == Affiliation.PRIVATE:
        level = getattr(institution, "private_approver_level", "")
        if level == ApproverLevel.PROVINCIAL:
            return Authority(Role.PROVINCIAL_HRSS)
        if level == ApproverLevel.CITY:
            return Authority(Role.CITY_HRSS, institution.city_id)
    return None


def committee_filing_office(committee):
    """The office ``committee`` files with (核准备案, 调整, 撤销, 续期) — None when unknown (see module doc)."""
    return filing_office_for(committee.institution)


def office_label(office, institution):
    if office is None:
        return str(_("尚不能确定（民办院校未登记审批机关级别）"))
    return office.label(institution.city.name)


def is_filing_office(user, committee):
    """Whether ``user`` works in the office ``committee`` files with."""
    office = committee_filing_office(committee)
    if office is None:
        return False
    if office.is_provincial:
        return access.has_role(user, office.role)
    return office.city_code in access.city_codes(user, office.role)
