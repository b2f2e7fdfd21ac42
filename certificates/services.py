"""Certificate use cases: record results, issue (single and batch), revoke, correct.

``issue_certificate`` is the one door every certificate goes through, whatever its source: skill
certificates from assessment results (here), title certificates from the final decisions of an
evaluation round (a later issue calls it with frozen title fields built by ``title_fields``).
"""

import hashlib
import secrets
from base64 import b32encode

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.workflow import run_transition
from evaluation.rounds.selectors import decision_for_source, decision_problem
from portal import audit, identifiers, queue
from portal.models import Role

from . import keys, numbering, qr, salting
from .filing import filing_of
from .models import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    IdType,
    IssuanceBatch,
    RevocationReason,
)

SKILL_TITLE = "职业技能等级证书"
def title_heading():
    """The heading of a title certificate: a setting (the notice names 工程技术人员职称证书, prescribes no layout)."""
    return getattr(settings, "TITLE_CERTIFICATE_HEADING", "") or "职称证书（工程系列）"
SKILL_FIELDS = ("name", "id_type", "id_number", "occupation", "occupation_code", "job_type", "level",
                "level_digit", "institution_name", "institution_code")
TITLE_FIELDS = ("name", "gender", "birth_date", "id_number", "employer", "series", "major", "qualification",
                "grade", "method", "committee", "approval_no", "obtained_on", "issuer_name", "issuer_uscc")
ID_TYPE_LABELS = {IdType.RIC: "居民身份证"}  # printed in Chinese whatever the UI language
# What a correction may change (the rest is the certificate's substance: revoke and issue anew instead). A title's
# major and 批准文号 are the committee's decision, not printed data: a change of them is a 复查's.
CORRECTABLE = {
    CertificateKind.SKILL: ("name", "id_number", "job_type"),
    CertificateKind.TITLE: ("name", "gender", "birth_date", "id_number", "employer"),
}


class IssuanceError(Exception):
    """A certificate that cannot be issued, with a message for the person who tried."""


def new_verification_id():
    """128 random bits, base32 (RFC 4648) lower case without padding: 26 characters."""
    return b32encode(secrets.token_bytes(16)).decode("ascii").rstrip("=").lower()


# --- frozen field builders ------------------------------------------------------------------------
def skill_fields_from_result(result, filing=None):
    """The printed fields of a skill certificate, from an assessment result and its institution's filing."""
    filing = filing or filing_of(result.institution)
    return {
        "name": result.name,
        "id_type": ID_TYPE_LABELS[result.id_type],
        "id_number": result.id_number,
        "occupation": result.occupation.name,
        "occupation_code": result.occupation.code,
        "job_type": result.job_type or "--",
        "level": numbering.SKILL_LEVEL_LABELS[result.level],
        "level_digit": result.level,
        "institution_name": filing.name if filing else result.institution.name,
        "institution_code": result.institution_code,
    }


def title_fields(*, name, gender, birth_date, id_number, employer, major, qualification, committee, approval_no,
                 obtained_on, issuer):
    """The printed fields of an engineering-series title certificate (issue 7 §2).

    ``qualification`` is 技术员, 助理工程师 or 工程师; ``gender`` 男/女; dates are ``date`` objects;
    ``issuer`` the pilot school (its name and 统一社会信用代码 are printed and frozen).
    """
    if qualification not in numbering.TITLE_LEVEL_DIGITS:
        raise IssuanceError(_("资格名称须为技术员、助理工程师或工程师。"))
    return {
        "name": name, "gender": gender, "birth_date": birth_date.isoformat(), "id_number": id_number,
        "employer": employer, "series": "工程系列", "major": major, "qualification": qualification,
        "grade": numbering.TITLE_GRADES[qualification], "method": "评审", "committee": committee,
        "approval_no": approval_no, "obtained_on": obtained_on.isoformat(), "issuer_name": issuer.name,
        "issuer_uscc": issuer.uscc,
    }


