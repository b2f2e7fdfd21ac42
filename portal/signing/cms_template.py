"""The signature container (CMS SignedData) of a seal, built once per signer and then filled in.

Why (issue 17 §1, "signing adds ≤ 15 ms of CPU per certificate"): pyHanko builds every CMS object field by field in
asn1crypto and serialises it again — measured at about 70 % of a seal's CPU (``docs/signing.md`` § Cost). For one
signer, with the same digest algorithm and no timestamp, two containers differ only in the bytes that depend on
the document: the ``messageDigest`` attribute, the ``signingTime`` attribute when pyHanko writes one (not in
PAdES), and the signature over the signed attributes. Everything else — the certificates, the signer's identity,
the algorithms, the ESS signing-certificate-v2 and algorithm-protection attributes — is the same bytes.

So the first seal of a signer goes through pyHanko unchanged and its container becomes the template: the offsets
of those fields are found by parsing it, and the template is accepted only if filling it with the first seal's own
digest and time gives back the first container byte for byte (RSA PKCS#1 v1.5 is deterministic). Each later seal
copies the template, writes the new digest (and time) into the signed attributes, signs them (DER ``SET OF``: the
implicit ``[0]`` tag read as ``0x31``) with the signer's key and writes the signature in place. The lengths never
change (a fixed-size digest, a fixed-size time, an RSA signature as long as the key), so every enclosing length
stays right. Anything else — a timestamp, CAdES attributes, a signature of another length (ECDSA), a failed
self-check — goes through pyHanko as before. Every sealed PDF is still validated by the tests with pyHanko.
"""

from dataclasses import dataclass

from asn1crypto import cms, core


@dataclass(frozen=True)
class Template:
    der: bytes  # the whole ContentInfo of the first seal
    attrs_at: int  # where the signed attributes ([0] IMPLICIT SET OF Attribute, tag included) start in ``der``
    attrs: bytes
    digest_at: int  # offsets inside ``attrs``
    digest_len: int
    time_at: int | None
    time_len: int
    signature_at: int  # offset in ``der``
    signature_len: int

    def fill(self, digest, time_der, sign):
        """The container for a document of ``digest`` sealed at ``time_der`` (the DER of the time value, or None
        when there is no signingTime attribute); ``sign(bytes) -> signature``. None when a length differs."""
        if len(digest) != self.digest_len or (self.time_at is not None and len(time_der) != self.time_len):
            return None
        attrs = bytearray(self.attrs)
        attrs[self.digest_at:self.digest_at + self.digest_len] = digest
        if self.time_at is not None:
            attrs[self.time_at:self.time_at + self.time_len] = time_der
        signature = sign(b"\x31" + bytes(attrs[1:]))
        if len(signature) != self.signature_len:
            return None
        der = bytearray(self.der)
        der[self.attrs_at:self.attrs_at + len(attrs)] = attrs
        der[self.signature_at:self.signature_at + self.signature_len] = signature
        return bytes(der)


def time_value_der(signing_time):
    """The DER of a signingTime value as asn1crypto writes it (UTCTime before 2050)."""
    return cms.Time({"utc_time": signing_time} if signing_time.year < 2050 else
                    {"general_time": signing_time}).chosen.dump()


def learn(content_info, digest, signing_time, sign):
    """The template of ``content_info`` (pyHanko's container for a document of ``digest``), or None when the
    container is not of the expected shape or the self-check fails."""
    der = content_info.dump()
    try:
        signer_info = content_info["content"]["signer_infos"][0]
        if len(content_info["content"]["signer_infos"]) != 1 or signer_info["unsigned_attrs"].native:
            return None
        attrs = signer_info["signed_attrs"].dump()
        signature = signer_info["signature"].native
        time_der = None
        for attribute in signer_info["signed_attrs"]:
            if attribute["type"].native == "signing_time":
                time_der = time_value_der(signing_time)
                if attribute["values"][0].chosen.dump() != time_der:
                    return None
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    attrs_at = der.find(attrs)
    digest_at = attrs.find(core.OctetString(digest).dump())
    signature_at = der.find(signature)
    if min(attrs_at, digest_at, signature_at) < 0 or der.count(signature) != 1 or attrs.count(digest) != 1:
        return None
    digest_at += len(core.OctetString(digest).dump()) - len(digest)  # past the OCTET STRING's tag and length
    time_at = None
    if time_der is not None:
        time_at = attrs.find(time_der)
        if time_at < 0 or attrs.count(time_der) != 1:
            return None
    template = Template(der=der, attrs_at=attrs_at, attrs=attrs, digest_at=digest_at, digest_len=len(digest),
                        time_at=time_at, time_len=len(time_der or b""), signature_at=signature_at,
                        signature_len=len(signature))
    return template if template.fill(digest, time_der, sign) == der else None
