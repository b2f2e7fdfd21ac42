"""Public verification: no login, personal data masked, rate-limited per requester (address, certificate).

- ``/v/<verification-id>`` — the QR link: the online status page; the signed fragment (``#payload.sig``)
  never reaches the server and is checked in the browser by ``verify.js``.
- ``/certificates/verify/`` — by certificate number + full name. A wrong name and an unknown number get
  the same answer, so nobody learns whether a number exists.
- ``/certificates/verify/offline/`` — paste or scan a QR text; verified in the browser with the key set.
- ``/certificates/api/status/<verification-id>`` — the current status, for the browser verifier.
- ``/certificates/v/<verification-id>/id-check/`` — the holder types the full ID number: yes or no.
- ``/.well-known/certificate-keys.json`` — the published key set (contract: certificate-qr.md).
- ``/certificates/verify/pdf/`` — upload a PDF: its seals checked against the trust anchor, its SHA-256 against
  the register (``pdfcheck``); the file is read in memory and never stored.
- ``/.well-known/pdf-signing-ca.pem`` — the trust anchor of the PDF seals (``portal.signing``).
"""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import audit, identifiers
from portal.signing import backend as signing_backend

from . import keys, pagecache, pdfcheck, ratelimit, selectors
from .forms import IdCheckForm, PdfCheckForm, VerifyForm
from .middleware import COUNTED
from .models import CertificateKind, CertificateStatus


def _too_many(request):
    response = render(request, "certificates/rate_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


def public_facts(certificate):
    """What the public may see: masked name and ID, kind, level, field, issuer, dates, status."""
    d = certificate.data
    issuer_name = d.get("institution_name") if certificate.kind == CertificateKind.SKILL else d.get("issuer_name")
    replacement = certificate.replacement if certificate.status == CertificateStatus.SUPERSEDED else None
    return {
        "certificate": certificate,
        "status": certificate.status,
        "status_label": certificate.get_status_display(),
        "kind_label": certificate.get_kind_display(),
        "number": certificate.number,
        "masked_name": certificate.masked_name,
        "masked_id": certificate.masked_id,
        "level": certificate.level_label,
        "field": certificate.field_label,
        "field_label": _("职业名称") if certificate.kind == CertificateKind.SKILL else _("专业"),
        "issuer_name": issuer_name,
        "issuer_code": certificate.issuer_code,
        "issue_date": certificate.issue_date,
        "revocation_reason": certificate.get_revocation_reason_display() if certificate.revocation_reason else "",
        "revoked_at": certificate.revoked_at,
        "replacement": replacement,
        "replacement_url": reverse("certificate_verify_link", args=[replacement.verification_id])
        if replacement else "",
    }


def _key_set():
    return keys.public_key_set()


@require_GET
def verify_link(request, verification_id):
    counted = getattr(request, COUNTED, None)  # certificates.middleware counted it with its cache look-up
    if counted is not None:
        allowed = counted[1]
    else:
        allowed = ratelimit.allow(ip=audit.client_ip(request), certificate=verification_id.lower())
    if not allowed:
        return _too_many(request)
    cached = None
    if selectors.VERIFICATION_ID.fullmatch(verification_id.lower()):  # not a cache key for text that is no id
        cached = pagecache.get(request, verification_id)  # anonymous visitors: rendered once, until the row changes
    if cached is not None:
        return cached
    certificate = selectors.by_verification_id(verification_id)
    if certificate is None:
        raise Http404(_("未找到该证书。"))
    context = public_facts(certificate)
    context.update({"key_set": _key_set(), "id_form": IdCheckForm(), "from_link": True})
    response = render(request, "certificates/verify_result.html", context)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    pagecache.put(request, certificate.verification_id, response)
    return response


@require_http_methods(["GET", "POST"])
def verify_form(request):
    form = VerifyForm(request.POST or None)
    context = {"form": form, "searched": False}
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"]
        if not ratelimit.allow(ip=audit.client_ip(request), certificate=f"no:{number}"):
            return _too_many(request)
        certificate = selectors.verify_by_number(number, form.cleaned_data["name"])
        if certificate is not None:
            context = public_facts(certificate)
            context.update({"key_set": _key_set(), "id_form": IdCheckForm(), "from_link": False})
            response = render(request, "certificates/verify_result.html", context)
            response["Cache-Control"] = "no-store"
            return response
        context["searched"] = True
    response = render(request, "certificates/verify_form.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def offline_verifier(request):
    return render(request, "certificates/offline.html", {"key_set": _key_set()})


@require_GET
def status_api(request, verification_id):
    if not ratelimit.allow(ip=audit.client_ip(request), certificate=verification_id.lower()):
        return JsonResponse({"error": "rate_limited", "message": _("查询过于频繁，请稍后再试。")}, status=429)
    certificate = selectors.by_verification_id(verification_id)
    if certificate is None:
        return JsonResponse({"status": "unknown", "status_label": _("未找到该证书")}, status=404)
    facts = public_facts(certificate)
    body = {"status": facts["status"], "status_label": str(facts["status_label"]), "number": certificate.number,
            "revocation_reason": str(facts["revocation_reason"]),
            "replacement_url": facts["replacement_url"],
            "replacement_number": facts["replacement"].number if facts["replacement"] else ""}
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def id_check(request, verification_id):
    """The holder's question "does this full ID number match?" — answered only with yes or no."""
    if not ratelimit.allow(ip=audit.client_ip(request), certificate=verification_id.lower(), prefix="idcheck_"):
        return _too_many(request)
    certificate = selectors.by_verification_id(verification_id)
    if certificate is None:
        raise Http404(_("未找到该证书。"))
    form = IdCheckForm(request.POST)
    match = None
    if form.is_valid():
        match = identifiers.normalize_ric(form.cleaned_data["id_number"]) == certificate.holder_id_number
    return render(request, "certificates/id_check.html", {
        "form": form, "match": match, "number": certificate.number,
        "back": reverse("certificate_verify_link", args=[certificate.verification_id])})


@require_GET
@cache_control(public=True, max_age=300)
def key_set(request):
    body, _fingerprint = pagecache.key_set_json()  # serialised once per key ring
    response = HttpResponse(body, content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_http_methods(["GET", "POST"])
def verify_pdf(request):
    """核验电子文件: anyone uploads a PDF the portal issued and learns whether it is genuine and unchanged."""
    form = PdfCheckForm(request.POST or None, request.FILES or None)
    verdict = None
    if request.method == "POST":
        if not ratelimit.allow(ip=audit.client_ip(request)):
            return _too_many(request)
        if form.is_valid():
            verdict = pdfcheck.check(form.cleaned_data["file"].read())
    response = render(request, "certificates/verify_pdf.html", {"form": form, "verdict": verdict})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@cache_control(public=True, max_age=300)
def pdf_signing_ca(request):
    """The trust anchor(s) of the PDF seals, PEM: import it into a PDF reader to see the seals as trusted."""
    response = HttpResponse(signing_backend().trust_anchors_pem(), content_type="application/x-pem-file")
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Disposition"] = 'inline; filename="pdf-signing-ca.pem"'
    return response
