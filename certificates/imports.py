"""Photos for the results of reported assessment sessions: a ZIP of ``<证件号码>.jpg|png`` (a registrar's export).

Results themselves are never typed or imported here: they come from the assessment sessions (``assessment``
app), copied when the institution reports a session's results (issue #12 item 4, issue #13).
"""

import io

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from portal import audit, identifiers
from portal.archives import ArchiveError, ZipLimits, check_zip
from portal.models import Role

from .models import AssessmentResult

PHOTO_MAX_MB = 2


def photo_zip_limits():
    """A photo is ~30-200 KB and barely compresses (JPEG/PNG); a cohort's bundle has thousands."""
    return ZipLimits(max_members=int(getattr(settings, "CERTIFICATES_PHOTO_ZIP_MAX_MEMBERS", 20_000)),
                     max_total_bytes=int(getattr(settings, "CERTIFICATES_PHOTO_ZIP_MAX_MB", 512)) * 1024 * 1024,
                     max_ratio=20)
PHOTO_SIGNATURES = {".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".png": b"\x89PNG\r\n\x1a\n"}


def import_photos(*, institution, user, data):
    """Photos for recorded results from a ZIP of ``<证件号码>.jpg|png`` files (a registrar's photo export).

    Every file is checked (name, type by content, size) before any is stored; results that already have a
    certificate keep their frozen photo. Returns (stored, errors [{row: file name, column, message}]).
    """
    import zipfile
    from pathlib import PurePosixPath

    from django.core.files.base import ContentFile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        # Limits before a byte is inflated (issue #14 item 7): a 10 MB ZIP must not expand to 10 GB.
        members = [m for m in check_zip(archive, photo_zip_limits(), what=_("照片压缩包"))
                   if not m.is_dir() and not m.filename.startswith("__MACOSX")]
    except zipfile.BadZipFile:
        return 0, [{"row": "", "column": "", "message": _("无法读取ZIP文件。")}]
    except ArchiveError as exc:
        return 0, [{"row": "", "column": "", "message": str(exc)}]
    results = {r.id_number: r for r in AssessmentResult.objects.filter(institution=institution)
               .prefetch_related("certificates")}
    errors, staged = [], []
    for member in members:
        path = PurePosixPath(member.filename)
        stem, suffix = identifiers.normalize_ric(path.stem), path.suffix.lower()

        def err(message, name=member.filename):
            errors.append({"row": name, "column": _("照片"), "message": str(message)})

        if suffix not in PHOTO_SIGNATURES:
            err(_("只接受 .jpg / .png 照片"))
            continue
        if member.file_size > PHOTO_MAX_MB * 1024 * 1024:
            err(_("照片超过%(max)dMB") % {"max": PHOTO_MAX_MB})
            continue
        content = archive.read(member)
        if not content.startswith(PHOTO_SIGNATURES[suffix]):
            err(_("文件内容不是%(ext)s图片") % {"ext": suffix.lstrip(".").upper()})
            continue
        result = results.get(stem)
        if result is None:
            err(_("没有证件号码为 %(id)s 的评价结果（文件名应为证件号码）") % {"id": stem})
            continue
        if any(True for _c in result.certificates.all()):
            err(_("已发证，照片已随证书冻结，不能更换"))
            continue
        staged.append((result, content, suffix))
    if errors:
        return 0, errors
    with transaction.atomic():
        for result, content, suffix in staged:
            if result.photo:
                result.photo.delete(save=False)
            result.photo.save(f"{result.pk}{suffix}", ContentFile(content), save=True)
        audit.record(actor=user, action="certificates.import_photos", obj=None, role=Role.UNIVERSITY_STAFF,
                     changes={"photos": len(staged)})
    return len(staged), []
