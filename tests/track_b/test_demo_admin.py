"""The demo data set (idempotent) and the read-only admin pages."""

from django.urls import reverse

from applications.track_b import codes
from applications.track_b.demo import load_demo as load_track_b
from applications.track_b.models import FilingApplication, FilingState, GeneratedDocument
from portal.demo import load_demo
from portal.models import ExpertProfile


class _Out:
    def __init__(self):
        self.lines = []

    def write(self, text):
        self.lines.append(text)


def test_demo_is_complete_and_idempotent(db, django_capture_on_commit_callbacks):
    load_demo()
    with django_capture_on_commit_callbacks(execute=True):
        load_track_b(_Out())
    counts = (FilingApplication.objects.count(), ExpertProfile.objects.count())
    filed = FilingApplication.objects.get(institution__name="安徽工业大学")
    assert filed.state == FilingState.FILED and codes.is_valid(filed.filing_code)
    assert filed.filed_occupations.count() == 3
    assert GeneratedDocument.objects.filter(application=filed, kind="receipt").exists()
    wuhu = FilingApplication.objects.get(institution__name="芜湖职业技术学院")
    assert wuhu.state == FilingState.SUBMITTED and wuhu.authority_city_id == "3402"
    assert ExpertProfile.objects.filter(user__username__in=["expert", "expert2"]).count() == 2
    load_demo()
    load_track_b(_Out())
    assert (FilingApplication.objects.count(), ExpertProfile.objects.count()) == counts


def test_admin_lists_are_read_only(world, login):
    client = login(world.admin)
    for name in ("admin:track_b_filingapplication_changelist", "admin:track_b_filingcodecounter_changelist",
                 "admin:track_b_entrustment_changelist", "admin:track_b_exemptionrequest_changelist"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("admin:track_b_filingapplication_add")).status_code == 403
