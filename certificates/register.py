"""The register of issued PDFs: which document a file is, found by the SHA-256 stored when it was issued.

Only someone holding the file can find it here, so the answer names the document (and, for a certificate, its
masked holder and current status) without revealing anything else.
"""

from dataclasses import dataclass

from applications.track_a.models import ApplicationPdf, GrantedAuthority
from applications.track_b.models import GeneratedDocument
from evaluation.rounds.models import Meeting

from .models import Certificate


@dataclass
class RegisterEntry:
    label: str  # what the document is, in Chinese
    issuer: str
    certificate: Certificate | None = None


def find_by_sha256(digest):
    certificate = (Certificate.objects.filter(pdf_sha256=digest).select_related("issuer").order_by("-version")
                   .first())
    if certificate is not None:
        return RegisterEntry(f"{certificate.get_kind_display()} {certificate.number}", certificate.issuer.name,
                             certificate)
    document = GeneratedDocument.objects.filter(sha256=digest).select_related("application__institution").first()
    if document is not None:
        app = document.application
        return RegisterEntry(f"{document.get_kind_display()}（{app.institution.name}）", app.institution.name)
    letter = GrantedAuthority.objects.filter(letter_sha256=digest).select_related("institution__city").first()
    if letter is not None:
        return RegisterEntry(f"职称自主评审权授权决定书 {letter.number}",
                             f"{letter.institution.city.name}人力资源和社会保障局")
    annex1 = ApplicationPdf.objects.filter(sha256=digest).select_related("application__institution").first()
    if annex1 is not None:
        name = annex1.application.institution.name
        return RegisterEntry(f"附件1 试点申报表（{name}）", name)
    meeting = Meeting.objects.filter(minutes_sha256=digest).select_related("round__institution").first()
    if meeting is not None:
        school = meeting.round.institution.name
        return RegisterEntry(f"{meeting.round.graduation_year}届职称评审会议纪要（{school}）", school)
    return None
