"""The secret ``salt`` of a certificate's frozen record (contract certificate-qr.md, issue 14 #3).

``h`` in the QR payload is the SHA-256 of the frozen record. Without a secret in the record, anyone holding
the public QR plus a guessable name and employer could brute-force the masked ID digits against ``h``
(2.7 s for a title certificate without a photo). Each record therefore carries 32 random bytes, never shown
publicly (support staff read it with ``manage.py certificate_record NUMBER``, which is logged).
"""

import json
import os

from . import keys, qr


def new_salt():
    """32 random bytes as base64url without padding."""
    return keys.b64url(os.urandom(32))


def record_text(data):
    """The frozen record in the serialisation ``h`` is computed over (canonical UTF-8 JSON)."""
    return qr.canonical_json(data).decode("utf-8")


def resalted(*, data, qr_payload, kid, issue_date, ring=None):
    """For a certificate issued before the salt: (data with a new salt, h, payload_b64, signature_b64).

    The payload keeps every field (number, masked name and ID, date, ``kid``) and gets the new ``h``; it is
    re-signed with the same key when its private part is at hand, else with a key covering the issue date.
    Returns None when no private key can sign it (the caller reports it; nothing is changed).
    """
    ring = keys.ring() if ring is None else ring
    key = next((k for k in ring if k.kid == kid and k.d), None)
    if key is None:
        usable = [k for k in ring if k.d and k.covers(issue_date)]
        if not usable:
            return None
        key = usable[-1]
    data = {**data, "salt": new_salt()}
    h = qr.data_hash(data)
    payload = json.loads(keys.b64url_decode(qr_payload).decode("utf-8"))
    payload.update({"h": h, "kid": key.kid})
    payload_b64, signature_b64 = qr.sign_payload(payload, key)
    return data, h, payload_b64, signature_b64, key.kid
