"""factory-boy factories for graduates' records (used by the tests and the access matrix)."""

import random

import factory

from evaluation.demo import make_ric
from evaluation.models import Achievement, Graduate

_rng = random.Random(7)


class GraduateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Graduate

    graduation_year = 2025
    student_number = factory.Sequence(lambda n: f"T{n:07d}")
    name = factory.Sequence(lambda n: f"学生{n}")
    gender = "M"
    id_number = factory.LazyFunction(lambda: make_ric(_rng, male=True))
    degree_level = "bachelor"
    major = "车辆工程"
    pilot_major = True
    has_diploma = True
    has_degree = True
    practice_months = 3
    major_rank_percent = 40
    design_grade = "good"
    ncre_level = 1
    conduct_ok = True  # 附件2 一(六), stated by the school (blank would be unknown: not met)
    assessment = "good"
    physically_fit = True
    continuing_education_done = True
    employer = "马鞍山钢铁股份有限公司"
    employed_in_anhui = True
    tripartite_agreement = True
    on_duty = True


class AchievementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Achievement

    graduate = factory.SubFactory(GraduateFactory)
    kind = "competition"
    title = "校大学生机械创新设计竞赛"
    level = "school"
    rank = 1
