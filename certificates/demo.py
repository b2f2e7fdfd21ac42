"""Demo certificates (``make demo``), made by the services real use calls (issue 15 §4):

- skill certificates of 安徽工业大学 as a filed evaluation institution: results recorded through
  ``services.save_result`` (as the result form does), certificates through ``services.issue_from_result``;
- engineering-series title certificates through ``certificates.titles.issue_round_titles`` from the demo round's
  final decisions (``evaluation.rounds.demo``) — exactly what the school's "颁发职称证书" button does, so pressing
  it again on the demo round issues nothing new;
- one certificate revoked through ``services.revoke_certificate``.

The demo student ``student`` (张明) holds one of each: the holder is found from his graduate record by ID
number, as for any graduate. Idempotent: a second run issues nothing new.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction

from evaluation.models import Graduate
from evaluation.rounds.models import EvaluationRound, RoundState
from portal.models import Institution, Role, RoleAssignment

from . import qr, services, titles
from .filing import filing_of
from .models import AssessmentResult, Certificate, CertificateStatus
from .photos import synthetic_photo
from .tasks import ensure_pdf

SCHOOL = "安徽工业大学"
SKILL_DATE = date(2026, 7, 10)

# name, gender, ID number, which filed occupation (0 = first), level, theory, practical, is the demo student
RESULTS = [
    ("张明", "M", "340504200301150019", 0, 3, "82", "88", True),
    ("王堃", "M", "340504200205200012", 0, 3, "75", "79", False),
    ("李玥", "F", "340504200308080025", 1, 4, "68", "90", False),
    ("张䶮", "M", "340504200211110013", 1, 4, "71", "66", False),
    ("陈思远", "M", "340504200201010019", 0, 4, "58", "72", False),  # not passed
]
JOB_TYPES = {"6-31-01-03": "维修电工", "4-12-01-01": "汽车机械维修工"}
REVOKED = "王堃"


def _staff(school):
    assignment = (RoleAssignment.objects.filter(role=Role.UNIVERSITY_STAFF, institution=school)
                  .select_related("user").order_by("id").first())
    return assignment.user if assignment else None


def _demo_round(school):
    """The school's finalised evaluation round (made by ``evaluation.rounds.demo``), latest first."""
    return (EvaluationRound.objects.filter(institution=school, state=RoundState.FINALISED)
            .order_by("-graduation_year").first())


def load_demo(stdout):
    school = Institution.objects.filter(name=SCHOOL).first()
    if school is None:
        return
    student = get_user_model().objects.filter(username="student").first()
    staff = _staff(school)
    record = Graduate.objects.filter(user=student).first() if student is not None else None
    filing = filing_of(school)  # filed by the Track-B demo (applications.track_b.demo) through its services
    if staff is None:
        return
    with transaction.atomic():
        filed = sorted(filing.occupations.values(), key=lambda o: o.code) if filing is not None else []
        issued = []
        for i, (name, gender, ric, which, level, theory, practical, own) in enumerate(RESULTS if filed else ()):
            if own and record is not None:
                name, gender, ric = record.name, record.gender, record.id_number
            occupation = filed[which % len(filed)]
            level = max(level, occupation.level)  # never above what the institution is filed for
            job = JOB_TYPES.get(occupation.code, "") if not occupation.job_types else occupation.job_types[0]
            result = AssessmentResult.objects.filter(
                institution=school, id_number=ric, occupation_id=occupation.occupation_id, level=level).first()
            if result is None:  # recorded as the result form records it
                result = AssessmentResult(
                    institution=school, id_number=ric, occupation_id=occupation.occupation_id, level=level,
                    name=name, gender=gender, job_type=job, exam_date=date(2026, 6, 20),
                    theory_score=Decimal(theory), practical_score=Decimal(practical))
                result.photo.save(f"demo-{i}.jpg", _photo_file(i), save=False)
                result = services.save_result(result, actor=staff)
            if result.passed:
                issued.append(services.issue_from_result(result, issued_by=staff, issue_date=SKILL_DATE, render=False))
        rnd = _demo_round(school)
        if rnd is not None:  # the school's "颁发职称证书" on its finalised round
            issued += titles.issue_round_titles(rnd, actor=staff, render=False)
        revoked = next((c for c in issued if c.holder_name == REVOKED and c.kind == "skill"), None)
        if revoked is not None and revoked.status == CertificateStatus.VALID:
            services.revoke_certificate(revoked, actor=staff, reason="issued_in_error",
                                        note="演示：成绩复核后发现考核记录有误，撤销并重新组织考核。")
    rerender = _base_url_changed()  # served at another address than last time: the printed URL must follow
    for certificate in Certificate.objects.filter(issuer=school).order_by("id"):
        ensure_pdf(certificate, force=rerender)
    stdout.write(f"证书：{Certificate.objects.filter(issuer=school).count()} 张（{SCHOOL}；其中 {REVOKED} 的职业技能等级"
                 "证书已撤销）。核验：/certificates/verify/ ，二维码文本：manage.py certificate_qr --all")


def _base_url_changed():
    """True when the demo's PDFs were printed for another PUBLIC_BASE_URL (``make demo PORT=…`` again)."""
    marker = Path(settings.MEDIA_ROOT) / "demo-public-base-url.txt"
    current = qr.base_url()
    previous = marker.read_text(encoding="utf-8").strip() if marker.exists() else current
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(current, encoding="utf-8")
    return previous != current


def _photo_file(seed):
    return ContentFile(synthetic_photo(seed))
