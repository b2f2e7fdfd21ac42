"""The verdict on an uploaded PDF (the public page 核验电子文件): signatures, then the register, then status.

Order of the verdict: unreadable → unsigned → 已被篡改 (any signature broken or the file changed after it) →
untrusted signer → not in the register (its SHA-256 matches no issued file) → a certificate's revocation or
correction (red, with the reason) → 有效.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from portal.pdf import sha256
from portal.signing import verify

from . import register
from .models import CertificateStatus

RED, AMBER, GREEN = "revoked", "superseded", "valid"  # the banner classes of the QR status page


@dataclass
class Verdict:
    code: str
    label: str
    tone: str
    detail: str = ""
    report: verify.PdfReport | None = None
    entry: register.RegisterEntry | None = None
    sha256: str = ""
    notes: list = field(default_factory=list)


def _certificate_verdict(entry, base):
    certificate = entry.certificate
    if certificate.status == CertificateStatus.REVOKED:
        reason = certificate.get_revocation_reason_display()
        return Verdict("revoked", _("已撤销"), RED, _("文件未被改动，但该证书已被发证单位撤销，不再有效。撤销原因：%(r)s")
                       % {"r": reason}, **base)
    if certificate.status == CertificateStatus.SUPERSEDED:
        replacement = certificate.replacement
        detail = _("文件未被改动，但该证书已更正，以新版本为准。")
        if replacement is not None:
            detail += _("更正后的证书编号：%(n)s。") % {"n": replacement.number}
        return Verdict("superseded", _("已更正（已被新版本替代）"), RED, detail, **base)
    return None


BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def _sealed_original(data):
    """The register entry of the file as it was sealed, when ``data`` is that file with bytes appended after the
    last seal: the seal's /ByteRange ends where the sealed file ended. pyHanko accepts such an appended revision
    that changes nothing on the page (a comment, a new /Info) as unchanged; the register lookup by the whole file's
    SHA-256 then missed, and a revoked certificate's file lost its 已撤销."""
    ends = [int(m.group(3)) + int(m.group(4)) for m in BYTE_RANGE.finditer(data)]
    end = max(ends, default=0)
    if not 0 < end < len(data):
        return None
    return register.find_by_sha256(sha256(data[:end]))


def check(data):
    report = verify.check_pdf(data)
    digest = sha256(data)
    base = {"report": report, "sha256": digest}
    if not report.readable:
        return Verdict("unreadable", _("无法读取"), RED, _("该文件不是可读取的 PDF 文件，或已损坏。"), **base)
    if not report.signed:
        return Verdict("unsigned", _("未签名"), RED, _("该文件没有电子签章，不是本平台签发的电子文件。"), **base)
    if not report.unchanged:
        return Verdict("tampered", _("已被篡改"), RED,
                       _("签章后文件内容已被改动，签章无效。请向发证单位索取原件核对。"), **base)
    if not report.trusted:
        return Verdict("untrusted", _("签章不受信任"), RED,
                       _("文件自签章后未被改动，但签章证书不是本平台公布的信任根签发的。"), **base)
    entry = register.find_by_sha256(digest)
    base["entry"] = entry
    if entry is None:
        sealed = _sealed_original(data)
        if sealed is not None:  # an issued file with something added after its seal
            base["entry"] = sealed
            verdict = _certificate_verdict(sealed, base) if sealed.certificate is not None else None
            now = f"{verdict.label}：{verdict.detail}" if verdict is not None else ""
            return Verdict("tampered", _("已被篡改"), RED,
                           _("该文件是平台登记的%(what)s，但签章之后被追加了内容。请向发证单位索取原件核对。%(now)s")
                           % {"what": sealed.label, "now": now}, **base)
        return Verdict("unregistered", _("签章有效，但与登记不符"), AMBER,
                       _("签章完整可信，但该文件的 SHA-256 与登记的已签发文件均不一致（可能是旧版本或重新生成的文件），"
                         "请以平台登记为准。"), **base)
    if entry.certificate is not None:
        verdict = _certificate_verdict(entry, base)
        if verdict is not None:
            return verdict
    return Verdict("valid", _("有效"), GREEN, _("签章完整可信，文件自签章后未被改动，且与登记的文件一致。"), **base)
