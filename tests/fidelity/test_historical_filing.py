"""Historical filings (issue #12 item 4, its last sentence): "Historical filings made outside the portal can be
registered only by the filing office, with the receipt number and a scan, and are marked as such."

通知 三(二)1: "相关高校经评估论证并正式备案后，可向本校相关专业应届毕业生开展职业技能等级认定"; 三(二)2(3): the filing
office issues a 备案回执 whose number follows the province's coding rule, first character "Y". A filing made before
the portal existed is registered by the office derived for the school (三(二)2(1)), from its receipt — number checked
(Y + 4 + 34 + 6 digits), scan uploaded (PDF or image, size-capped, checked by content) — logged as a transition and
marked 平台外历史备案. Certificates may rest on it (``certificates.filing.filing_of``).

This module fails on the code before this change: there was no way to register such a filing except by writing
rows in the admin (``historical`` and ``receipt_scan`` existed, nothing set them or checked them), and the province's
code counter would later hand out a number a registered receipt already holds.
"""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from applications.track_b import codes
from applications.track_b.models import FilingApplication, FilingState
from applications.workflow import history
from certificates.filing import filing_of
from portal.models import Notification, Role
from tests.conftest import make_institution, make_user
from tests.track_b.factories import ensure_reference_data, occ

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NUMBER = "Y000034000007"


def _post(institution, **overrides):
    data = {"institution": institution.pk, "receipt_number": NUMBER, "filed_on": "2022-06-01",
            "unit_name": institution.name,
            "receipt_scan": SimpleUploadedFile("receipt.pdf", PDF, "application/pdf"),
            "occ-TOTAL_FORMS": "3", "occ-INITIAL_FORMS": "0", "occ-MIN_NUM_FORMS": "0", "occ-MAX_NUM_FORMS": "20",
            "occ-0-occupation": occ("4-12-01-01").pk, "occ-0-level": "3", "occ-0-job_types": "",
            "occ-1-occupation": occ("6-31-01-03").pk, "occ-1-level": "4", "occ-1-job_types": ""}
    data.update(overrides)
    return data


def _register(client, user, institution, **overrides):
    client.force_login(user)
    return client.post(reverse("track_b:historical_register"), _post(institution, **overrides))


def test_the_filing_office_registers_it_from_the_receipt_and_it_is_marked(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_reference_data()
    client.force_login(world.city_hrss)
    page = client.get(reverse("track_b:historical_register")).content.decode()
    assert world.inst.name in page and world.other_inst.name not in page  # only schools filed with this office
    response = _register(client, world.city_hrss, world.inst, receipt_number=NUMBER.lower())
    assert response.status_code == 302
    app = FilingApplication.objects.get()
    assert app.state == FilingState.FILED and app.historical and app.filing_code == NUMBER
    assert app.receipt_scan and app.receipt_scan.read() == PDF
    assert sorted(app.filed_occupations.values_list("level", flat=True)) == [3, 4]
    log = history(app).get()
    assert (log.transition, log.role, log.actor) == ("register_historical", Role.CITY_HRSS, world.city_hrss)
    assert Notification.objects.filter(recipient=world.staff).exists()
    filing = filing_of(world.inst)
    assert filing.historical and filing.code == NUMBER and filing.filed_on == date(2022, 6, 1)
    client.force_login(world.staff)
    page = client.get(reverse("track_b:detail", args=[app.pk])).content.decode()
    assert "平台外历史备案" in page
    assert client.get(reverse("track_b:historical_receipt", args=[app.pk])).status_code == 200
    client.force_login(world.city_hrss)
    assert "平台外历史备案" in client.get(reverse("track_b:detail", args=[app.pk])).content.decode()
    for other in (world.other_staff, world.other_city_hrss, world.student):
        client.force_login(other)
        assert client.get(reverse("track_b:historical_receipt", args=[app.pk])).status_code == 404
    # registered once: the school cannot be registered again
    response = _register(client, world.city_hrss, world.inst, receipt_number="Y000034000008")
    assert "不能重复登记" in response.content.decode() and FilingApplication.objects.count() == 1


def test_receipt_number_date_and_scan_are_checked(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_reference_data()
    bad = [
        ({"receipt_number": "S000034000007"}, "首位为“Y”"),
        ({"receipt_number": "Y000035000007"}, "首位为“Y”"),  # not Anhui's
        ({"receipt_number": "Y000034000000"}, "首位为“Y”"),
        ({"receipt_number": "Y00003400007"}, "13"),
        ({"filed_on": (date.today() + timedelta(days=2)).isoformat()}, "不能晚于今天"),
        ({"receipt_scan": SimpleUploadedFile("receipt.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")}, "内容"),
        ({"receipt_scan": SimpleUploadedFile("receipt.docx", b"PK\x03\x04", "application/zip")}, "类型不支持"),
        ({"occ-0-occupation": "", "occ-1-occupation": ""}, "至少登记一个"),
        ({"occ-1-occupation": occ("4-12-01-01").pk}, "重复登记"),
    ]
    for overrides, message in bad:
        response = _register(client, world.city_hrss, world.inst, **overrides)
        assert response.status_code == 200, overrides
        assert message in response.content.decode(), (overrides, message)
    assert not FilingApplication.objects.exists()
    # a number the province already gave (here: to another school's filing) is refused
    other = make_institution("合肥某职业学院", city="3405", affiliation="municipal", uscc_body="12340500485470111")
    assert _register(client, world.city_hrss, other).status_code == 302
    response = _register(client, world.city_hrss, world.inst)
    assert "不能重复登记" in response.content.decode() and FilingApplication.objects.count() == 1


def test_only_the_derived_filing_office_may_register(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_reference_data()
    for user in (world.other_city_hrss, world.prov_hrss):  # not this school's filing office: not a choice
        response = _register(client, user, world.inst)
        assert response.status_code == 200 and "有效的选项" in response.content.decode(), user.username
    for user in (world.staff, world.prov_edu, world.expert, world.student, world.admin):
        assert _register(client, user, world.inst).status_code == 403, user.username
    assert not FilingApplication.objects.exists()
    # a 在肥省属 school files with the province: the provincial HRSS registers it, Hefei's city office may not
    hefei = make_institution("合肥某省属高校", city="3401", affiliation="provincial", uscc_body="12340100485470122")
    hefei_office = make_user("hefei_hrss", Role.CITY_HRSS, city_id="3401")
    assert "有效的选项" in _register(client, hefei_office, hefei).content.decode()
    assert _register(client, world.prov_hrss, hefei).status_code == 302
    assert FilingApplication.objects.get().authority_role == Role.PROVINCIAL_HRSS


def test_the_province_never_hands_out_a_registered_number_again(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_reference_data()
    assert _register(client, world.city_hrss, world.inst, receipt_number="Y000034000001").status_code == 302
    with transaction.atomic():
        assert codes.allocate() == "Y000034000002"