def _check_fields(kind, fields):
    required = SKILL_FIELDS if kind == CertificateKind.SKILL else TITLE_FIELDS
    missing = [k for k in required if fields.get(k) in (None, "")]
    if missing:
        raise IssuanceError(_("证书字段缺失：%(fields)s") % {"fields": "、".join(missing)})
    result = identifiers.check_ric(fields["id_number"])
    if result.error:
        raise IssuanceError(_("证件号码无效：%(error)s") % {"error": result.error})
    if kind == CertificateKind.SKILL:
        models = apps.get_app_config("certificates").models_module
        models.validate_institution_code(fields["institution_code"])
        if int(fields["level_digit"]) not in (3, 4, 5):
            raise IssuanceError(_("本试点只认定三级/高级工及以下等级。"))


def _holder_user_for(id_number):
    """The student account of the graduate with this ID number (evaluation app), if any."""
    return holder_users_for([id_number]).get(id_number)


def holder_users_for(id_numbers):
    """{ID number: the student account of the latest graduate record with it} in one query (evaluation app)."""
    try:
        graduate_model = apps.get_model("evaluation", "Graduate")
    except LookupError:
        return {}
    found = {}
    try:
        with transaction.atomic():
            for graduate in (graduate_model.objects.filter(id_number__in=set(id_numbers), user__isnull=False)
                             .select_related("user").order_by("pk")):
                found[graduate.id_number] = graduate.user  # the highest pk wins, as before
    except DatabaseError:
        return {}
    return found


# --- issuance ---------------------------------------------------------------------------------------
def issue_certificate(*, kind, frozen_fields, issuer, source_key, issued_by, issue_date=None, photo=None,
                      holder_user=None, assessment_result=None, batch=None, replaces=None, render=True,
                      holder_known=False, fresh=False):
    """Issues one certificate, or returns the one already issued from ``source_key`` (idempotent).

    - ``kind``: ``"skill"`` or ``"title"``; ``frozen_fields``: every printed field (``SKILL_FIELDS`` or
      ``TITLE_FIELDS``; build them with ``skill_fields_from_result`` / ``title_fields``). They are copied
      into the certificate and never read live again.
    - ``issuer``: the ``portal.Institution`` that issues and answers for it (谁评价、谁发证、谁负责).
    - ``source_key``: what it is issued from, e.g. ``"skill-result:12"`` or ``"title-decision:34"``; one
      certificate per source (per version: a correction is the next version of the same source).
    - ``photo``: bytes of a JPEG/PNG, frozen with the certificate; ``holder_user``: the holder's account
      (found from the graduate's record by ID number when not given).
    - ``render``: queue the PDF after commit (a batch renders itself, in its own worker).
    - ``holder_known``: ``holder_user`` is the answer even when None (a batch looks the accounts up in one
      query); ``fresh``: the caller has just read that nothing is issued from ``source_key`` (a batch, under its
      lease), so the lookup is skipped — the unique constraint still refuses a duplicate (IntegrityError below).

    Allocates the number (gap-free per scope), a random verification id, signs the QR payload with the key
    that covers the issue date, stores all of it in one transaction and writes the audit row.
    """
    kind = CertificateKind(kind)
    issue_date = issue_date or timezone.localdate()
    version = replaces.version + 1 if replaces is not None else 1
    existing = None if fresh else Certificate.objects.filter(source_key=source_key, version=version).first()
    if existing is not None:
        return existing
    _check_fields(kind, frozen_fields)
    if not holder_known and holder_user is None:
        holder_user = _holder_user_for(frozen_fields["id_number"])
    key = keys.signing_key(issue_date)
    try:
        with transaction.atomic():
            certificate = _create(kind=kind, fields=dict(frozen_fields), issuer=issuer, source_key=source_key,
                                  issued_by=issued_by, issue_date=issue_date, photo=photo, holder_user=holder_user,
                                  assessment_result=assessment_result, batch=batch, replaces=replaces,
                                  version=version, key=key)
    except IntegrityError:
        # Someone issued the same source at the same moment: theirs stands, ours rolled back (number too).
        existing = Certificate.objects.filter(source_key=source_key, version=version).first()
        if existing is None:
            raise
        return existing
    if render:
        queue.send_on_commit("certificates.tasks.render_certificate", certificate.pk)
    return certificate


