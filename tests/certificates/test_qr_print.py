"""The printed QR code reads from a typical office scan (issue 17 item 4): each kind of certificate PDF,
rendered at 150 dpi with pdftoppm, decodes with zbar to exactly the text ``manage.py certificate_qr`` prints.

The symbol: error correction L (not boosted: version 15 for a certificate's ~480-character text), a 4-module
quiet zone, drawn as vector rectangles at 0.508 mm per module (3 device pixels at 150 dpi, 6 at 300).
"""

import io
import shutil
import subprocess
from datetime import date

import pytest
import zxingcpp
from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image

from certificates import keys, qr, services, tasks
from tests.certificates.conftest import ric

pytestmark = [
    pytest.mark.django_db,  # fixtures are requested by name at run time: reload reference data first
    pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
                       reason="poppler-utils / zbar-tools missing (make test installs them)"),
]


def _run(*args):
    return subprocess.run(args, check=True, capture_output=True).stdout


@pytest.fixture
def skill(make_result, filed, photo):
    result = make_result(name="欧阳明华", id_number=ric(1))
    result.photo.save("p.jpg", ContentFile(photo))
    return services.issue_from_result(result, issued_by=filed.staff, issue_date=date(2026, 7, 10), render=False)


@pytest.fixture
def title(filed):
    fields = services.title_fields(name="刘晓雯", gender="女", birth_date=date(2002, 6, 3), id_number=ric(2),
                                   employer="奇瑞汽车股份有限公司", major="车辆工程", qualification="助理工程师",
                                   committee="安徽工业大学工程系列中初级职称自主评审委员会",
                                   approval_no="安工大职评〔2025〕1号", obtained_on=date(2025, 12, 20),
                                   issuer=filed.inst)
    return services.issue_certificate(kind="title", frozen_fields=fields, issuer=filed.inst, source_key="t:qr",
                                      issued_by=filed.staff, issue_date=date(2025, 12, 28), render=False)


def _pdf(certificate, tmp_path):
    tasks.ensure_pdf(certificate)
    path = tmp_path / f"{certificate.number}.pdf"
    with certificate.pdf.open("rb") as handle:
        path.write_bytes(handle.read())
    return path


def _command_text(number):
    out = io.StringIO()
    call_command("certificate_qr", number, stdout=out)
    return out.getvalue().strip()


def _page(path, dpi):
    """The page rasterised as a scanner would at ``dpi`` (poppler, anti-aliased), as a PNG file."""
    root = path.with_name(f"{path.stem}-{dpi}dpi")
    _run("pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(path), str(root))
    return root.with_suffix(".png")


@pytest.mark.parametrize("kind", ["skill", "title"])
def test_qr_decodes_at_150_dpi_to_the_printed_text(kind, request, tmp_path):
    certificate = request.getfixturevalue(kind)
    path = _pdf(certificate, tmp_path)
    png = _page(path, 150)
    scanned = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True).stdout
    expected = _command_text(certificate.number)
    assert scanned.rstrip("\n") == expected
    assert expected == qr.qr_text(certificate)
    assert qr.verify_qr_text(expected, keys.public_key_set()).ok

    # The symbol as printed: EC level L, version 15, modules of 3 device pixels at 150 dpi (0.508 mm).
    found = zxingcpp.read_barcode(Image.open(png), formats=zxingcpp.BarcodeFormat.QRCode)
    assert found is not None and found.text == expected
    assert found.ec_level == "L" and found.extra["Version"] == "15"
    corners = found.position
    width_px = corners.top_right.x - corners.top_left.x + 1
    module_mm = width_px / 77 / 150 * 25.4
    assert 0.5 <= module_mm <= 0.53, module_mm

    # Drawn as vector rectangles: the only raster image on the page is the holder's photo (title: none).
    images = _run("pdfimages", "-list", str(path)).decode().splitlines()[2:]
    assert len(images) == (1 if kind == "skill" else 0), images


def test_symbol_is_not_boosted_and_has_its_quiet_zone(skill):
    text = qr.qr_text(skill)
    symbol = qr.qr_symbol(text)
    assert len(text) > 440 and symbol.version == 15  # L: version 15; M would need 17, boosting would raise it
    svg = qr.qr_svg(text)
    extent = symbol.size + 2 * qr.QR_BORDER
    assert f'viewBox="0 0 {extent} {extent}"' in svg and qr.QR_BORDER == 4
    assert f'width="{extent * qr.MODULE_MM:.3f}mm"' in svg and qr.MODULE_MM >= 0.5
    # No dark module inside the quiet zone: every rectangle starts at ≥ 4 and ends by size + 4.
    path = qr.qr_path(symbol)
    for part in path.split("M")[1:]:
        x, rest = part.split(" ", 1)
        y = int(rest.split("h", 1)[0])
        assert 4 <= int(x) < symbol.size + 4 and 4 <= y < symbol.size + 4


def test_symbol_matches_a_reference_decoder(skill):
    """The matrix drawn is the one the text encodes: rasterised at 4 px per module, zxing reads it back."""
    text = qr.qr_text(skill)
    symbol = qr.qr_symbol(text)
    extent = symbol.size + 8
    image = Image.new("L", (extent, extent), 255)
    for y, row in enumerate(symbol.rows):
        for x, dark in enumerate(row):
            if dark:
                image.putpixel((x + 4, y + 4), 0)
    image = image.resize((extent * 4, extent * 4), Image.NEAREST)
    assert zxingcpp.read_barcode(image).text == text
