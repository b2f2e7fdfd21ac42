"""This year's rounds at the other stages (``manage.py load_demo``, after ``evaluation.rounds.demo``), so that every
stage of a round can be seen at once, each built through the same services the pages call, with past dates where a
step must lie behind (like ``demo.load_voting_round``). The schools are those ``applications.track_a.demo``
authorised in 合肥 (``STAGE_SCHOOLS``), each with its committee of the pool's seven experts:

- 合肥工业大学 (``univ_hfut``): 申报和资格审查中 — applications submitted three days ago, half of them passed
  资格审查, the rest waiting for it;
- 安徽建筑大学 (``univ_ahjzu``): 评审对象公示中 — its candidates' notice began on the last working day before today
  and runs five working days;
- 合肥学院 (``univ_hfuu``): 评审结果公示中 — its candidates' notice has elapsed, its committee met today (the members
  checked in and voted themselves, one short of two thirds on the second candidate; the chair ``pool_5`` closed
  the vote and signed the minutes), and the results notice runs from today.

Idempotent: a school that already has its round of the year is skipped. A step that can no longer end by
31 December (or a year the holiday calendar does not know) is reported and skipped.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from applications.track_a.demo import STAGE_SCHOOLS
from portal.models import Institution

from . import clock, services
from .demo import _meeting, applied, current_cohort, reviewed_candidates
from .models import EvaluationRound, RoundState
from .workdays import CalendarMissing, WorkCalendar

STAGES = {"合肥工业大学": RoundState.OPEN, "安徽建筑大学": RoundState.CANDIDATES_NOTICE,
          "合肥学院": RoundState.RESULTS_NOTICE}


def _open(institution, staff, today):
    opened = today - timedelta(days=3)
    current_cohort(institution, staff, today.year, n=30)  # enough records that several reach a level (both states shown)
    rnd = services.open_round(institution=institution, actor=staff, graduation_year=today.year, today=opened)
    apps = applied(rnd, staff, opened, reviewed=0)
    for app in apps[:len(apps) // 2]:
        services.review_application(application=app, actor=staff, decision="pass", today=opened)
    return rnd


def _candidates_notice(institution, staff, today):
    calendar = WorkCalendar()
    starts = today - timedelta(days=1)
    while not calendar.is_working_day(starts):
        starts -= timedelta(days=1)
    current_cohort(institution, staff, today.year)
    rnd = services.open_round(institution=institution, actor=staff, graduation_year=today.year,
                              today=starts - timedelta(days=3))
    applied(rnd, staff, starts - timedelta(days=3))
    return services.publish_candidates(round=rnd, actor=staff, starts_on=starts, today=starts,
                                       contact=f"{institution.name}人事处")


def _results_notice(institution, staff, today):
    rnd = reviewed_candidates(institution, staff, today)
    rnd = _meeting(rnd, staff, held_on=today, place=f"{institution.name}行政楼会议室")
    return services.publish_results(round=rnd, actor=staff, starts_on=today, today=today,
                                    contact=f"{institution.name}人事处")


BUILDERS = {RoundState.OPEN: _open, RoundState.CANDIDATES_NOTICE: _candidates_notice,
            RoundState.RESULTS_NOTICE: _results_notice}


def load_demo(stdout, *, today=None):
    today = today or clock.today()
    User = get_user_model()
    made = []
    for name, username, _clerk, _chair in STAGE_SCHOOLS:
        institution = Institution.objects.get(name=name)
        if EvaluationRound.objects.filter(institution=institution, graduation_year=today.year).exists():
            continue
        staff = User.objects.get(username=username)
        try:
            with transaction.atomic():
                rnd = BUILDERS[STAGES[name]](institution, staff, today)
        except (ValidationError, CalendarMissing) as exc:  # e.g. too close to 31 December for the rest to follow
            stdout.write(f"  职称评审：{name}本年度评审未能建立（{exc.messages[0]}）")
            continue
        stdout.write(f"  职称评审：{rnd.name} {rnd.get_state_display()}（{username}）")
        made.append(rnd)
    return made
