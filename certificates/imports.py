"""Importing assessment results from CSV or XLSX: preview (dry run) with every error as row, column and a
Chinese message; confirm imports all or nothing; the same file twice changes nothing the second time.

CSV in UTF-8 (with or without BOM) or GBK/GB18030 is recognised. Chinese headers as in the template, English
aliases accepted.
"""

import csv
import hashlib
import io
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from portal import audit, identifiers
from portal.archives import ArchiveError, ZipLimits, check_zip
from portal.models import Occupation, Role

from .filing import filing_of
from .models import AssessmentResult, Exemption, ResultImport
from .services import check_result

# key, Chinese header (as in the template), English alias, required
COLUMNS = [
    ("name", "姓名", "name", True),
    ("gender", "性别", "gender", True),
    ("id_number", "证件号码", "id_number", True),
    ("student_number", "学号", "student_number", False),
    ("occupation_code", "职业编码", "occupation_code", True),
    ("job_type", "工种/职业方向", "job_type", False),
    ("level", "职业技能等级", "level", True),
    ("exam_date", "考核日期", "exam_date", True),
    ("theory_score", "理论知识成绩", "theory_score", False),
    ("practical_score", "操作技能成绩", "practical_score", False),
    ("pass_mark", "合格分数线", "pass_mark", False),
    ("exemption", "1+X免试科目", "exemption", False),
    ("exemption_certificate", "1+X证书编号", "exemption_certificate", False),
]
HEADER_OF = {key: zh for key, zh, _en, _req in COLUMNS}
ALIASES = {**{zh: key for key, zh, _en, _r in COLUMNS}, **{en: key for key, _zh, en, _r in COLUMNS},
           "身份证号": "id_number", "公民身份号码": "id_number", "工种": "job_type", "等级": "level"}
LEVELS = {"3": 3, "4": 4, "5": 5, "三级/高级工": 3, "四级/中级工": 4, "五级/初级工": 5, "三级": 3, "四级": 4,
          "五级": 5, "高级工": 3, "中级工": 4, "初级工": 5}
GENDERS = {"男": "M", "女": "F", "M": "M", "F": "F"}
EXEMPTIONS = {"": "", "无": "", "理论知识": Exemption.THEORY, "免试理论知识": Exemption.THEORY,
              "操作技能": Exemption.PRACTICAL, "免试操作技能": Exemption.PRACTICAL,
              "theory": Exemption.THEORY, "practical": Exemption.PRACTICAL}
COMPARED = ("name", "gender", "student_number", "job_type", "exam_date", "theory_score", "practical_score",
            "pass_mark", "exemption", "exemption_certificate")


class ImportFileError(Exception):
    pass


def template_rows():
    header = [zh for _k, zh, _e, _r in COLUMNS]
    example = ["张明", "男", "340504199801010017", "2022010101", "6-31-01-03", "维修电工", "三级/高级工",
               "2026-06-20", "78", "85", "60", "", ""]
    return header, example