def _create(*, kind, fields, issuer, source_key, issued_by, issue_date, photo, holder_user, assessment_result,
            batch, replaces, version, key):
    if kind == CertificateKind.SKILL:
        number = numbering.skill_number(fields["institution_code"], issue_date.year, int(fields["level_digit"]))
        org, level, field_label = fields["institution_code"], fields["level"], fields["occupation"]
        title = SKILL_TITLE
    else:
        number = numbering.title_number(fields["issuer_uscc"], issue_date.year, fields["qualification"])
        org, level, field_label = fields["issuer_uscc"], fields["qualification"], fields["major"]
        title = title_heading()
    verification_id = new_verification_id()
    data = {
        **fields, "kind": kind.value, "title": title, "number": number, "issue_date": issue_date.isoformat(),
        "verification_id": verification_id, "version": version,
        "replaces": replaces.number if replaces is not None else "",
        "photo_sha256": hashlib.sha256(photo).hexdigest() if photo else "",
        "salt": salting.new_salt(),  # secret: h cannot be recomputed from printed or guessable data
    }
    h = qr.data_hash(data)
    payload = qr.payload_for(kid=key.kid, kind=kind.value, number=number, name=fields["name"],
                             id_number=fields["id_number"], level=level, field_label=field_label, org=org,
                             issue_date=issue_date, h=h)
    payload_b64, signature_b64 = qr.sign_payload(payload, key)
    certificate = Certificate(
        kind=kind, number=number, verification_id=verification_id, version=version, source_key=source_key,
        issuer=issuer, issuer_code=org, holder_name=fields["name"], holder_id_number=fields["id_number"],
        holder_user=holder_user, level_label=level,
        field_label=field_label, issue_date=issue_date, data=data, data_hash=h, kid=key.kid,
        qr_payload=payload_b64, qr_signature=signature_b64, assessment_result=assessment_result, batch=batch,
        replaces=replaces, issued_by=issued_by,
    )
    if photo:
        certificate.photo.save(f"{verification_id}.jpg", ContentFile(photo), save=False)
    certificate.save()
    audit.record(actor=issued_by, action="certificates.issue", obj=certificate, role=Role.UNIVERSITY_STAFF,
                 changes={"number": number, "kind": kind.value, "source": source_key, "version": version})
    return certificate


def result_problem(result, filing):
    """Why this result may not become a certificate (a Chinese sentence), or "" when it may (issue #12 item 4).

    A skill certificate comes only from a result reported (认定结果报备) from an assessment session whose issuance
    the filing office has not suspended, of an institution filed (through the portal, or a registered historical
    filing) for that occupation and level, held on or after the filing date, for a candidate who passed.
    """
    if result.candidate_id is None:
        return _("%(name)s 的评价结果不是经考务场次产生并报备的认定结果，不能发证。") % {"name": result.name}
    session = result.candidate.session
    if session.state == "suspended":
        return _("备案部门已暂停该场次（%(s)s）的发证：%(reason)s") % {"s": session, "reason": session.suspension_reason}
    if session.state != "results_reported":
        return _("该场次（%(s)s）的认定结果尚未向备案部门报备，不能发证。") % {"s": session}
    if filing is None or filing.institution_id != result.institution_id:
        return _("%(inst)s 不是备案评价机构，不能颁发职业技能等级证书。") % {"inst": result.institution}
    if not filing.covers(result.occupation_id, result.level):
        return _("%(inst)s 未备案该职业和等级（%(occ)s %(level)s）。") % {
            "inst": filing.name, "occ": result.occupation.name, "level": result.get_level_display()}
    if filing.filed_on is None or result.exam_date < filing.filed_on:
        return _("考核日期%(d)s早于备案日期，不能发证。") % {"d": result.exam_date}
    if not result.passed:
        return _("%(name)s 的评价结果未达合格标准，不能发证。") % {"name": result.name}
    return ""


