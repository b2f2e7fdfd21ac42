"""The school's standard reaches HRSS inside the committee's filing, and a round uses only that version
(issue #12 item 7).

附件2 二(三): "组建评委会实行核准备案制度。备案材料应包括拟评审范围内专业技术人才队伍状况、评审办法、评审标准、评审专家等材料。"
正文 三(一)2(4): "属地市人社局授予试点学校产业工程师中初级职称自主评审权，并指导学校按照有关基本条件和要求，制定……工程技术
人员自主评审标准条件。"

So: the city HRSS where the school is sees each version (draft) of the standard and can comment; the committee's
filing carries the exact version; a newer version is filed as an adjustment of the committee (our decision) and
takes effect only when the filing office consents; a round is opened with, and evaluated against, the version of
its committee's current filing — never simply the latest one the school published.

This module fails on the code before this change: there a round took the school's latest published version
(``evaluation.selectors.current_version``), whether or not any HRSS office had it on file; a filing carried no
version; and the city HRSS could read a standard but had no way to comment on it.
"""

from django.urls import reverse

from applications.track_a import services as track_a
from evaluation.rounds import services as rounds
from evaluation.rules import DEFAULT_STANDARD
from evaluation.services.standards import publish_standard
from portal.models import Notification
from tests.rounds import factories as rf
from tests.track_a import factories as f

STRICTER = DEFAULT_STANDARD.with_path("1(3)", rank_percent_max=20.0).to_dict()


def test_a_round_uses_the_version_on_file_not_the_latest(world):
    committee = f.committee(world, "approved")
    filed = committee.standard_version
    assert filed is not None and filed.number == 1
    newer = publish_standard(institution=world.inst, data=STRICTER, actor=world.staff, note="工程师路径更严")
    rnd = rounds.open_round(institution=world.inst, actor=world.staff, graduation_year=2025, today=rf.OPENED)
    assert rnd.standard_version == filed != newer


def test_a_new_version_is_filed_as_an_adjustment_and_used_once_consented(world):
    committee = f.committee(world, "approved")
    newer = publish_standard(institution=world.inst, data=STRICTER, actor=world.staff, note="工程师路径更严")
    committee = track_a.file_adjustment(committee=committee, actor=world.staff, reason="报送新版评审标准条件",
                                        today=f.APPROVED_ON)
    filing = committee.filings.order_by("-number").first()
    assert filing.kind == "adjustment" and filing.standard_version == newer
    # pending: the version on file is still the old one
    assert track_a.committee_standard_version(committee).number == 1
    committee = track_a.review_committee(committee=committee, actor=world.prov_hrss, decision="approve")
    assert track_a.committee_standard_version(committee) == newer
    rnd = rounds.open_round(institution=world.inst, actor=world.staff, graduation_year=2025, today=rf.OPENED)
    assert rnd.standard_version == newer


def test_a_committee_cannot_be_filed_without_a_standard(world):
    committee = f.committee(world, "draft")
    problems = track_a.standard_problems(committee)
    assert problems and "评审标准" in problems[0]


def test_the_city_hrss_sees_each_draft_and_comments(world, login):
    version = publish_standard(institution=world.inst, data=DEFAULT_STANDARD.to_dict(), actor=world.staff)
    assert Notification.objects.filter(recipient=world.city_hrss, title__contains="自主评审标准条件第1版").exists()
    assert not Notification.objects.filter(recipient=world.other_city_hrss).exists()
    page = login(world.city_hrss).get(reverse("evaluation:standard_detail", args=[version.pk])).content.decode()
    assert 'data-testid="comment"' in page
    response = login(world.city_hrss).post(reverse("evaluation:standard_comment", args=[version.pk]),
                                           {"text": "建议明确企业实践时长的认定办法"})
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=world.staff, title__contains="指导意见").exists()
    page = login(world.staff).get(reverse("evaluation:standard_detail", args=[version.pk])).content.decode()
    assert "建议明确企业实践时长的认定办法" in page
    # another city's HRSS does not see it; the provincial HRSS reads but does not guide
    assert login(world.other_city_hrss).post(reverse("evaluation:standard_comment", args=[version.pk]),
                                             {"text": "x"}).status_code == 404
    assert login(world.prov_hrss).post(reverse("evaluation:standard_comment", args=[version.pk]),
                                       {"text": "x"}).status_code == 403
