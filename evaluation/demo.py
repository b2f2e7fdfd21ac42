"""Demo data of the evaluation app (``manage.py load_demo``): 安徽工业大学's 2025 graduates of its pilot
majors, with achievements, a published school standard and stored verdicts — most reach 技术员, a few
助理工程师, one or two 工程师 (cf. DOMAIN §7: 马鞍山学院's first cohort, 1 / 13 / 199 of 277).

The demo account ``2021010101`` (张明) is his record's own account — the school generated the cohort's accounts
and activation codes, and he activated his — a record that reaches 技术员 by path 3 and is one month of practice
and one option short of 助理工程师: a good page for the what-if panel.
Built as a registrar builds it, through the same services: the cohort is a transcript file imported through
the import pipeline (upload → preview → confirm), achievements are added through ``records.add_achievement``
and the evaluation is started with ``cohort.start_run``. Idempotent: importing the same file again changes
nothing, achievements are added only to records without any, and a new evaluation is started only when
something changed (or the school's standard has a newer version).
"""

import csv
import io
import random
from datetime import date

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count

from evaluation import selectors
from evaluation.importing.columns import COLUMNS
from evaluation.importing.values import LEVEL_NAMES
from evaluation.models import (
    EvaluationRun,
    Graduate,
    ImportBatch,
    StandardVersion,
)
from evaluation.rules import DEFAULT_STANDARD
from evaluation.services import cohort, imports, records
from evaluation.services.accounts import activate_account, create_student_accounts
from evaluation.services.standards import publish_standard
from portal.demo import DEMO_PASSWORD
from portal.identifiers import ric_check_digit
from portal.models import Institution

INSTITUTION = "安徽工业大学"
YEAR = 2025
COHORT = 160
PLACES = ("340503", "340504", "340506", "340521", "340102", "340104", "340202", "341002", "341202", "340321")
MAJORS = (("车辆工程", True), ("机械设计制造及其自动化", True), ("电气工程及其自动化", True), ("冶金工程", True),
          ("智能制造工程", True), ("工商管理", False))
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉兰飞鹏辉浩宇轩然涵萱诺欣怡博文思雨晨阳"
EMPLOYERS = ("马鞍山钢铁股份有限公司", "奇瑞汽车股份有限公司", "安徽江淮汽车集团股份有限公司", "蔚来汽车科技（安徽）有限公司",
             "中国十七冶集团有限公司", "安徽海螺集团有限责任公司", "科大讯飞股份有限公司")
STUDENT_NUMBER = "2021010101"  # 张明: his account is named by it (the demo account 2021010101)
HEADERS = {c.key: c.header for c in COLUMNS}


def make_ric(rng, *, birth=None, male=True, place=None):
    """A 公民身份号码 with a right check digit whose sequence digit matches the gender.

    """
    place = place or rng.choice(PLACES)
    birth = birth or f"{rng.randint(2001, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    while True:
        prefix = f"{place}{birth}{rng.randint(0, 99):02d}"
        for digit in ("13579" if male else "02468"):
            body = prefix + digit
            return body + ric_check_digit(body)