def read_table(data, filename):
    """[(row number, {header: text})] from CSV or XLSX bytes."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # a broken or disguised file
            raise ImportFileError(_("无法读取XLSX文件，请使用模板另存为.xlsx。")) from exc
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError(_("无法识别文件编码，请另存为UTF-8或GBK编码的CSV。"))
        rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if any(str(c).strip() for c in r)]
    if not rows:
        raise ImportFileError(_("文件为空。"))
    header = [str(c).strip() for c in rows[0]]
    keys = [ALIASES.get(h) for h in header]
    missing = [HEADER_OF[k] for k, _zh, _en, required in COLUMNS if required and k not in keys]
    if missing:
        raise ImportFileError(_("缺少列：%(cols)s。请下载模板核对表头。") % {"cols": "、".join(missing)})
    table = []
    for number, row in enumerate(rows[1:], start=2):
        table.append((number, {k: str(row[i]).strip() if i < len(row) and row[i] is not None else ""
                               for i, k in enumerate(keys) if k}))
    return table


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _decimal(text):
    if text == "":
        return None
    value = Decimal(text)
    if not (0 <= value <= 100):
        raise InvalidOperation
    return value.quantize(Decimal("0.1"))


def parse_rows(table, institution):
    """Validates every row; returns (rows as JSON-able dicts, errors [{row, column, message}])."""
    filing = filing_of(institution)
    if filing is None:
        return [], [{"row": 0, "column": "", "message": _("本单位尚未备案为职业技能等级评价机构，不能导入评价结果。")}]
    occupations = {o.code: o for o in Occupation.objects.filter(code__in={r.get("occupation_code") for _n, r in table})}
    rows, errors, seen = [], [], {}
    for number, raw in table:
        row_errors = []

        def err(key, message, number=number, row_errors=row_errors):
            row_errors.append({"row": number, "column": HEADER_OF[key], "message": str(message)})

        item = {"row": number}
        for key in ("name", "gender", "id_number", "occupation_code", "level", "exam_date"):
            if not raw.get(key):
                err(key, _("不能为空"))
        item["name"] = raw.get("name", "")
        item["student_number"] = raw.get("student_number", "")
        item["job_type"] = raw.get("job_type", "")
        item["exemption_certificate"] = raw.get("exemption_certificate", "")
        if raw.get("gender"):
            item["gender"] = GENDERS.get(raw["gender"])
            if not item["gender"]:
                err("gender", _("应为“男”或“女”"))
        if raw.get("id_number"):
            ric = identifiers.check_ric(raw["id_number"])
            if ric.error:
                err("id_number", ric.error)
            item["id_number"] = ric.number
        occupation = occupations.get(raw.get("occupation_code", ""))
        if raw.get("occupation_code") and occupation is None:
            err("occupation_code", _("职业编码“%(code)s”不在2022年版职业分类大典中") % {"code": raw["occupation_code"]})
        if raw.get("level"):
            item["level"] = LEVELS.get(raw["level"])
            if item["level"] is None:
                err("level", _("应为三级/高级工、四级/中级工或五级/初级工（本试点不认定二级及以上）"))
        if raw.get("exam_date"):
            try:
                item["exam_date"] = date.fromisoformat(raw["exam_date"].replace("/", "-")[:10]).isoformat()
            except ValueError:
                err("exam_date", _("日期格式应为 2026-06-20"))
        for key in ("theory_score", "practical_score", "pass_mark"):
            try:
                value = _decimal(raw.get(key, ""))
                item[key] = str(value) if value is not None else None
            except (InvalidOperation, ValueError):
                err(key, _("应为0到100之间的数字"))
        if item.get("pass_mark") is None:
            item["pass_mark"] = "60.0"
        exemption = EXEMPTIONS.get(raw.get("exemption", ""))
        if exemption is None:
            err("exemption", _("应为空、“理论知识”或“操作技能”"))
        item["exemption"] = exemption or ""
        if not row_errors and occupation is not None:
            item["occupation_id"] = occupation.pk
            probe = AssessmentResult(institution=institution, occupation=occupation, level=item["level"],
                                     job_type=item["job_type"], exemption=item["exemption"],
                                     exemption_certificate=item["exemption_certificate"],
                                     theory_score=_decimal(item["theory_score"] or ""),
                                     practical_score=_decimal(item["practical_score"] or ""))
            column_of = {"occupation": "occupation_code", "level": "level", "job_type": "job_type",
                         "exemption_certificate": "exemption_certificate", "theory_score": "theory_score",
                         "practical_score": "practical_score", "__all__": "name"}
            for field, message in check_result(probe, filing).items():
                err(column_of.get(field, "name"), message)
            key = (item["id_number"], occupation.pk, item["level"])
            if key in seen:
                err("id_number", _("与第%(row)d行重复（同一考生、职业和等级）") % {"row": seen[key]})
            seen[key] = number
        errors.extend(row_errors)
        rows.append(item)
    return rows, errors


def _existing(institution, rows):
    existing = {}
    for result in AssessmentResult.objects.filter(institution=institution,
                                                  id_number__in={r["id_number"] for r in rows}):
        existing[(result.id_number, result.occupation_id, result.level)] = result
    return existing


def _differs(result, row):
    for key in COMPARED:
        current = getattr(result, key)
        if key == "exam_date":
            current = current.isoformat()
        elif key in ("theory_score", "practical_score", "pass_mark"):
            current = str(current.quantize(Decimal("0.1"))) if current is not None else None
        if current != row[key]:
            return True
    return False


def preview(*, institution, user, data, filename):
    """The dry run: parses and validates, counts new/updated/unchanged, stores nothing but the preview."""
    try:
        table = read_table(data, filename)
        rows, errors = parse_rows(table, institution)
    except ImportFileError as exc:
        rows, errors = [], [{"row": 0, "column": "", "message": str(exc)}]
    new = updated = unchanged = 0
    if not errors:
        existing = _existing(institution, rows)
        for row in rows:
            result = existing.get((row["id_number"], row["occupation_id"], row["level"]))
            if result is None:
                new += 1
            elif not _differs(result, row):
                unchanged += 1
            elif result.certificates.exists():
                errors.append({"row": row["row"], "column": HEADER_OF["id_number"],
                               "message": _("该考生此职业和等级已发证，结果不能再修改")})
            else:
                updated += 1
    return ResultImport.objects.create(
        institution=institution, uploaded_by=user, original_name=filename[:200],
        sha256=hashlib.sha256(data).hexdigest(), rows=rows if not errors else [], errors=errors[:1000],
        new=new, updated=updated, unchanged=unchanged,
        status=ResultImport.Status.INVALID if errors else ResultImport.Status.PREVIEWED)


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


@transaction.atomic
def confirm(batch, *, user):
    """Imports every row of a clean preview, or nothing. Returns (new, updated, unchanged)."""
    batch = ResultImport.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ResultImport.Status.PREVIEWED:
        raise ImportFileError(_("该文件已导入或有错误，不能再次确认。"))
    filing = filing_of(batch.institution)
    existing = _existing(batch.institution, batch.rows)
    counts = [0, 0, 0]
    for row in batch.rows:
        result = existing.get((row["id_number"], row["occupation_id"], row["level"]))
        if result is not None and not _differs(result, row):
            counts[2] += 1
            continue
        if result is not None and result.certificates.exists():
            raise ImportFileError(_("第%(row)d行：该考生已发证，结果不能再修改。") % {"row": row["row"]})
        if result is None:
            result = AssessmentResult(institution=batch.institution, recorded_by=user,
                                      id_number=row["id_number"], occupation_id=row["occupation_id"],
                                      level=row["level"])
            counts[0] += 1
        else:
            counts[1] += 1
        for key in COMPARED:
            value = row[key]
            if key in ("theory_score", "practical_score", "pass_mark") and value is not None:
                value = Decimal(value)
            elif key == "exam_date":
                value = date.fromisoformat(value)
            setattr(result, key, value)
        result.institution_code = filing.code
        result.save()
    ResultImport.objects.filter(pk=batch.pk).update(status=ResultImport.Status.IMPORTED, new=counts[0],
                                                    updated=counts[1], unchanged=counts[2])
    audit.record(actor=user, action="certificates.import_results", obj=batch, role=Role.UNIVERSITY_STAFF,
                 changes={"new": counts[0], "updated": counts[1], "unchanged": counts[2]})
    return tuple(counts)
