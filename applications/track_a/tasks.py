"""Celery tasks of Track A: they take ids and are idempotent (a second run finds the document and stops)."""

from celery import shared_task
from django.db import transaction

from applications.track_a import rules, services
from applications.track_a.models import ApplicationPdf, GrantedAuthority, PilotApplication, Venue
from portal.models import Role
from portal.pdf import render_pdf, store_pdf
from portal.routing import Authority
from portal.signing import IssuingBody, Seal


@shared_task
def render_application_pdf(application_id):
    """附件1 as a printable PDF (一式2份), for the application as it is now; returns the ApplicationPdf id."""
    application = PilotApplication.objects.select_related("institution__city").get(pk=application_id)
    done = ApplicationPdf.objects.filter(application=application, source_stamp=application.updated_at).exclude(
        sha256="").first()
    if done is not None and done.file:
        return done.pk
    context = {"app": application, **services.rows_of(application), "venues": Venue.choices,
               "five": range(1, rules.MAX_PARTNERS + 1)}
    data = render_pdf("pdf/track_a/application.html", context, seals=[application_seal(application)])
    # Only a sealed rendering creates the row (no signing credential: SigningUnavailable, nothing stored).
    with transaction.atomic():
        doc, _created = ApplicationPdf.objects.get_or_create(
            application=application, source_stamp=application.updated_at,
            defaults={"submission_number": application.submission_count})
        store_pdf(doc, "file", f"annex1-{application.pk}-{application.submission_count}.pdf", data,
                  sha_field="sha256")
    return doc.pk


def application_seal(application):
    """附件1 is the school's: 学校（公章）."""
    return Seal(IssuingBody.of_institution(application.institution), "seal-school", "学校盖章：附件1 申报表")


@shared_task
def render_authority_letter(authority_id):
    """The decision letter granting the self-evaluation authority; rendered once."""
    authority = GrantedAuthority.objects.select_related("application", "institution__city", "decided_by").get(
        pk=authority_id)
    if authority.letter and authority.letter_sha256:
        return authority.pk
    data = render_pdf("pdf/track_a/authority.html", {"authority": authority, "app": authority.application,
                                                      "levels": authority.level_labels,
                                                      "all_levels": rules.TITLE_LEVELS},
                      seals=[office_seal(authority)])
    store_pdf(authority, "letter", f"authority-{authority.number}.pdf", data, sha_field="letter_sha256")
    return authority.pk


def office_seal(authority):
    """The decision letter is the city HRSS office's (its name is what the letter prints above the date)."""
    city = authority.institution.city
    office = IssuingBody.of_authority(Authority(Role.CITY_HRSS, city.pk), city.name)
    return Seal(office, "seal-authority", f"授权决定书 {authority.number}")