def _pick(rng, weighted):
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def _record(rng, i):
    male = rng.random() < 0.65
    degree = _pick(rng, {"bachelor": 86, "master": 6, "junior_college": 8})
    major, pilot = MAJORS[i % len(MAJORS)]
    employed = rng.random() < 0.9
    return {
        "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else ""),
        "gender": "M" if male else "F",
        "id_number": make_ric(rng, male=male),
        "degree_level": degree,
        "major": major,
        "pilot_major": pilot,
        "has_diploma": rng.random() < 0.98,
        "diploma_number": f"1036012025{i:06d}",
        "has_degree": degree != "junior_college" and rng.random() < 0.96,
        "degree_number": f"1036042025{i:06d}" if degree != "junior_college" else "",
        "practice_months": _pick(rng, {0.5: 4, 1: 18, 2: 24, 3: 26, 4: 10, 6: 9, 12: 6, 14: 3}),
        "major_rank_percent": round(rng.uniform(1, 100), 1),
        "design_grade": _pick(rng, {"excellent": 10, "good": 38, "medium": 34, "pass": 16, "fail": 2}),
        "ncre_level": _pick(rng, {0: 40, 1: 14, 2: 38, 3: 7, 4: 1}),
        "assessment": _pick(rng, {"excellent": 20, "good": 72, "pass": 7, "fail": 1}),
        # 附件2 一(六), stated by the school; a few left blank show "未提供：…" (unknown is not met).
        "conduct_ok": True,
        "physically_fit": True,
        "continuing_education_done": None if i % 40 == 17 else True,
        "employer": rng.choice(EMPLOYERS) if employed else "",
        "employed_in_anhui": employed and rng.random() < 0.96,
        "tripartite_agreement": employed and rng.random() < 0.92,
        "on_duty": employed and rng.random() < 0.95,
        "duty_start_date": date(YEAR, 7, rng.randint(1, 31)) if employed else None,
    }


def achievement_specs(rng):
    """[(kind, fields)] of one graduate's achievements (added through ``records.add_achievement``)."""
    out = []
    for _ in range(_pick(rng, {0: 55, 1: 35, 2: 10})):
        level = _pick(rng, {"school": 60, "municipal": 8, "provincial": 27, "national": 5})
        out.append(("competition", {"level": level, "rank": rng.randint(1, 4),
                                    "title": rng.choice(["全国大学生机械创新设计大赛", "安徽省大学生电子设计竞赛",
                                                         "“挑战杯”大学生课外学术科技作品竞赛", "校大学生数学建模竞赛"])}))
    for _ in range(_pick(rng, {0: 30, 1: 65, 2: 5})):
        out.append(("skill", {"skill_level": _pick(rng, {5: 45, 4: 45, 3: 10}),
                              "occupation_code": rng.choice(["6-31-01-03", "6-18-01-01", "6-22-02-00"]),
                              "one_plus_x": rng.random() < 0.3, "title": "职业技能等级证书"}))
    for _ in range(_pick(rng, {0: 90, 1: 10})):
        kind = _pick(rng, {"invention": 15, "utility_model": 55, "software_copyright": 30})
        out.append(("patent", {"patent_type": kind, "rank": rng.randint(1, 4),
                               "title": "一种钢板表面缺陷检测装置" if kind != "software_copyright" else "产线数据采集软件V1.0"}))
    for _ in range(_pick(rng, {0: 80, 1: 20})):
        out.append(("project", {"level": _pick(rng, {"school": 70, "provincial": 24, "national": 6}),
                                "role": _pick(rng, {"leader": 35, "member": 65}), "concluded": rng.random() < 0.85,
                                "title": "大学生创新创业训练计划项目"}))
    if rng.random() < 0.05:
        out.append(("paper", {"first_author": rng.random() < 0.5, "title": "基于机器视觉的带钢表面缺陷识别"}))
    return out


ZHANG_MING = {
    "name": "张明", "gender": "M", "degree_level": "bachelor", "major": "车辆工程", "pilot_major": True,
    "has_diploma": True, "diploma_number": "1036012025000001", "has_degree": True,
    "degree_number": "1036042025000001", "practice_months": 3, "major_rank_percent": 35, "design_grade": "good",
    "ncre_level": 1, "assessment": "good", "conduct_ok": True, "physically_fit": True,
    "continuing_education_done": True, "employer": "马鞍山钢铁股份有限公司", "employed_in_anhui": True,
    "tripartite_agreement": True, "on_duty": True, "duty_start_date": date(YEAR, 7, 15),
}


ZHANG_MING_ACHIEVEMENTS = (
    ("competition", {"level": "school", "rank": 2, "title": "校大学生机械创新设计竞赛"}),
    ("skill", {"skill_level": 5, "occupation_code": "6-31-01-03", "one_plus_x": False, "title": "电工（五级/初级工）"}),
)


