"""Access matrix cases for every URL of the certificates app and its public routes.

Issuer staff (``staff`` of ``inst``) manage results, batches and certificates; the holder (``student``)
downloads their own; HRSS offices overseeing the issuer see certificates (read only); verification is public.
"""

from tests.certificates.world import certificate_world
from tests.matrix import Case, everyone

STAFF_ADMIN = {"university_staff": 200, "site_admin": 200}
# The other institution's staff are university staff too, but of another school: the world's staff user
# belongs to the issuer. "Another school's staff" is covered in test_access_scoping.py.


def cw(w):
    return certificate_world(w)


def _secret_names(w, role):
    cw(w)
    return [] if role in ("university_staff", "site_admin") else ["秘密乙", "秘密丙"]


CASES = [
    # Public: anonymous users too.
    Case("certificate_verify_link", everyone(200), anonymous=200,
         kwargs=lambda w: {"verification_id": cw(w).cert.verification_id},
         hidden=lambda w, role: [cw(w).cert.holder_id_number, "秘密甲"], id="verify link (valid)"),
    Case("certificate_verify_link", everyone(200), anonymous=200,
         kwargs=lambda w: {"verification_id": cw(w).revoked.verification_id},
         hidden=lambda w, role: [cw(w).revoked.holder_id_number, "秘密乙"], id="verify link (revoked: 200, never 404)"),
    Case("certificate_keys", everyone(200), anonymous=200),
    Case("certificates:verify", everyone(200), anonymous=200),
    Case("certificates:verify", everyone(200), anonymous=200, method="post",
         data=lambda w: {"number": cw(w).cert.number, "name": "秘密甲"},
         hidden=lambda w, role: [cw(w).cert.holder_id_number], id="POST verify (number + name)"),
    Case("certificates:offline", everyone(200), anonymous=200),
    Case("certificates:verify_pdf", everyone(200), anonymous=200),  # upload a PDF to check its seals (issue 17)
    Case("pdf_signing_ca", everyone(200), anonymous=200),  # the PDF seals' trust anchor
    Case("certificates:status_api", everyone(200), anonymous=200,
         kwargs=lambda w: {"verification_id": cw(w).cert.verification_id},
         hidden=lambda w, role: [cw(w).cert.holder_id_number, "秘密甲"]),
    Case("certificates:id_check", everyone(200), anonymous=200, method="post",
         kwargs=lambda w: {"verification_id": cw(w).cert.verification_id},
         data=lambda w: {"id_number": "340504199801010017"},
         hidden=lambda w, role: [cw(w).cert.holder_id_number]),
    # Signed in.
    Case("certificates:list", {"university_staff": 200, "student": 200, "city_hrss": 200, "provincial_hrss": 200,
                               "provincial_education": 200, "site_admin": 200},
         hidden=lambda w, role: ["秘密乙", "秘密丙"] if role == "student" else []),
    Case("certificates:detail", {"university_staff": 200, "student": 200, "city_hrss": 200, "provincial_hrss": 200,
                                 "provincial_education": 200, "site_admin": 200}, default=404,
         kwargs=lambda w: {"pk": cw(w).cert.pk}, id="detail (held by the student)"),
    Case("certificates:detail", {"university_staff": 200, "city_hrss": 200, "provincial_hrss": 200,
                                 "provincial_education": 200, "site_admin": 200}, default=404,
         kwargs=lambda w: {"pk": cw(w).title.pk}, hidden=lambda w, role: [] if role in (
             "university_staff", "city_hrss", "provincial_hrss", "provincial_education", "site_admin") else ["秘密丙"],
         id="detail (someone else's)"),
    Case("certificates:pdf", {"university_staff": 200, "student": 200, "site_admin": 200, "city_hrss": 403,
                              "provincial_hrss": 403, "provincial_education": 403}, default=404,
         kwargs=lambda w: {"pk": cw(w).cert.pk}),
    Case("certificates:revoke", {"university_staff": 302, "student": 403, "city_hrss": 403, "provincial_hrss": 403,
                                 "provincial_education": 403, "site_admin": 403}, default=404, method="post",
         kwargs=lambda w: {"pk": cw(w).cert.pk}, data=lambda w: {}),  # no reason given: nothing happens
    Case("certificates:correct", {"university_staff": 200, "student": 403, "city_hrss": 403, "provincial_hrss": 403,
                                  "provincial_education": 403, "site_admin": 403}, default=404,
         kwargs=lambda w: {"pk": cw(w).cert.pk}),
    Case("certificates:results", STAFF_ADMIN, hidden=lambda w, role: _secret_names(w, role)),
    Case("certificates:batch_start", {"university_staff": 302, "site_admin": 302}, method="post"),
    Case("certificates:batch", STAFF_ADMIN, kwargs=lambda w: {"pk": cw(w).batch.pk}),
    Case("certificates:batch_progress", STAFF_ADMIN, kwargs=lambda w: {"pk": cw(w).batch.pk}),
    Case("certificates:batch_zip", STAFF_ADMIN, kwargs=lambda w: {"pk": cw(w).batch.pk}),
]
CASES.append(Case("certificates:result_photos", STAFF_ADMIN))
