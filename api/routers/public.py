"""Public verification — no token; the same masking, look-up and rate limit as ``/v/`` and
``/certificates/verify/`` (``certificates.public``, ``certificates.ratelimit``)."""

from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from certificates import keys, ratelimit, selectors
from certificates.forms import VerifyForm
from certificates.public import public_facts
from certificates.qr import verify_qr_text
from portal import audit

from ..forms import errors_text
from ..schemas import Error, PublicFacts, QrText, QrVerification, ValidationErrors

router = Router(tags=["公开核验"])
RATE_LIMITED = _("查询过于频繁，请稍后再试。")
NOT_FOUND = "未找到与该证书编号和姓名相符的证书。"


def _facts(certificate):
    facts = public_facts(certificate)
    return {
        "status": facts["status"], "status_label": str(facts["status_label"]), "kind": certificate.kind,
        "kind_label": str(facts["kind_label"]), "number": facts["number"], "masked_name": facts["masked_name"],
        "masked_id": facts["masked_id"], "level": facts["level"], "field": facts["field"],
        "field_label": str(facts["field_label"]), "issuer_name": facts["issuer_name"] or "",
        "issuer_code": facts["issuer_code"], "issue_date": facts["issue_date"],
        "revocation_reason": str(facts["revocation_reason"]), "revoked_at": facts["revoked_at"],
        "replacement_number": facts["replacement"].number if facts["replacement"] else None,
        "verification_url": f"/v/{certificate.verification_id}",
    }


def _allow(request, key):
    if not ratelimit.allow(ip=audit.client_ip(request), certificate=key):
        raise HttpError(429, str(RATE_LIMITED))


@router.get("/certificates/verify", response={200: PublicFacts, 400: Error, 404: Error, 422: ValidationErrors, 429: Error},
            summary="按证书编号和姓名核验证书")
def verify_by_number(request, number: str, name: str):
    """与“证书查询”页面相同：须输入持证人完整姓名；姓名不符与编号不存在的答复相同（404），不泄露编号是否存在。
    姓名、证件号码均已遮盖；与页面共用访问频率限制。"""
    form = VerifyForm({"number": number, "name": name})
    if not form.is_valid():
        raise HttpError(400, errors_text(form))
    _allow(request, f"no:{form.cleaned_data['number']}")
    certificate = selectors.verify_by_number(form.cleaned_data["number"], form.cleaned_data["name"])
    if certificate is None:
        raise HttpError(404, _(NOT_FOUND))
    return _facts(certificate)


@router.post("/certificates/verify-qr", response={200: QrVerification, 400: Error, 422: ValidationErrors, 429: Error},
             summary="核验证书二维码文本")
def verify_qr(request, body: QrText):
    """用公布的密钥集（/.well-known/certificate-keys.json）核验二维码文本的 Ed25519 签名，并给出证书当前状态
    （已撤销、已更正的证书注明原因）。"""
    text = body.text.strip()[:2000]
    check = verify_qr_text(text, keys.public_key_set())
    _allow(request, (check.verification_id or "qr").lower())
    current = None
    if check.ok and check.verification_id:
        certificate = selectors.by_verification_id(check.verification_id)
        if certificate is not None and certificate.number == check.payload.get("no"):
            current = _facts(certificate)
    reason = "" if check.ok else _("二维码无效：%(r)s") % {"r": check.reason}
    if check.ok and current is None:
        reason = _("签名有效，但登记系统中未找到该证书。")
    elif current is not None and current["status"] != "valid":  # a client reading only these two fields is told
        reason = _("签名有效，但该证书当前%(state)s，不再有效。") % {"state": current["status_label"]}
    return {"signature_valid": check.ok, "reason": reason, "signed": check.payload if check.ok else None,
            "current": current}
