"""Files as registrars have them, written for the import tests: dBase (the 学信网 layout, GBK), files saved
by LibreOffice (``soffice --headless --convert-to``), zip bombs generated small on disk."""

from __future__ import annotations

import csv
import datetime
import io
import os
import shutil
import struct
import subprocess
import tempfile
import zipfile
from pathlib import Path

XUEXIN_FIELDS = [  # (name, type, length): the 学信网 学籍/毕业生 layout
    ("KSH", "C", 14), ("XH", "C", 20), ("XM", "C", 30), ("XB", "C", 2), ("CSRQ", "D", 8), ("SFZH", "C", 18),
    ("ZYDM", "C", 10), ("ZYMC", "C", 60), ("CC", "C", 20), ("XZ", "C", 4), ("XXXS", "C", 20), ("RXRQ", "D", 8),
    ("YJBYRQ", "D", 8), ("BJYJL", "C", 10), ("ZSBH", "C", 20), ("FY", "C", 40), ("BH", "C", 20),
]


def dbf_bytes(fields, records, *, encoding="gbk") -> bytes:
    """A dBase III file (version 0x03, language driver 0x4D = GBK) with C, D and N fields."""
    header_length = 32 + 32 * len(fields) + 1
    record_length = 1 + sum(length for _n, _t, length in fields)
    today = datetime.date.today()
    out = io.BytesIO()
    out.write(struct.pack("<BBBBIHH20x", 0x03, today.year - 1900, today.month, today.day, len(records),
                          header_length, record_length))
    out.seek(29)
    out.write(b"\x4d")
    out.seek(32)
    for name, kind, length in fields:
        out.write(struct.pack("<11sc4xBB14x", name.encode("ascii"), kind.encode("ascii"), length, 0))
    out.write(b"\x0d")
    for record in records:
        out.write(b" ")
        for (name, kind, length), value in zip(fields, record, strict=True):
            if kind == "D":
                raw = (value.strftime("%Y%m%d") if value else "").encode("ascii")
            else:
                raw = str(value).encode(encoding)
            if len(raw) > length:
                raise ValueError(f"{name}: {value!r} is longer than {length} bytes")
            out.write(raw.rjust(length) if kind == "N" else raw.ljust(length))
    out.write(b"\x1a")
    return out.getvalue()


def csv_text(headers, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue()


def soffice_convert(text: str, fmt: str, *, text_columns: int | None = None) -> bytes:
    """A UTF-8 CSV converted by LibreOffice to ``fmt`` (xlsx or xls), as a registrar's save would be.

    With ``text_columns``, columns 1…N are imported as text (what the template asks for: the ID column set to
    text); without, LibreOffice guesses, and an 18-digit ID becomes a number — as in a default save.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (Debian package libreoffice-calc-nogui) is needed: `make test` installs it"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "registrar.csv"
        source.write_text(text, encoding="utf-8")
        columns = "/".join(f"{i}/2" for i in range(1, (text_columns or 0) + 1)) or "1/1"
        filter_name = {"xlsx": "Calc MS Excel 2007 XML", "xls": "MS Excel 97"}[fmt]
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
             f"--infilter=CSV:44,34,76,1,{columns}", "--convert-to", f"{fmt}:{filter_name}", "--outdir", tmp,
             str(source)],
            check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": tmp})
        return (Path(tmp) / f"registrar.{fmt}").read_bytes()


def soffice_resave(data: bytes, source_ext: str, fmt: str) -> bytes:
    """A workbook (``source_ext``: xlsx) saved again by LibreOffice as ``fmt`` (xls): hidden sheets, number formats
    and formulas kept, as a registrar's "另存为 Excel 97-2003" keeps them."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (Debian package libreoffice-calc-nogui) is needed: `make test` installs it"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"registrar.{source_ext}"
        source.write_bytes(data)
        filter_name = {"xlsx": "Calc MS Excel 2007 XML", "xls": "MS Excel 97"}[fmt]
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore", "--convert-to",
             f"{fmt}:{filter_name}", "--outdir", f"{tmp}/out", str(source)],
            check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": tmp})
        return (Path(tmp) / "out" / f"registrar.{fmt}").read_bytes()


def shared_strings_bomb_xlsx(entries: int) -> bytes:
    """A well-formed XLSX of one cell whose shared-string table holds ``entries`` tiny strings (a few hundred KB on
    disk; openpyxl would load every one)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0"?><worksheet><dimension ref="A1"/>'
                         '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>')
        with archive.open("xl/sharedStrings.xml", "w") as strings:
            strings.write(b'<?xml version="1.0"?><sst>')
            for _ in range(entries // 1000):
                strings.write(b"<si><t>ab</t></si>" * 1000)
            strings.write(b"</sst>")
    return out.getvalue()


def zip_bomb_xlsx(inflated_mb: int) -> bytes:
    """An XLSX-shaped ZIP whose sheet inflates to ``inflated_mb`` MB of blanks (a few KB on disk)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        chunk = b" " * (1024 * 1024)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet><sheetData>')
            for _ in range(inflated_mb):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def many_members_zip(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(count):
            archive.writestr(f"xl/media/{i}.xml", "<x/>")
    return out.getvalue()
