"""Demo certificates (``make demo``), made by the services real use calls (issue 15 §4):

- skill certificates are not made here: they come only from reported assessment sessions, and
  ``assessment.demo`` issues them from its finished session exactly as the school's "批量发证" button does;
- engineering-series title certificates through ``certificates.titles.issue_round_titles`` from the demo round's
  final decisions (``evaluation.rounds.demo``) — exactly what the school's "颁发职称证书" button does, so pressing
  it again on the demo round issues nothing new;
The demo student ``student`` (张明) holds a title certificate here and a skill certificate from the assessment demo:
the holder is found from his graduate record by ID number, as for any graduate. Idempotent.
"""

from pathlib import Path

from django.conf import settings
from django.db import transaction

from evaluation.rounds.models import EvaluationRound, RoundState
from portal.models import Institution, Role, RoleAssignment

from . import qr, titles
from .models import Certificate
from .tasks import ensure_pdf

SCHOOL = "安徽工业大学"


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
    staff = _staff(school)
    if staff is None:
        return
    with transaction.atomic():
        rnd = _demo_round(school)
        if rnd is not None:  # the school's "颁发职称证书" on its finalised round
            titles.issue_round_titles(rnd, actor=staff, render=False)
    rerender = _base_url_changed()  # served at another address than last time: the printed URL must follow
    for certificate in Certificate.objects.filter(issuer=school).order_by("id"):
        ensure_pdf(certificate, force=rerender)
    stdout.write(f"证书：{Certificate.objects.filter(issuer=school).count()} 张（{SCHOOL}）。"
                 "核验：/certificates/verify/ ，二维码文本：manage.py certificate_qr --all")


def _base_url_changed():
    """True when the demo's PDFs were printed for another PUBLIC_BASE_URL (``make demo PORT=…`` again)."""
    marker = Path(settings.MEDIA_ROOT) / "demo-public-base-url.txt"
    current = qr.base_url()
    previous = marker.read_text(encoding="utf-8").strip() if marker.exists() else current
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(current, encoding="utf-8")
    return previous != current
