"""Issue 14 #3: every frozen record gets its secret ``salt``; ``h`` is re-derived and the QR re-signed.

Numbers, verification ids and every printed field stay as they were. The stored PDF embeds the old QR, so
it is cleared (``pdf_sha256``) and rendered again on the next download or by the sweeper.
"""

from django.db import migrations

from certificates.salting import resalted


def add_salts(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    pending = Certificate.objects.exclude(data__has_key="salt").order_by("pk")
    if not pending.exists():
        return
    unsigned = []
    for certificate in pending.iterator():
        result = resalted(data=certificate.data, qr_payload=certificate.qr_payload, kid=certificate.kid,
                          issue_date=certificate.issue_date)
        if result is None:
            unsigned.append(certificate.number)
            continue
        data, h, payload_b64, signature_b64, kid = result
        Certificate.objects.filter(pk=certificate.pk).update(
            data=data, data_hash=h, qr_payload=payload_b64, qr_signature=signature_b64, kid=kid, pdf="",
            pdf_sha256="")
    if unsigned:
        print(f"\n  certificates without a private key to re-sign them (kept unsalted): {', '.join(unsigned)}")


class Migration(migrations.Migration):
    dependencies = [("certificates", "0002_results_only_from_assessment_sessions")]
    operations = [migrations.RunPython(add_salts, migrations.RunPython.noop)]
