"""Which HRSS office approves the filing (核准备案) of an evaluation committee (附件2 二(三)).

- 中级评委会: units of a city (省辖市部门（单位）) apply to the city HRSS; provincial departments (省直主管部门（单位）)
  to the provincial HRSS.
- 初级评委会: each unit applies to the HRSS of its own level (同级).

A pilot school's committee is a unit of the city whose HRSS granted its authority (属地, 通知 三(一)2(4)), so in
both cases it files with that city's HRSS — unless the committee is formed by a provincial department, which files
with the provincial HRSS. County-level units do not apply here: pilot schools are never county units.
"""

from portal.models import Role
from portal.routing import Authority


def committee_filing_office(committee):
    if committee.by_provincial_department:
        return Authority(Role.PROVINCIAL_HRSS)
    return Authority(Role.CITY_HRSS, committee.institution.city_id)
