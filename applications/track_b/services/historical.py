"""A filing made before the portal existed (issue #12 item 4): "相关高校经评估论证并正式备案后，可向本校相关专业应届
毕业生开展职业技能等级认定" (通知 三(二)1). Such a filing can be registered only by its filing office — the office
derived for the institution (通知 三(二)2(1), ``portal.routing.skill_filing_authority``) — from its 备案回执: the
receipt number (the filing code, first character "Y", 通知 三(二)2(3)) and a scan of the receipt. It is marked
``historical`` wherever it shows, and certificates may rest on it as on a filing made in the portal.
"""

import re
from datetime import datetime, time

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.workflow import run_transition
from portal import access
from portal.models import Institution, Occupation, Role
from portal.routing import skill_filing_authority

from .. import selectors
from ..access import is_authority_official
from ..models import FiledOccupation, FilingApplication, FilingState, SkillLevel
from .common import TrackBError, link

# Y + 4 digits of the ministry + 34 (Anhui) + the province's 6-digit sequence (DOMAIN §6).
RECEIPT_NUMBER = re.compile(r"^Y\d{4}34\d{6}$")


def offices_institutions(user):
    """The institutions whose filing office the user is an official of (their derived authority)."""
    if not access.has_role(user, Role.CITY_HRSS, Role.PROVINCIAL_HRSS):
        return []
    return [i for i in Institution.objects.select_related("city").order_by("city_id", "name")
            if _is_office_of(user, i)]


def _is_office_of(user, institution):
    authority = skill_filing_authority(institution)
    probe = FilingApplication(authority_role=authority.role, authority_city_id=authority.city_code)
    return is_authority_official(user, probe)


def receipt_number_problem(number):
    if not RECEIPT_NUMBER.match(number) or number.endswith("000000"):
        return _("备案回执编号应为13位：首位为“Y”，后接4位部级代码、安徽省代码34和6位顺序号，如 Y000034000017。")
    if FilingApplication.objects.filter(filing_code=number).exists():
        return _("备案编号 %(code)s 已被登记或已分配，不能重复登记。") % {"code": number}
    return ""


def register_historical_filing(*, user, institution, receipt_number, filed_on, unit_name, receipt_scan,
                               occupations):
    """Registers the institution as filed from its receipt. ``occupations``: [(Occupation, level, job types)]."""
    if not _is_office_of(user, institution):
        raise PermissionDenied("track_b.register_historical")
    receipt_number = (receipt_number or "").strip().upper()
    problems = []
    problem = receipt_number_problem(receipt_number)
    if problem:
        problems.append(problem)
    if filed_on is None or filed_on > timezone.localdate():
        problems.append(_("备案日期应为回执所载日期，不能晚于今天。"))
    if not occupations:
        problems.append(_("至少登记一个备案的职业（工种）。"))
    seen = set()
    for occupation, level, _job_types in occupations:
        if not isinstance(occupation, Occupation) or not occupation.is_skill:
            problems.append(_("备案职业须为《职业分类大典（2022年版）》中的技能类职业。"))
        elif occupation.pk in seen:
            problems.append(_("“%(occ)s”重复登记。") % {"occ": occupation.name})
        seen.add(getattr(occupation, "pk", None))
        if level not in SkillLevel.values:
            problems.append(_("备案等级不得高于三级/高级工。"))
    if not receipt_scan:
        problems.append(_("请上传备案回执扫描件。"))
    with transaction.atomic():
        Institution.objects.select_for_update().get(pk=institution.pk)
        current = selectors.filed_application_of(institution.pk)
        if current is not None:
            problems.append(_("该单位已是备案的评价机构（备案编号 %(code)s），不能重复登记。")
                            % {"code": current.filing_code})
        if problems:
            raise TrackBError(problems)
        authority = skill_filing_authority(institution)
        application = FilingApplication.objects.create(
            institution=institution, authority_role=authority.role, authority_city_id=authority.city_code,
            created_by=user, historical=True, unit_name=unit_name.strip()[:100] or institution.name,
            unit_address=institution.address, uscc=institution.uscc, receipt_scan=receipt_scan)
        filed_at = timezone.make_aware(datetime.combine(filed_on, time(0, 0)))
        opinion = _("平台外历史备案，由备案部门依备案回执（编号 %(code)s）登记。") % {"code": receipt_number}
        result = run_transition(
            application, "register_historical", actor=user, role=authority.role,
            expected_state=FilingState.DRAFT, comment=opinion, filing_code=receipt_number, filed_at=filed_at,
            opinion=opinion, data={"filing_code": receipt_number, "filed_on": filed_on.isoformat()},
            notify_users=lambda a: selectors.institution_staff(a.institution_id),
            notice_title=_("备案部门已登记本单位平台外的职业技能等级认定机构备案（备案编号 %(code)s）")
            % {"code": receipt_number}, notice_link=link)
        FiledOccupation.objects.bulk_create([
            FiledOccupation(application=result, occupation=occupation, level=level, job_types=(job_types or "")[:200])
            for occupation, level, job_types in occupations])
    return result