#: Two graduates who reach 工程师: a master by 1(2), a bachelor by 1(3) (hand-made: rare at random).
ENGINEERS = (
    ("2021030201", {"name": "李华", "gender": "F", "degree_level": "master", "major": "电气工程及其自动化",
                    "pilot_major": True, "has_diploma": True, "diploma_number": "1036012025000301", "has_degree": True,
                    "degree_number": "1036042025000301", "practice_months": 14, "major_rank_percent": 12,
                    "design_grade": "excellent", "ncre_level": 3, "assessment": "excellent",
                    "conduct_ok": True, "physically_fit": True, "continuing_education_done": True,
                    "employer": "奇瑞汽车股份有限公司", "employed_in_anhui": True, "tripartite_agreement": True,
                    "on_duty": True, "duty_start_date": date(YEAR, 7, 1)},
     (("skill", {"skill_level": 3, "occupation_code": "6-31-01-03", "title": "电工（三级/高级工）"}),)),
    ("2021010302", {"name": "王磊", "gender": "M", "degree_level": "bachelor", "major": "车辆工程",
                    "pilot_major": True, "has_diploma": True, "diploma_number": "1036012025000302", "has_degree": True,
                    "degree_number": "1036042025000302", "practice_months": 12, "major_rank_percent": 8,
                    "design_grade": "excellent", "ncre_level": 3, "assessment": "excellent",
                    "conduct_ok": True, "physically_fit": True, "continuing_education_done": True,
                    "employer": "蔚来汽车科技（安徽）有限公司", "employed_in_anhui": True, "tripartite_agreement": True,
                    "on_duty": True, "duty_start_date": date(YEAR, 7, 8)},
     (("project", {"level": "national", "role": "leader", "concluded": True, "title": "国家级大创：智能底盘线控系统"}),
      ("competition", {"level": "provincial", "rank": 2, "title": "安徽省大学生机器人大赛"}))),
)


def _school_standard(institution, publisher):
    """安徽工业大学's own standard, a little stricter than the baseline (top 25% for 1(3)), published by its staff
    on the standards page's service (the city HRSS is notified, as for any version); once."""
    if StandardVersion.objects.filter(standard__institution=institution).exists():
        return
    rules = DEFAULT_STANDARD.with_path("1(3)", rank_percent_max=25.0)
    data = rules.to_dict()
    data["name"] = "安徽工业大学产业工程师职称自主评审标准条件（2025）"
    publish_standard(institution=institution, data=data, actor=publisher,
                     note="工程师本科路径：平均学分绩点排名要求提高到专业前25%")


def _cells(fields):
    """One row of the transcript file as a registrar types it (the template's Chinese headers and values)."""
    out = {}
    for key, value in fields.items():
        if isinstance(value, bool):
            value = "是" if value else "否"
        elif key == "gender":
            value = "男" if value == "M" else "女"
        elif key == "degree_level":
            value = LEVEL_NAMES[value]
        elif value is None:
            value = ""
        out[HEADERS[key]] = value.isoformat() if isinstance(value, date) else str(value)
    return out


def transcript(people, year=YEAR):
    """The registrar's CSV (UTF-8 with BOM) of ``people``: [(学号, fields)] of the cohort ``year``."""
    rows = [_cells({"student_number": number, "graduation_year": year, **fields}) for number, fields in people]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[c.header for c in COLUMNS if c.key != "institution"])
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(f"{year}届毕业生.csv", ("\ufeff" + out.getvalue()).encode(), content_type="text/csv")


def _cohort():
    """[(学号, fields, achievements)] of the demo cohort, the same on every load (seeded)."""
    rng = random.Random(2025)
    people = []
    for i in range(COHORT):
        fields = _record(rng, i)
        people.append((f"2021{(i % len(MAJORS)) + 1:02d}{i + 2:04d}", fields, achievement_specs(rng)))
    people.append((STUDENT_NUMBER, {"id_number": make_ric(random.Random(1), birth="20030315"), **ZHANG_MING},
                   list(ZHANG_MING_ACHIEVEMENTS)))
    for number, fields, items in ENGINEERS:
        male = fields["gender"] == "M"
        people.append((number, {"id_number": make_ric(random.Random(number), male=male), **fields}, list(items)))
    return people


