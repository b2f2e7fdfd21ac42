"""The seal's signature container filled in from a template (``portal.signing.cms_template``; issue 17 §1, the
seal's CPU): after a signer's first seal, later seals copy its container with the new digest and signature — and
each of them still validates with pyHanko against the served trust anchor, one changed byte still breaks it, and a
container the template cannot reproduce goes through pyHanko as before."""

import os
from datetime import date

import pytest
from asn1crypto import cms

from certificates import services
from certificates.render import render_certificate, seals_for
from portal import pdf, signing
from portal.signing import cms_template
from tests.certificates.conftest import ric
from tests.sealing import seals_of


@pytest.fixture
def two_certificates(make_result, filed):
    return [services.issue_from_result(make_result(name=name, id_number=ric(n)), issued_by=filed.staff,
                                       issue_date=date(2026, 7, 10), render=False)
            for n, name in ((11, "张明"), (12, "李华"))]


def test_later_seals_are_filled_from_the_first_and_all_validate(two_certificates, filed):
    sealed = []
    for certificate in (*two_certificates, two_certificates[0]):
        sealed.append(pdf.sign(render_certificate(certificate), seals_for(certificate)))
    (body,) = {seal.body for c in two_certificates for seal in seals_for(c)}
    signer = signing.backend()._signer(body)
    template = signer._templates[("sha256", True)]
    assert isinstance(template, cms_template.Template)
    assert template.signature_len == 256  # the demo RSA-2048 key
    for data in sealed:
        (seal,) = seals_of(data)
        assert (seal.signer, seal.intact, seal.valid, seal.trusted, seal.whole_file) == (
            filed.inst.name, True, True, True, True)
    # the same certificate sealed twice: two different documents (time, ids) — both valid, not one copied
    assert sealed[0] != sealed[2]
    at = len(sealed[1]) // 4  # one byte of a templated seal's document, inside the signed range
    (seal,) = seals_of(sealed[1][:at] + bytes([sealed[1][at] ^ 0x01]) + sealed[1][at + 1:])
    assert not (seal.intact and seal.valid)


def test_a_container_the_template_cannot_reproduce_is_not_templated(two_certificates):
    certificate = two_certificates[0]
    pdf.sign(render_certificate(certificate), seals_for(certificate))
    signer = signing.backend()._signer(seals_for(certificate)[0].body)
    template = signer._templates[("sha256", True)]
    content_info = cms.ContentInfo.load(template.der)
    digest = bytes(template.attrs[template.digest_at:template.digest_at + template.digest_len])
    # a signature that differs at every call (as ECDSA's does) fails the self-check: pyHanko builds each container
    assert cms_template.learn(content_info, digest, None, lambda data: os.urandom(256)) is None
    assert template.fill(b"\x00" * 20, None, lambda data: b"\x00" * 256) is None  # a digest of another length
    assert template.fill(digest, None, lambda data: b"\x00" * 255) is None  # a signature of another length
