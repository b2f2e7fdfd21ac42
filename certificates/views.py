"""Signed-in pages: results, batch issuance, certificates, revocation, correction, downloads.

HTTP only: parse, ask access/selectors/services, render. Public verification is in ``public.py``.
"""

import io
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import workflow
from applications.workflow import WorkflowError
from evaluation.rounds.selectors import rounds_visible_to
from portal import access, audit, links
from portal.models import Institution
from portal.pagecache import cached_page

from . import imports, selectors, services
from .filing import filing_of
from .forms import CorrectForm, PhotoZipForm, RevokeForm
from .models import TRANSITION_LABELS, CertificateStatus
from .tasks import ensure_pdf
from .titles import issue_round_titles as issue_titles_of_round


def _own_institution(request):
    """The institution a staff member acts for (the first; site admins pick with ?institution=)."""
    ids = sorted(access.institution_ids(request.user))
    if ids:
        return next(a.institution for a in access.roles_of(request.user) if a.institution_id == ids[0])
    if access.is_site_admin(request.user):
        pk = request.GET.get("institution") or request.POST.get("institution")
        return Institution.objects.filter(pk=pk).first() if pk else None
    return None


# --- certificates ----------------------------------------------------------------------------------
@login_required
@require_GET
@cached_page
def certificate_list(request):
    access.require(request.user, "certificates.list")
    qs = selectors.certificates_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(number__startswith=q.upper())
    status = request.GET.get("status", "")
    if status in CertificateStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-issue_date", "-id"), 50).get_page(request.GET.get("page"))
    page.object_list = links.link_rows(page.object_list, "certificates:detail")
    return render(request, "certificates/certificate_list.html", {
        "page": page, "q": q, "status": status, "statuses": CertificateStatus.choices,
        "own": selectors.own_certificates(request.user) if access.has_role(request.user, "student") else None,
    })


def _visible_certificate(request, pk):
    certificate = get_object_or_404(selectors.certificates_visible_to(request.user), pk=pk)
    if not access.can(request.user, "certificates.view", certificate):
        raise Http404
    return certificate


@login_required
@require_GET
def certificate_detail(request, pk):
    certificate = _visible_certificate(request, pk)
    may_revoke = access.can(request.user, "certificates.revoke", certificate)
    return render(request, "certificates/certificate_detail.html", {
        "c": certificate, "d": certificate.data,
        "history": workflow.readable_history(certificate, TRANSITION_LABELS, state_field="status"),
        "may_download": certificate.status == CertificateStatus.VALID
        and access.can(request.user, "certificates.download", certificate),
        "may_revoke": may_revoke and certificate.status == CertificateStatus.VALID,
        "may_correct": access.can(request.user, "certificates.correct", certificate)
        and certificate.status == CertificateStatus.VALID,
        "revoke_form": RevokeForm(initial={"expected_status": certificate.status}),
    })


