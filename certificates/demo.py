"""Demo certificates (``make demo``): skill certificates issued by 安徽工业大学 as a filed evaluation
institution from recorded assessment results, engineering-series title certificates from frozen demo
decisions (the evaluation-round source is a later feature), one revoked and one corrected certificate.
The demo student ``student`` (张明) holds one of each. Idempotent: a second run issues nothing new.
"""

from datetime import date
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction

from portal.models import Institution, Occupation

from . import services
from .filing import filing_of
from .models import AssessmentResult, Certificate, CertificateStatus, FiledInstitution
from .photos import synthetic_photo
from .tasks import ensure_pdf

SCHOOL = "安徽工业大学"
DEMO_CODE = "Y000034000017"
OCCUPATIONS = [("6-31-01-03", "电工", "维修电工\n电力电工"), ("4-12-01-01", "汽车维修工", "汽车机械维修工\n汽车电器维修工")]
SKILL_DATE = date(2026, 7, 10)
TITLE_DATE = date(2025, 12, 28)

# name, gender, ID number, which filed occupation (0 = first), level, theory, practical, is the demo student
RESULTS = [
    ("张明", "M", "340504200301150019", 0, 3, "82", "88", True),
    ("王堃", "M", "340504200205200012", 0, 3, "75", "79", False),
    ("李玥", "F", "340504200308080025", 1, 4, "68", "90", False),
    ("张䶮", "M", "340504200211110013", 1, 4, "71", "66", False),
    ("陈思远", "M", "340504200201010019", 0, 4, "58", "72", False),  # not passed
]
JOB_TYPES = {"6-31-01-03": "维修电工", "4-12-01-01": "汽车机械维修工"}
TITLE_NAMES = {"engineer": "工程师", "assistant_engineer": "助理工程师", "technician": "技术员"}
REVOKED = "王堃"

# name, gender, birth, ID, employer, major, qualification, holder is the demo student
TITLES = [
    ("张明", "男", date(2003, 1, 15), "340504200301150019", "马钢（集团）控股有限公司", "电气工程及其自动化", "助理工程师", True),
    ("刘晓雯", "女", date(2002, 6, 3), "340504200206030027", "奇瑞汽车股份有限公司", "车辆工程", "技术员", False),
    ("周子淇", "男", date(2001, 9, 30), "340504200109300013", "安徽江淮汽车集团股份有限公司", "机械设计制造及其自动化", "工程师", False),
]
COMMITTEE = "安徽工业大学工程系列中初级职称自主评审委员会"
APPROVAL_NO = "安工大职评〔2025〕1号"


def _staff(school):
    from portal.models import RoleAssignment

    assignment = (RoleAssignment.objects.filter(role="university_staff", institution=school)
                  .select_related("user").order_by("id").first())
    return assignment.user if assignment else get_user_model().objects.filter(is_superuser=True).first()


def _ensure_filing(school, staff):
    occupations = []
    for code, name, job_types in OCCUPATIONS:
        occupation, _ = Occupation.objects.get_or_create(code=code, defaults={"name": name, "job_types": job_types})
        occupations.append(occupation)
    filing = filing_of(school)  # the Track-B demo files the school; otherwise the stand-in below
    if filing is None:
        stand_in, _ = FiledInstitution.objects.get_or_create(
            institution=school, defaults={"code": DEMO_CODE, "name_as_filed": school.name, "max_level": 3,
                                          "filed_on": date(2025, 9, 1)})
        stand_in.occupations.add(*occupations)
        filing = filing_of(school)
    return filing, {o.code: o for o in occupations}


def _student_record(student):
    """The demo student's graduate record (evaluation app), so that the certificates match it."""
    if student is None:
        return None
    try:
        graduate = apps.get_model("evaluation", "Graduate").objects.filter(user=student).first()
    except (LookupError, DatabaseError):
        return None
    return graduate


def load_demo(stdout):
    school = Institution.objects.filter(name=SCHOOL).first()
    if school is None:
        return
    User = get_user_model()
    student = User.objects.filter(username="student").first()
    staff = _staff(school)
    record = _student_record(student)
    with transaction.atomic():
        filing, _occupations = _ensure_filing(school, staff)
        filed = sorted(filing.occupations.values(), key=lambda o: o.code)
        issued = []
        for i, (name, gender, ric, which, level, theory, practical, own) in enumerate(RESULTS):
            if own and record is not None:
                name, gender, ric = record.name, record.gender, record.id_number
            occupation = filed[which % len(filed)]
            level = max(level, occupation.level)  # never above what the institution is filed for
            job = JOB_TYPES.get(occupation.code, "") if not occupation.job_types else occupation.job_types[0]
            result, created = AssessmentResult.objects.get_or_create(
                institution=school, id_number=ric, occupation_id=occupation.occupation_id, level=level,
                defaults={"institution_code": filing.code, "name": name, "gender": gender, "job_type": job,
                          "exam_date": date(2026, 6, 20), "theory_score": Decimal(theory),
                          "practical_score": Decimal(practical), "recorded_by": staff})
            if created:
                result.photo.save(f"demo-{i}.jpg", _photo_file(i), save=True)
            if result.passed:
                certificate = services.issue_from_result(result, issued_by=staff, issue_date=SKILL_DATE, render=False)
                if own and student and certificate.holder_user_id is None:
                    Certificate.objects.filter(pk=certificate.pk).update(holder_user=student)
                issued.append(certificate)
        for i, (name, gender, birth, ric, employer, major, qualification, own) in enumerate(TITLES):
            if own and record is not None:  # the student's own record and, if evaluated, their level
                name, ric, major = record.name, record.id_number, record.major
                gender = "女" if record.gender == "F" else "男"
                birth = date(int(ric[6:10]), int(ric[10:12]), int(ric[12:14]))
                employer = record.employer or employer
                verdict = getattr(record, "verdict", None) if hasattr(record, "verdict") else None
                qualification = TITLE_NAMES.get(getattr(verdict, "level", ""), qualification)
            fields = services.title_fields(name=name, gender=gender, birth_date=birth, id_number=ric,
                                           employer=employer, major=major, qualification=qualification,
                                           committee=COMMITTEE, approval_no=APPROVAL_NO,
                                           obtained_on=date(2025, 12, 20), issuer=school)
            issued.append(services.issue_certificate(
                kind="title", frozen_fields=fields, issuer=school, source_key=f"demo-title:{school.pk}:{ric}",
                issued_by=staff, issue_date=TITLE_DATE, photo=synthetic_photo(100 + i),
                holder_user=student if own else None, render=False))
        revoked = next((c for c in issued if c.holder_name == REVOKED and c.kind == "skill"), None)
        if revoked is not None and revoked.status == CertificateStatus.VALID:
            services.revoke_certificate(revoked, actor=staff, reason="issued_in_error",
                                        note="演示：成绩复核后发现考核记录有误，撤销并重新组织考核。")
    for certificate in Certificate.objects.filter(issuer=school).order_by("id"):
        ensure_pdf(certificate)
    stdout.write(f"证书：{Certificate.objects.filter(issuer=school).count()} 张（{SCHOOL}；其中 {REVOKED} 的职业技能等级"
                 "证书已撤销）。核验：/certificates/verify/ ，二维码文本：manage.py certificate_qr --all")


def _photo_file(seed):
    from django.core.files.base import ContentFile

    return ContentFile(synthetic_photo(seed))
