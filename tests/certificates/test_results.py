"""Results pages: batch issuance through the pages, downloads (the holder's PDF, the institution's ZIP), dashboard
panels, photos. (Results are no longer typed or imported: they come from reported assessment sessions.)"""

import io
import zipfile
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates import services, tasks
from certificates.models import Certificate, IssuanceBatch
from portal.models import AuditLog
from tests.certificates.conftest import ric


def test_batch_through_the_pages_and_zip(filed, login, make_result):
    for i in range(3):
        make_result(name=f"学生{i}", id_number=ric(i))
    client = login(filed.staff)
    response = client.post(reverse("certificates:batch_start"))
    assert response.status_code == 302
    batch_url = response["Location"]
    batch_id = int(batch_url.rstrip("/").split("/")[-1])
    tasks.run_batch(batch_id)  # in-process, as the on-commit enqueue would in the demo
    progress = client.get(reverse("certificates:batch_progress", args=[batch_id])).json()
    assert progress == {"status": "done", "done": 3, "total": 3, "percent": 100, "error": ""}
    assert "学生0" in client.get(batch_url).content.decode()
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("certificates:batch_zip", args=[batch_id])).content))
    names = sorted(archive.namelist())
    assert names == sorted(f"{c.number}.pdf" for c in Certificate.objects.all())
    assert all(archive.read(n).startswith(b"%PDF-") for n in names)
    assert AuditLog.objects.filter(action="certificates.download_zip").exists()
    # Another school cannot see the batch.
    assert login(filed.other_staff).get(batch_url).status_code == 404


def test_student_downloads_own_certificate_and_sees_it_on_the_dashboard(filed, login, make_result):
    mine = services.issue_from_result(make_result(name="张明", id_number=ric(1)), issued_by=filed.staff,
                                      render=False)
    Certificate.objects.filter(pk=mine.pk).update(holder_user=filed.student)
    other = services.issue_from_result(make_result(name="别人", id_number=ric(2)), issued_by=filed.staff,
                                       render=False)
    client = login(filed.student)
    home = client.get(reverse("home")).content.decode()
    assert mine.number in home and other.number not in home
    listing = client.get(reverse("certificates:list")).content.decode()
    assert mine.number in listing and other.number not in listing
    pdf = client.get(reverse("certificates:pdf", args=[mine.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf["Content-Disposition"] == f'attachment; filename="{mine.number}.pdf"'
    assert AuditLog.objects.filter(action="certificates.download_pdf", actor=filed.student).exists()
    assert client.get(reverse("certificates:pdf", args=[other.pk])).status_code == 404


def test_a_revoked_certificate_is_no_longer_handed_out_as_a_pdf(filed, login, make_result):
    """Its QR still verifies offline (the signature cannot know): the holder and the school get no fresh copy, the
    batch ZIP leaves it out, and the page says why."""
    revoked, kept = (services.issue_from_result(make_result(name=name, id_number=ric(i)), issued_by=filed.staff)
                     for i, name in ((1, "张明"), (2, "李华")))
    Certificate.objects.filter(pk=revoked.pk).update(holder_user=filed.student)
    services.revoke_certificate(revoked, actor=filed.staff, reason="issued_in_error", note="误发")
    for user in (filed.student, filed.staff):
        client = login(user)
        response = client.get(reverse("certificates:pdf", args=[revoked.pk]), follow=True)
        assert response.redirect_chain == [(reverse("certificates:detail", args=[revoked.pk]), 302)]
        page = response.content.decode()
        assert "该证书已撤销，不再提供PDF下载" in page and 'data-testid="download-pdf"' not in page
    assert not AuditLog.objects.filter(action="certificates.download_pdf").exists()
    batch = IssuanceBatch.objects.create(institution=filed.inst, result_ids=[], total=2, issue_date=date(2026, 7, 10),
                                         created_by=filed.staff)
    Certificate.objects.filter(pk__in=[revoked.pk, kept.pk]).update(batch=batch)
    archive = zipfile.ZipFile(io.BytesIO(login(filed.staff).get(
        reverse("certificates:batch_zip", args=[batch.pk])).content))
    assert archive.namelist() == [f"{kept.number}.pdf"]


def test_other_school_staff_see_nothing_of_ours(filed, login, make_result):
    cert = services.issue_from_result(make_result(name="本校生"), issued_by=filed.staff, render=False)
    client = login(filed.other_staff)
    assert cert.number not in client.get(reverse("certificates:list")).content.decode()
    assert "本校生" not in client.get(reverse("certificates:results")).content.decode()
    for name in ("certificates:detail", "certificates:pdf", "certificates:correct"):
        assert client.get(reverse(name, args=[cert.pk])).status_code == 404


def _zip(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_photos_from_a_zip_all_or_nothing(filed, login, make_result, photo):
    a = make_result(name="甲", id_number=ric(1))
    b = make_result(name="乙", id_number=ric(2))
    issued = make_result(name="丙", id_number=ric(3))
    services.issue_from_result(issued, issued_by=filed.staff, render=False)
    client = login(filed.staff)
    url = reverse("certificates:result_photos")
    bad = client.post(url, {"file": SimpleUploadedFile("p.zip", _zip({
        f"{ric(1)}.jpg": photo, f"{ric(2)}.png": photo, f"{ric(3)}.jpg": photo, "34010419990101999X.jpg": photo,
        "readme.txt": b"x"}))})
    body = bad.content.decode()
    assert bad.status_code == 200 and "未保存任何照片" in body
    assert "文件内容不是PNG图片" in body and "已发证" in body and "没有证件号码为" in body and "只接受" in body
    a.refresh_from_db()
    assert not a.photo
    good = client.post(url, {"file": SimpleUploadedFile("p.zip", _zip({f"photos/{ric(1).lower()}.jpg": photo,
                                                                           f"{ric(2)}.jpg": photo}))})
    assert good.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.photo and b.photo
    with a.photo.open("rb") as handle:
        assert handle.read() == photo


def test_a_photo_zip_bomb_is_refused_before_inflating(filed, login, make_result, settings):
    """Issue #14 item 7: a small ZIP that would expand to gigabytes (here, scaled down by the setting) is refused
    with a Chinese message before any member is inflated; so is one with too many members."""
    make_result(name="甲", id_number=ric(1))
    settings.CERTIFICATES_PHOTO_ZIP_MAX_MB = 5
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for i in range(4):  # each under the 2 MB photo limit, 7.6 MB together, ~8 KB on disk
            archive.writestr(f"{i}.jpg", b"\xff\xd8\xff" + b"\0" * (1900 * 1024))
    bomb = buffer.getvalue()
    assert len(bomb) < 50_000
    client = login(filed.staff)
    url = reverse("certificates:result_photos")
    body = client.post(url, {"file": SimpleUploadedFile("p.zip", bomb)}).content.decode()
    assert "照片压缩包解压后超过5MB，未予解压（疑似压缩炸弹）" in body
    settings.CERTIFICATES_PHOTO_ZIP_MAX_MB = 512
    body = client.post(url, {"file": SimpleUploadedFile("p.zip", bomb)}).content.decode()
    assert "压缩比异常" in body
    settings.CERTIFICATES_PHOTO_ZIP_MAX_MEMBERS = 3
    body = client.post(url, {"file": SimpleUploadedFile("p.zip", _zip({f"{i}.jpg": b"x" for i in range(5)}))}
                       ).content.decode()
    assert "照片压缩包包含5个成员，超过上限3个" in body
