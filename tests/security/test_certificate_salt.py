"""Issue 14, finding 3: the QR's ``h`` must not let anyone confirm a guessed ID number.

Before the fix, ``h`` was the SHA-256 of a record made only of printed or guessable fields: with the public
QR, a name and an employer, the masked ID digits were brute-forced in seconds. Now the record holds a secret
32-byte ``salt`` (contract certificate-qr.md).
"""

import hashlib
import importlib
import io
import json
from datetime import date

from django.core.management import call_command

from certificates import keys, qr, salting, services
from certificates.models import Certificate
from portal.models import AuditLog

ID = "340504199801010017"


def issue_title(filed, source="t:salt", name="周子淇"):
    fields = services.title_fields(name=name, gender="男", birth_date=date(1998, 1, 1), id_number=ID,
                                   employer="江淮汽车", major="车辆工程", qualification="工程师", committee="评委会",
                                   approval_no="皖职改〔2026〕1号", obtained_on=date(2026, 6, 20), issuer=filed.inst)
    return services.issue_certificate(kind="title", frozen_fields=fields, issuer=filed.inst, source_key=source,
                                      issued_by=filed.staff, issue_date=date(2026, 6, 28), render=False)


def b64(digest):
    return keys.b64url(digest)


def test_h_cannot_be_recomputed_from_printed_and_guessable_data(filed):
    cert = issue_title(filed)
    payload = qr.verify_qr_text(qr.qr_text(cert), keys.public_key_set()).payload
    # The attacker's best reconstruction: every field of the record except what is secret.
    guessed = {k: v for k, v in cert.data.items() if k != "salt"}
    assert guessed["id_number"] == ID  # the right guess of the hidden digits ...
    assert b64(hashlib.sha256(qr.canonical_json(guessed)).digest()) != payload["h"]  # ... is not confirmed
    salt = cert.data["salt"]
    assert len(keys.b64url_decode(salt)) == 32 and "=" not in salt
    assert payload["h"] == b64(hashlib.sha256(qr.canonical_json(cert.data)).digest()) == cert.data_hash


def test_each_certificate_has_its_own_salt_and_the_public_never_sees_it(filed, client):
    first, second = issue_title(filed, "t:a"), issue_title(filed, "t:b", name="李小明")
    assert first.data["salt"] != second.data["salt"]
    page = client.get(f"/v/{first.verification_id}").content.decode()
    api = client.get(f"/certificates/api/status/{first.verification_id}").content.decode()
    assert first.data["salt"] not in page and first.data["salt"] not in api
    assert first.data["salt"] not in keys.b64url_decode(first.qr_payload).decode()


def test_certificate_record_prints_the_hashed_serialisation_and_is_logged(filed):
    cert = issue_title(filed)
    out = io.StringIO()
    call_command("certificate_record", cert.number, stdout=out)
    text = out.getvalue().strip()
    assert json.loads(text)["salt"] == cert.data["salt"]
    assert b64(hashlib.sha256(text.encode("utf-8")).digest()) == cert.data_hash
    entry = AuditLog.objects.get(action="certificates.print_record")
    assert entry.object_id == str(cert.pk) and entry.actor_name.startswith("manage.py")


def test_migration_salts_old_certificates_and_re_signs_them_keeping_numbers(filed):
    cert = issue_title(filed)
    # Make it look like a certificate issued before the salt: no salt, h over the bare record, signed so.
    old_data = {k: v for k, v in cert.data.items() if k != "salt"}
    payload = json.loads(keys.b64url_decode(cert.qr_payload))
    payload["h"] = qr.data_hash(old_data)
    key = keys.signing_key(cert.issue_date)
    old_payload, old_signature = qr.sign_payload(payload, key)
    Certificate.objects.filter(pk=cert.pk).update(data=old_data, data_hash=payload["h"], qr_payload=old_payload,
                                                  qr_signature=old_signature, pdf_sha256="stale")
    migration = importlib.import_module("certificates.migrations.0003_salt_frozen_records")

    class Apps:
        @staticmethod
        def get_model(app, name):
            return Certificate

    migration.add_salts(Apps, None)
    cert.refresh_from_db()
    assert cert.number == Certificate.objects.get(pk=cert.pk).number and "salt" in cert.data
    assert {k: v for k, v in cert.data.items() if k != "salt"} == old_data
    assert cert.data_hash == qr.data_hash(cert.data) != qr.data_hash(old_data)
    verified = qr.verify_qr_text(qr.qr_text(cert), keys.public_key_set())
    assert verified.ok and verified.payload["h"] == cert.data_hash and verified.payload["no"] == cert.number
    assert cert.pdf_sha256 == ""  # the stored PDF had the old QR: rendered again
    migration.add_salts(Apps, None)  # idempotent: a salted record is left alone
    assert Certificate.objects.get(pk=cert.pk).data["salt"] == cert.data["salt"]


def test_record_text_is_the_contract_serialisation():
    data = {"b": "证", "a": 1, "salt": salting.new_salt()}
    assert salting.record_text(data) == json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
