"""Issue 12 item 3 — blank data is unknown, and unknown is not met.

附件2 一(六) 基本条件：“1.思想政治条件……2.考核要求。学校应制定学生年度考核有关条件……申请人日常综合表现考核达到良好以上……
3.身体条件。具备从事工程技术工作的身体条件。4.继续教育要求。……学生完成规定的学时要求。”
附件2 一(三)、(四)：评审范围“适用于……试点的学校，以及相关试点专业”；评审对象为“试点的学校有关试点专业的毕业生”。

Each general condition is a fact the school states for each graduate. A blank column, a missing key in the
engine's contract or a record made without it is unknown: the verdict says "未提供：…" and the graduate may not be
evaluated until the school records it. A transcript without the 是否试点专业 column does not make everyone a
non-pilot major: the value is derived from the majors the school is authorised for, and the preview says so.

These tests fail on the code before this change (commit 53e2aa0): there, a blank 思想政治/身体条件/继续教育 cell
was imported as met and a blank 年度综合考核 as 良好, a record or contract profile without them defaulted to met,
and a missing 是否试点专业 column made every row a non-pilot major without a word.
"""

import random

import pytest

from evaluation.demo import make_ric
from evaluation.models import Graduate, ImportBatch
from evaluation.profiles import graduate_profile
from evaluation.rules import Profile, evaluate
from tests.evaluation.test_import import HEADERS, csv_file, upload
from tests.track_a import factories as ta

UNKNOWN_ALL = "未提供：思想政治条件、年度综合考核、身体条件、继续教育（公需课）学时（附件2 一(六)：学校记录前不能参评）"
EMPLOYED = {"in_province": True, "tripartite_agreement": True, "on_duty": True}
_rng = random.Random(1212)  # our own: the import tests' generator must not be advanced from here


def good_row(number, **overrides):
    """A complete transcript row (as tests/evaluation/test_import.py writes them), with our own ID numbers."""
    row = {
        "院校名称": "", "学号": number, "姓名": "王小明", "性别": "男", "身份证号": make_ric(_rng, male=True),
        "毕业年份": "2025", "学历层次": "本科", "专业": "车辆工程", "是否试点专业": "是", "是否取得毕业证": "是",
        "毕业证书编号": "103601202500001", "是否取得学位证": "是", "学位证书编号": "1036042025000001",
        "企业实践累计月数": "6", "专业排名百分比": "25.5", "毕业设计成绩": "良好", "全国计算机等级": "2",
        "思想政治条件": "合格", "年度综合考核": "良好", "身体条件": "合格", "继续教育学时": "已完成",
        "就业单位": "马鞍山钢铁股份有限公司", "是否省内就业": "是", "是否签订三方协议": "是", "是否已到岗": "是",
        "到岗日期": "2025-07-15",
    }
    row.update(overrides)
    return row


def test_a_contract_profile_without_general_conditions_may_not_apply():
    profile = Profile.from_dict({"id": "x", "degree": "phd", "has_diploma": True, "has_degree": True,
                                 "practice_months": 0, "employment": EMPLOYED})
    verdict = evaluate(profile)
    assert verdict.level == "engineer"  # the level is still computed …
    assert verdict.may_apply is False  # … but unknown general conditions block evaluation
    assert verdict.blocking == (UNKNOWN_ALL,)


def test_each_missing_key_is_named():
    profile = Profile.from_dict({"id": "x", "degree": "phd", "has_diploma": True, "has_degree": True,
                                 "practice_months": 0, "employment": EMPLOYED,
                                 "general": {"conduct_ok": True, "assessment": "good"}})
    assert evaluate(profile).blocking == ("未提供：身体条件、继续教育（公需课）学时（附件2 一(六)：学校记录前不能参评）",)


def test_a_record_made_without_them_is_unknown(world):
    g = Graduate.objects.create(institution=world.inst, graduation_year=2025, student_number="U0001", name="王未知",
                                gender="M", id_number="340504200301011230", degree_level="phd", major="车辆工程",
                                pilot_major=True, has_diploma=True, has_degree=True, employer="马钢",
                                employed_in_anhui=True, tripartite_agreement=True, on_duty=True)
    g.refresh_from_db()
    assert (g.conduct_ok, g.assessment, g.physically_fit, g.continuing_education_done) == (None, "", None, None)
    verdict = evaluate(graduate_profile(g))
    assert verdict.may_apply is False and verdict.blocking == (UNKNOWN_ALL,)


@pytest.mark.parametrize("fast", [False, True], ids=["standard", "fast"])
def test_blank_columns_are_imported_as_unknown_and_block(world, settings, fast):
    settings.EVALUATION_FAST_IMPORT_MIN_ROWS = 0 if fast else 10**9
    blank = good_row("2021000091", 思想政治条件="", 年度综合考核="", 身体条件="", 继续教育学时="")
    stated = good_row("2021000092")
    batch = upload(world.staff, csv_file([blank, stated]))
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors
    from evaluation.services import imports

    imports.confirm_import(batch=batch, actor=world.staff)
    g = Graduate.objects.get(student_number="2021000091")
    assert (g.conduct_ok, g.assessment, g.physically_fit, g.continuing_education_done) == (None, "", None, None)
    assert evaluate(graduate_profile(g)).blocking == (UNKNOWN_ALL,)
    ok = Graduate.objects.get(student_number="2021000092")
    assert (ok.conduct_ok, ok.assessment, ok.physically_fit, ok.continuing_education_done) == (True, "good", True,
                                                                                                  True)
    assert evaluate(graduate_profile(ok)).may_apply is True
    # Re-importing the stated values over the blank ones is a change, not "unchanged".
    batch = upload(world.staff, csv_file([good_row("2021000091"), stated]))
    assert (batch.updated, batch.unchanged) == (1, 1)


def test_a_missing_pilot_major_column_is_derived_from_the_authority_and_said(world):
    ta.authorised(world)  # 车辆工程 and 机械设计制造及其自动化 authorised
    headers = [h for h in HEADERS if h != "是否试点专业"]
    rows = [good_row("2021000093"), good_row("2021000094", 专业="工商管理")]
    batch = upload(world.staff, csv_file(rows, headers=headers))
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors
    notes = [message for column, message, *_lines in batch.warnings if column == "是否试点专业"]
    assert notes and "没有“是否试点专业”列" in notes[0] and "车辆工程" in notes[0]
    from evaluation.services import imports

    imports.confirm_import(batch=batch, actor=world.staff)
    assert Graduate.objects.get(student_number="2021000093").pilot_major is True
    assert Graduate.objects.get(student_number="2021000094").pilot_major is False


def test_without_an_authority_the_preview_says_nobody_is_a_pilot_major(world):
    headers = [h for h in HEADERS if h != "是否试点专业"]
    batch = upload(world.staff, csv_file([good_row("2021000095")], headers=headers))
    notes = [message for column, message, *_lines in batch.warnings if column == "是否试点专业"]
    assert notes and "尚无获授权的试点专业" in notes[0]