def import_cohort(staff, people, year=YEAR):
    """The registrar's steps for ``people`` ([(学号, fields, achievements)]) of the cohort ``year``: the transcript
    imported through the import pipeline (upload → preview → confirm), then achievements added through
    ``records.add_achievement`` to the records that have none. Returns ({学号: Graduate}, rows changed)."""
    batch = imports.upload_transcript(actor=staff, upload=transcript([(n, f) for n, f, _a in people], year),
                                      graduation_year=year, background=False)
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise ValueError(f"demo transcript refused: {batch.errors[:5]}")
    batch = imports.confirm_import(batch=batch, actor=staff, accept_changes=True)
    changed = batch.new + batch.updated + batch.rekeyed
    graduates = {g.student_number: g for g in Graduate.objects.filter(
        institution=batch.institution, graduation_year=year, student_number__in=[n for n, _f, _a in people])
        .annotate(items=Count("achievements"))}
    for number, _fields, items in people:
        graduate = graduates[number]
        if graduate.items:
            continue
        for kind, extra in items:
            records.add_achievement(graduate=graduate, actor=staff, kind=kind, **extra)
            changed += 1
    return graduates, changed


def student_account(staff, graduate, password=DEMO_PASSWORD):
    """The graduate's own account, made the way every student's is: the school generates its cohort's accounts
    and one-time activation codes (``create_student_accounts``, the page 生成学生账号激活码), and the student
    activates his with 学号, ID number and the code, choosing his password (``activate_account``, the page
    /graduates/activate/). Named by the student number. An active account is left as it is."""
    graduate.refresh_from_db()
    if graduate.user is not None and graduate.user.is_active:
        return graduate.user
    kwargs = {"institution": graduate.institution, "actor": staff, "graduation_year": graduate.graduation_year}
    issued = {c.graduate.pk: c.code for c in create_student_accounts(**kwargs)}
    if graduate.pk not in issued:  # an unused code printed earlier, unknown here: the school issues a new one
        issued = {c.graduate.pk: c.code for c in create_student_accounts(**kwargs, major=graduate.major,
                                                                         regenerate=True)}
    return activate_account(student_number=graduate.student_number, id_number=graduate.id_number,
                            code=issued[graduate.pk], password=password, client="demo")


def student_user(student_number=STUDENT_NUMBER, institution=INSTITUTION):
    """The account of the demo graduate ``student_number`` (张明 by default), or None before ``load_demo``."""
    graduate = Graduate.objects.filter(institution__name=institution, student_number=student_number,
                                       graduation_year=YEAR).select_related("user").first()
    return graduate.user if graduate is not None else None


def load_demo(stdout=None):
    """The registrar's steps, through the services they use: import the transcript (upload → preview →
    confirm), add achievements to records that have none, generate the cohort's student accounts (张明 activates
    his), start an evaluation when anything changed."""
    institution = Institution.objects.get(name=INSTITUTION)
    staff = get_user_model().objects.get(username="univ")
    _school_standard(institution, staff)
    people = _cohort()
    graduates, changed = import_cohort(staff, people)
    zhang = student_account(staff, graduates[STUDENT_NUMBER])
    run = EvaluationRun.objects.filter(institution=institution, graduation_year=YEAR, major="").order_by("-pk").first()
    if run is None or changed or run.standard_version_id != selectors.current_version(institution.pk).pk:
        run = cohort.start_run(institution=institution, actor=staff, graduation_year=YEAR)
    # What the Celery worker does with the run (its task, sent when the transaction commits, then finds it done).
    run = cohort.execute_run(run.pk)
    if stdout is not None:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(run.counts.items()))
        stdout.write(f"毕业生：{INSTITUTION} {YEAR}届 {len(people)} 人（本次导入或补充 {changed} 处），"
                     f"资格评价 {run.get_status_display()}（{counts}）；学生账号 {zhang.username}（张明）已激活")
    return run