def issue_from_result(result, *, issued_by, issue_date=None, batch=None, render=True, filing=None, **known):
    """A skill certificate from a reported, passed assessment result (idempotent per result).

    ``filing``: the institution's filing when the caller has it already (a batch reads it once); ``known``:
    ``holder_user``/``holder_known``/``fresh`` from a batch that looked them up at once (``issue_certificate``).
    """
    filing = filing or filing_of(result.institution)
    problem = result_problem(result, filing)
    if problem:
        raise IssuanceError(problem)
    photo = None
    if result.photo:
        with result.photo.open("rb") as handle:
            photo = handle.read()
    return issue_certificate(
        kind=CertificateKind.SKILL, frozen_fields=skill_fields_from_result(result, filing),
        issuer=result.institution, source_key=f"skill-result:{result.pk}", issued_by=issued_by,
        issue_date=issue_date, photo=photo, assessment_result=result, batch=batch, render=render, **known,
    )


# --- batch issuance ---------------------------------------------------------------------------------
def start_batch(*, institution, results, issued_by, issue_date=None):
    """Queues a batch issuance of the passed, reported, not suspended results; returns the batch."""
    filing = filing_of(institution)
    ids = sorted(r.pk for r in results if not result_problem(r, filing))
    if not ids:
        raise IssuanceError(_("没有可发证的合格评价结果（须为已报备且未被暂停发证的场次的合格考生）。"))
    with transaction.atomic():
        # One batch at a time per result: the institution's row serialises two tabs starting the same batch, and
        # results already waiting in a queued or running batch are left to it.
        type(institution).objects.select_for_update().filter(pk=institution.pk).first()
        waiting = {i for ids_of in IssuanceBatch.objects.filter(
            institution=institution, status__in=[IssuanceBatch.Status.QUEUED, IssuanceBatch.Status.RUNNING])
            .values_list("result_ids", flat=True) for i in ids_of}
        ids = [i for i in ids if i not in waiting]
        if not ids:
            raise IssuanceError(_("这些评价结果已在发证批次中，正在处理，请勿重复提交。"))
        batch = IssuanceBatch.objects.create(institution=institution, result_ids=ids, total=len(ids),
                                             issue_date=issue_date or timezone.localdate(), created_by=issued_by)
        audit.record(actor=issued_by, action="certificates.start_batch", obj=batch, role=Role.UNIVERSITY_STAFF,
                     changes={"results": len(ids)})
    # With the broker down the batch stays queued (committed, nothing issued) and batch.dispatch.deferred
    # tells the caller; the sweeper sends it when the broker is back (issue 14 #5).
    batch.dispatch = queue.send_on_commit("certificates.tasks.run_batch", batch.pk)
    return batch


# --- revocation and correction ------------------------------------------------------------------------
def revoke_certificate(certificate, *, actor, reason, note, expected_status=CertificateStatus.VALID,
                       role=Role.UNIVERSITY_STAFF):
    """Revokes (irreversible, logged): the certificate verifies as revoked, with the reason category. ``role``:
    the issuer's staff, or the office whose refusal to record a title's result revokes it."""
    if reason not in RevocationReason.values:
        raise ValidationError(_("请选择撤销原因。"))
    if not (note or "").strip():
        raise ValidationError(_("请填写撤销说明。"))
    holder = [certificate.holder_user] if certificate.holder_user_id else []
    return run_transition(
        certificate, "revoke", actor=actor, role=role, comment=note, data={"reason": reason},
        expected_state=expected_status, state_field="status", reason=reason, note=note, at=timezone.now(),
        notify_users=holder, notice_title=_("您的证书 %(no)s 已被撤销") % {"no": certificate.number},
        notice_link="",
    )


