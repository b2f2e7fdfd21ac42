"""Every page renders in every state it can be in, for the people who see it."""

import pytest
from django.urls import reverse

from evaluation.rounds.models import NoticeEntry, Objection, PublicNotice, RoundState, TitleApplication
from tests.rounds import factories as f

STATES = [RoundState.OPEN, RoundState.CANDIDATES_NOTICE, RoundState.AWAITING_SESSION, RoundState.VOTED,
          RoundState.RESULTS_NOTICE, RoundState.FINALISED]


@pytest.mark.parametrize("state", STATES)
def test_round_pages_render(state, world, client, clock):
    clock.set(f.SESSION)
    rnd = f.round_in(world, state)
    app = TitleApplication.objects.filter(round=rnd).first()
    client.force_login(world.staff)
    for name, args in [("rounds:index", []), ("rounds:detail", [rnd.pk]), ("rounds:session", [rnd.pk]),
                       ("rounds:objections", [rnd.pk]), ("rounds:report", [rnd.pk]), ("rounds:decisions", [rnd.pk]),
                       ("rounds:application", [app.pk]), ("rounds:public_index", []), ("home", [])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, (name, response.status_code)
    assert client.get(reverse("rounds:report_xlsx", args=[rnd.pk])).status_code == 200
    for notice in PublicNotice.objects.filter(round=rnd):
        client.force_login(world.student)  # a member of the school (单位内部公示): still masked names only
        body = client.get(reverse("rounds:public_notice", args=[notice.pk])).content.decode()
        entry = NoticeEntry.objects.filter(notice=notice).first()
        assert entry.masked_name in body and entry.application.graduate.name not in body
        client.force_login(world.staff)


def test_minutes_pdf(world, client):
    rnd = f.round_in(world, RoundState.VOTED)
    client.force_login(world.city_hrss)
    response = client.get(reverse("rounds:minutes", args=[f.meeting_of(rnd).pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_objection_receipt(world, client, clock):
    clock.set(f.CANDIDATES_FROM)
    rnd = f.round_in(world, RoundState.CANDIDATES_NOTICE)
    notice = PublicNotice.objects.get(round=rnd)
    client.force_login(world.student)  # 单位内部公示: a member of the school objects
    response = client.post(reverse("rounds:objection", args=[notice.pk]), {"content": "材料存疑，请核实竞赛获奖证书。"})
    objection = Objection.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{objection.receipt}/")
    assert client.get(response["Location"]).status_code == 200