@login_required
@require_GET
def certificate_pdf(request, pk):
    certificate = _visible_certificate(request, pk)
    access.require(request.user, "certificates.download", certificate)
    if certificate.status != CertificateStatus.VALID:
        # Its QR still verifies offline (by design, the signature cannot know): no fresh copy to hand around.
        messages.error(request, _("该证书%(status)s，不再提供PDF下载；核验结果以在线核验为准。")
                       % {"status": certificate.get_status_display()})
        return redirect("certificates:detail", pk=certificate.pk)
    if not certificate.pdf:
        ensure_pdf(certificate)  # not rendered yet (queued): render now rather than make the holder wait
    services.record_pdf_download(certificate, actor=request.user)
    with certificate.pdf.open("rb") as handle:  # ~50 KB: one read, no streaming needed
        response = HttpResponse(handle.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def certificate_revoke(request, pk):
    certificate = _visible_certificate(request, pk)
    access.require(request.user, "certificates.revoke", certificate)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择撤销原因、填写说明并勾选确认。"))
        return redirect("certificates:detail", pk=pk)
    try:
        services.revoke_certificate(certificate, actor=request.user, reason=form.cleaned_data["reason"],
                                    note=form.cleaned_data["note"],
                                    expected_status=form.cleaned_data["expected_status"] or None)
    except (WorkflowError, ValidationError) as exc:
        messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(request, _("证书 %(no)s 已撤销。") % {"no": certificate.number})
    return redirect("certificates:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def certificate_correct(request, pk):
    certificate = _visible_certificate(request, pk)
    access.require(request.user, "certificates.correct", certificate)
    if certificate.status != CertificateStatus.VALID:
        messages.error(request, _("只有有效的证书可以更正。"))
        return redirect("certificates:detail", pk=pk)
    form = CorrectForm(request.POST or None, certificate=certificate)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.correct_certificate(certificate, actor=request.user, changes=form.changes(),
                                               note=form.cleaned_data["note"])
        except (ValidationError, WorkflowError) as exc:
            form.add_error(None, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("已签发更正后的证书 %(new)s；原证书 %(old)s 已标记为已更正。")
                             % {"new": new.number, "old": certificate.number})
            return redirect("certificates:detail", pk=new.pk)
    return render(request, "certificates/certificate_correct.html", {"c": certificate, "form": form})


# --- assessment results --------------------------------------------------------------------------------
@login_required
@require_GET
def result_list(request):
    access.require(request.user, "certificates.manage")
    institution = _own_institution(request)
    qs = selectors.results_managed_by(request.user).prefetch_related("certificates")
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(request, "certificates/result_list.html", {
        "page": page, "filing": filing_of(institution), "institution": institution,
        "batches": selectors.batches_managed_by(request.user)[:5],
    })


@login_required
@require_http_methods(["GET", "POST"])
def result_photos(request):
    """Photos for recorded results: a ZIP of <证件号码>.jpg|png, all checked before any is stored."""
    access.require(request.user, "certificates.manage")
    institution = _own_institution(request)
    form = PhotoZipForm(request.POST or None, request.FILES or None)
    errors, stored = [], None
    if request.method == "POST" and form.is_valid():
        if institution is None:
            form.add_error(None, _("请先选择院校。"))
        else:
            stored, errors = imports.import_photos(institution=institution, user=request.user,
                                                   data=form.cleaned_data["file"].read())
            if not errors:
                messages.success(request, _("已导入 %(n)d 张照片。") % {"n": stored})
                return redirect("certificates:results")
    return render(request, "certificates/result_photos.html", {"form": form, "errors": errors})


# --- batch issuance ------------------------------------------------------------------------------------
@login_required
@require_POST
def batch_start(request):
    access.require(request.user, "certificates.manage")
    institution = _own_institution(request)
    if institution is None:
        messages.error(request, _("请先选择院校。"))
        return redirect("certificates:results")
    qs = selectors.results_managed_by(request.user).filter(institution=institution, certificates__isnull=True)
    ids = request.POST.getlist("result")
    if ids:
        qs = qs.filter(pk__in=[i for i in ids if i.isdigit()])
    try:
        batch = services.start_batch(institution=institution, results=list(qs), issued_by=request.user)
    except services.IssuanceError as exc:
        messages.error(request, str(exc))
        return redirect("certificates:results")
    if batch.dispatch.deferred:
        messages.warning(request, _("后台任务服务暂时不可用：本批发证已保存并排队，系统将自动重试，无需重复提交。"))
    return redirect("certificates:batch", pk=batch.pk)


@login_required
@require_GET
def batch_detail(request, pk):
    access.require(request.user, "certificates.manage")
    batch = get_object_or_404(selectors.batches_managed_by(request.user), pk=pk)
    certificates = batch.certificates.order_by("number")
    return render(request, "certificates/batch_detail.html", {"batch": batch, "certificates": certificates})


@login_required
@require_GET
def batch_progress(request, pk):
    access.require(request.user, "certificates.manage")
    batch = get_object_or_404(selectors.batches_managed_by(request.user), pk=pk)
    return JsonResponse({"status": batch.status, "done": batch.done, "total": batch.total,
                         "percent": batch.percent, "error": batch.error})


@login_required
@require_GET
def batch_zip(request, pk):
    """Every PDF of the batch in one ZIP (rendering any still missing)."""
    access.require(request.user, "certificates.manage")
    batch = get_object_or_404(selectors.batches_managed_by(request.user), pk=pk)
    buffer = io.BytesIO()
    certificates = list(batch.certificates.filter(status=CertificateStatus.VALID).order_by("number"))  # not revoked
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
        for certificate in certificates:
            ensure_pdf(certificate)
            with certificate.pdf.open("rb") as handle:
                archive.writestr(f"{certificate.number}.pdf", handle.read())
    audit.record(actor=request.user, action="certificates.download_zip", obj=batch,
                 changes={"certificates": len(certificates)})
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="certificates-batch{batch.pk}-{stamp}.zip"'
    return response



@login_required
@require_POST
def issue_round_titles(request, round_pk):
    """Issues the title certificates of a finalised round (staff of the school that evaluated)."""
    # Another school's round is not found (404), not forbidden: its existence is not theirs to learn (issue 14 #10).
    rnd = get_object_or_404(rounds_visible_to(request.user), pk=round_pk)
    access.require(request.user, "certificates.manage", rnd.institution)
    if rnd.state != "finalised":
        messages.error(request, _("评审结果尚未最终确定，不能颁发证书。"))
        return redirect("rounds:detail", pk=rnd.pk)
    try:
        issued = issue_titles_of_round(rnd, actor=request.user)
    except services.IssuanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已颁发（或已存在）职称证书 %(n)d 份。") % {"n": len(issued)})
    return redirect(f"{reverse('certificates:list')}?kind=title")