def source_problem(certificate):
    """Why the record a certificate was issued from gives no certificate now (a Chinese sentence), or "": a
    correction issues anew, so it is refused wherever issuing would be — a suspended session, a result no longer
    reported or passed; a decision superseded by 复查, waiting for one, or not recorded by the office."""
    if certificate.kind == CertificateKind.TITLE:
        return decision_problem(decision_for_source(certificate.source_key))
    result = certificate.assessment_result
    if result is None:
        return _("找不到该证书所依据的评价结果。")
    return result_problem(result, filing_of(certificate.issuer))


def source_id_number(certificate):
    """The ID number of the person the certificate's source evaluated: the graduate's record (a title's decision, a
    skill result's candidate), else the result's own."""
    if certificate.kind == CertificateKind.TITLE:
        decision = decision_for_source(certificate.source_key)
        return decision.graduate.id_number if decision is not None else ""
    result = certificate.assessment_result
    if result is None:
        return ""
    return result.candidate.graduate.id_number if result.candidate_id else result.id_number


def correct_certificate(certificate, *, actor, changes, note, issue_date=None):
    """Issues a corrected version (new number, new verification id); the old one verifies as superseded. Only
    printed data (``CORRECTABLE``), and only while the certificate's source still allows one (``source_problem``)."""
    allowed = CORRECTABLE[certificate.kind]
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(_("这些字段不能更正：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    if not (note or "").strip():
        raise ValidationError(_("请填写更正说明。"))
    fields = {k: certificate.data[k] for k in (SKILL_FIELDS if certificate.kind == "skill" else TITLE_FIELDS)}
    fields.update({k: v for k, v in changes.items() if v not in (None, "")})
    if "id_number" in changes:
        fields["id_number"] = identifiers.normalize_ric(fields["id_number"])
        recorded = identifiers.normalize_ric(source_id_number(certificate) or "")
        if fields["id_number"] != certificate.data["id_number"] and fields["id_number"] != recorded:
            # A wrong digit is a clerical error; another number is another person. The number comes from the
            # record of the person evaluated: correct that record first (it is the school's register, logged).
            raise ValidationError(_("证件号码只能更正为被评价人记录中的号码（%(id)s）；如该记录有误，请先更正学籍记录。")
                                  % {"id": identifiers.mask_id(recorded) if recorded else "—"})
    if fields == {k: certificate.data[k] for k in fields}:
        raise ValidationError(_("没有需要更正的内容。"))
    photo = None
    if certificate.photo:
        with certificate.photo.open("rb") as handle:
            photo = handle.read()
    with transaction.atomic():
        old = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if old.status != CertificateStatus.VALID:
            raise ValidationError(_("只有有效的证书可以更正。"))
        problem = source_problem(old)
        if problem:
            raise ValidationError(_("不能更正换发：%(why)s") % {"why": problem})
        new = issue_certificate(kind=old.kind, frozen_fields=fields, issuer=old.issuer, source_key=old.source_key,
                                issued_by=actor, issue_date=issue_date, photo=photo, holder_user=old.holder_user,
                                assessment_result=old.assessment_result, replaces=old)
        run_transition(old, "supersede", actor=actor, role=Role.UNIVERSITY_STAFF, comment=note,
                       data={"replacement": new.number}, expected_state=CertificateStatus.VALID,
                       state_field="status")
    return new


def record_pdf_download(certificate, *, actor):
    """Downloading a PDF exports the full ID number: logged (DOMAIN §8)."""
    audit.record(actor=actor, action="certificates.download_pdf", obj=certificate)

