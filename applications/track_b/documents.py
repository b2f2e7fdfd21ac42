"""The PDFs of Track B, laid out like the notice's tables: 附件3, 附件4, 附件5 and the 备案回执.

Rendered by a Celery task (``tasks.render_document``) with WeasyPrint, Chinese fonts embedded. The PDF
carries no creation date, so the same content renders to the same bytes; ``render_and_store`` stores
a new file only when the content differs (``portal.pdf.store_rendered``). Each is sealed (``seals_for``): 附件3
and 附件4 by the applicant at 单位盖章, 附件3 also by the office once it has decided, 附件5 by the office that
organised the panel, the 备案回执 by the filing office.
"""

from django.db import transaction
from django.utils import timezone

from portal import pdf
from portal.identifiers import mask_ric
from portal.routing import Authority
from portal.signing import IssuingBody, Seal

from .completeness import load_rows
from .models import (
    EvaluationReport,
    FilingApplication,
    FilingState,
    GeneratedDocument,
    ImplementationPlan,
    PanelMember,
)

TEMPLATES = {
    GeneratedDocument.Kind.ANNEX3: "pdf/track_b/annex3.html",
    GeneratedDocument.Kind.ANNEX4: "pdf/track_b/annex4.html",
    GeneratedDocument.Kind.ANNEX5: "pdf/track_b/annex5.html",
    GeneratedDocument.Kind.RECEIPT: "pdf/track_b/receipt.html",
}
FILENAMES = {
    GeneratedDocument.Kind.ANNEX3: "附件3-申报单位基本情况表",
    GeneratedDocument.Kind.ANNEX4: "附件4-职业技能等级认定实施方案",
    GeneratedDocument.Kind.ANNEX5: "附件5-评估论证报告",
    GeneratedDocument.Kind.RECEIPT: "备案回执",
}


def chinese_date(value):
    if value is None:
        return "    年  月  日"
    value = timezone.localtime(value) if hasattr(value, "hour") else value
    return f"{value.year}年{value.month}月{value.day}日"


def authority_label(application):
    city = application.authority_city.name if application.authority_city_id else None
    return Authority(application.authority_role, application.authority_city_id).label(city)


def is_available(application, kind):
    """Whether the document exists at this stage of the case."""
    if kind == GeneratedDocument.Kind.RECEIPT:
        return application.state == FilingState.FILED
    if kind == GeneratedDocument.Kind.ANNEX5:
        return application.state in (FilingState.REPORT_SIGNED, FilingState.FILED, FilingState.NOT_FILED)
    return True


def _masked(rows, full_ids=False):
    for row in rows:
        row.masked_id = (row.id_number if full_ids else mask_ric(row.id_number)) if row.id_number else ""
    return rows


def context_for(application, kind, *, full_ids=False):
    """``full_ids``: the 附件3 copy for the filing office, with full ID numbers (never stored; the view logs it)."""
    ctx = {"app": application, "authority": authority_label(application), "kind": kind, "full_ids": full_ids}
    if kind == GeneratedDocument.Kind.ANNEX3:
        rows = load_rows(application)
        for key in ("staff", "experts", "examiners"):
            _masked(rows[key], full_ids)
        ctx.update(rows=rows, filed=list(application.filed_occupations.select_related("occupation")),
                   decided=application.state in (FilingState.FILED, FilingState.NOT_FILED),
                   decided_on=chinese_date(application.filed_at or application.updated_at),
                   submitted_on=chinese_date(application.submitted_at))
    elif kind == GeneratedDocument.Kind.ANNEX4:
        ctx.update(plan=ImplementationPlan.objects.filter(application=application).first(),
                   submitted_on=chinese_date(application.submitted_at))
    elif kind == GeneratedDocument.Kind.ANNEX5:
        report = EvaluationReport.objects.filter(application=application).first()
        members = list(PanelMember.objects.filter(application=application).select_related("expert"))
        signatures = {s.member_id: s for s in report.signatures.all()} if report else {}
        for m in members:
            s = signatures.get(m.pk)
            m.signed_on = chinese_date(s.signed_at) if s else ""
        ctx.update(report=report, members=members,
                   conclusions=list(report.conclusions.select_related("occupation")) if report else [],
                   evaluated_on=chinese_date(report.evaluated_on) if report and report.evaluated_on else "")
    elif kind == GeneratedDocument.Kind.RECEIPT:
        ctx.update(filed=list(application.filed_occupations.select_related("occupation")),
                   filed_on=chinese_date(application.filed_at))
    return ctx


def seals_for(application, kind):
    applicant = IssuingBody.of_institution(application.institution)
    city = application.authority_city.name if application.authority_city_id else None
    office = IssuingBody.of_authority(Authority(application.authority_role, application.authority_city_id), city)
    label = FILENAMES[kind]
    if kind == GeneratedDocument.Kind.ANNEX4:
        return [Seal(applicant, "seal-applicant", f"申报单位盖章：{label}")]
    if kind == GeneratedDocument.Kind.ANNEX3:
        seals = [Seal(applicant, "seal-applicant", f"申报单位盖章：{label}")]
        if application.state in (FilingState.FILED, FilingState.NOT_FILED):
            seals.append(Seal(office, "seal-authority", f"备案机关意见盖章：{label}"))
        return seals
    return [Seal(office, "seal-authority", f"{office.name}盖章：{label}")]


def rendered(application, kind, *, full_ids=False):
    return pdf.render(TEMPLATES[kind], context_for(application, kind, full_ids=full_ids))


def render(application, kind, *, full_ids=False):
    """The document as issued (sealed)."""
    return pdf.sign(rendered(application, kind, full_ids=full_ids), seals_for(application, kind))


def render_and_store(application_id, kind):
    """Renders ``kind`` for the application and stores it if its content changed. Idempotent."""
    application = FilingApplication.objects.select_related("institution", "authority_city").filter(
        pk=application_id).first()
    if application is None or not is_available(application, kind):
        return None
    result = rendered(application, kind)
    with transaction.atomic():
        document, _created = GeneratedDocument.objects.select_for_update().get_or_create(
            application=application, kind=kind)
        pdf.store_rendered(document, "file", f"{kind}-{application.pk}.pdf", result,
                           seals_for(application, kind), sha_field="sha256")
    return document
