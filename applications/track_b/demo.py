"""Track B's demo data (``manage.py load_demo``): the expert pool, one filed institution with its code,
receipt and occupations, and one submitted case for 芜湖职业技术学院 awaiting 芜湖市人社局.

Idempotent: an institution that already has a filing case is left alone. Everything goes through the
services, so the demo has the same logs, audit rows and notifications as real use.
"""

import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from portal import accounts
from portal import demo as portal_demo
from portal.identifiers import ric_check_digit
from portal.models import Institution, Occupation, Role

from . import selectors, services
from .forms import SECTION_FORMS, PlanForm, build_section_forms
from .models import FilingApplication, ImplementationPlan, SkillLevel, Subject, TrainingTarget


def fake_ric(place="340104", birth="19800101", seq="001"):
    """A well-formed 公民身份号码 for demo and test data (check digit computed; not a real person)."""
    body = f"{place}{birth}{seq}"
    return body + ric_check_digit(body)


# username, full name, title, level, specialty, education, employer (institution name or "org:…"), id seq
EXPERTS = [
    ("expert", "冯教授（安徽建筑大学）", "教授", "senior", "智能制造、机械工程", "博士研究生", "安徽建筑大学", "101"),
    ("expert2", "陈高工（奇瑞汽车股份有限公司）", "正高级工程师", "senior", "新能源汽车", "硕士研究生",
     "org:奇瑞汽车股份有限公司", "102"),
    ("expert3", "韩教授（合肥工业大学）", "教授", "senior", "车辆工程", "博士研究生", "合肥工业大学", "103"),
    ("expert4", "魏技师（安徽江淮汽车集团股份有限公司）", "高级技师", "skilled", "汽车装调与维修", "大学本科",
     "org:安徽江淮汽车集团股份有限公司", "104"),
    ("expert5", "蒋副教授（芜湖职业技术学院）", "副教授", "deputy_senior", "电气自动化", "硕士研究生", "芜湖职业技术学院",
     "105"),
    ("expert6", "沈高工（科大讯飞股份有限公司）", "高级工程师", "deputy_senior", "人工智能、软件工程", "硕士研究生",
     "org:科大讯飞股份有限公司", "106"),
]


def ensure_expert_pool():
    """The pool's accounts and entries, made by the site admin through ``portal.accounts``; returns how many
    accounts were new (an existing one is left as it is)."""
    created = 0
    for username, full_name, title, level, specialty, education, employer, seq in EXPERTS:
        made = accounts.ensure_account(
            actor=portal_demo.site_admin(), username=username, full_name=full_name,
            grants=[portal_demo.grant(Role.EXPERT, employer)], password=portal_demo.DEMO_PASSWORD,
            expert_profile={"title": title, "title_level": level, "specialty": specialty, "education": education,
                            "id_number": fake_ric("340104", "19700101", seq)})
        created += made.created
    return created


def occupations(*codes):
    found = {o.code: o for o in Occupation.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def save_draft(app, *, user, section, fields=None, rows=()):
    """Saves one section as the registrar's page does: the section's own forms, filled with ``fields`` (on top of
    what is stored) and ``rows`` (its table), validated, then ``services.save_section``. ValueError (with the
    forms' Chinese messages) if the forms refuse the data."""
    form_class, formset_classes = SECTION_FORMS[section]
    plan, _created = ImplementationPlan.objects.get_or_create(application=app)
    data = {}
    if form_class is not None:
        instance = plan if form_class is PlanForm else app
        stored = model_to_dict(instance, fields=form_class._meta.fields)
        data.update({k: v for k, v in stored.items() if v is not None})
        data.update(fields or {})
    for cls in formset_classes:
        prefix = cls.default_prefix
        data.update({f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
        for i, row in enumerate(rows):
            data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    choices = selectors.occupation_choices() if section in ("majors", "standards") else None
    form, formsets = build_section_forms(section, app, plan, data, {}, choices)
    problems = [] if form is None or form.is_valid() else [form.errors.as_text()]
    problems += [f"{fs.errors} {fs.non_form_errors()}" for fs in formsets if not fs.is_valid()]
    if problems:
        raise ValueError(f"{section}: {problems}")
    return services.save_section(app, user=user, section=section, form=form, formsets=formsets)


def fill_content(application, *, majors, place="340104", user=None):
    """A complete, valid 附件3/附件4, typed section by section as a registrar would (``save_draft``: the page's
    forms and ``services.save_section``), for demo and tests. ``majors``: [(major name, occupation)];
    ``user``: the institution's registrar (default: its first staff account)."""
    app = application
    user = user or selectors.institution_staff(app.institution_id).order_by("pk").first()
    save_draft(app, user=user, section="basic", fields={
        "unit_address": app.unit_address or f"安徽省{app.institution.city.name}教育路1号",
        "head_name": "王校长", "head_phone": "0551-62663225", "org_head_name": "李处长",
        "org_head_phone": "13905510001", "org_contact_name": "赵老师", "org_contact_phone": "0553-5971234",
        "contact_email": "skills@example.edu.cn", "website": app.website or "https://www.example.edu.cn"})
    save_draft(app, user=user, section="majors", rows=[
        {"major_name": major, "occupation": occupation.pk, "job_type": "--", "item_writers": 3, "examiners_count": 4}
        for major, occupation in majors])
    save_draft(app, user=user, section="regulations", rows=[{"title": title} for title in (
        "职业技能等级认定工作管理办法", "考务管理规定", "考评人员管理办法", "质量督导与内部质量控制办法")])
    save_draft(app, user=user, section="advantages", fields={
        "advantages": "学校重点建设新能源汽车技术、智能制造装备技术、电气自动化技术等应用型专业，"
                      "与省内龙头企业共建产业学院和实训基地，具备开展职业技能等级认定的组织和专业优势。"})
    save_draft(app, user=user, section="venues", fields={
        "venues": "理论考试机房2间（120个机位），操作技能考核实训车间3个，均配备视频监控。",
        "exam_it": "考务管理系统1套，标准化考场视频监控系统覆盖全部考场，监控录像保存不少于3个月。"}, rows=[
        {"name": name, "brand": brand, "spec": spec, "quantity": qty, "ownership": "自有"}
        for name, brand, spec, qty in [("新能源汽车整车实训台", "奇瑞", "EQ1-T", 6),
                                       ("工业机器人工作站", "埃夫特", "ER20-C10", 8),
                                       ("考务监控服务器", "华为", "FusionServer 2288H", 1)]])
    save_draft(app, user=user, section="staff", rows=[
        {"name": "赵敏", "id_number": fake_ric(place, "19850312", "021"), "title": "科长/讲师",
         "education": "硕士研究生", "duties": "考务组织与质量管理"},
        {"name": "钱伟", "id_number": fake_ric(place, "19900521", "033"), "title": "干事/助教",
         "education": "大学本科", "duties": "报名审核与证书管理"}])
    save_draft(app, user=user, section="experts", rows=[
        {"name": "孙立", "id_number": fake_ric(place, "19760910", "045"), "employer": app.institution.name,
         "title": "教授", "education": "博士研究生", "specialty": "车辆工程"},
        {"name": "周强", "id_number": fake_ric("340202", "19800115", "057"), "employer": "芜湖某汽车零部件有限公司",
         "title": "高级技师", "education": "大学专科", "specialty": "汽车装调"}])
    save_draft(app, user=user, section="examiners", rows=[
        {"name": f"考评员{i}", "id_number": fake_ric(place, f"1982020{i}", f"06{i}"), "employer": app.institution.name,
         "title": "高级工程师/考评员", "education": "大学本科", "domain": majors[0][1].name if majors else ""}
        for i in range(1, 5)])
    save_draft(app, user=user, section="other", fields={"other_info": "无。", "declaration": True})
    save_draft(app, user=user, section="standards", rows=[
        {"occupation": occupation.pk, "subject": subject, "pass_mark": 60}
        for occupation in dict.fromkeys(occupation for _major, occupation in majors)
        for subject in (Subject.THEORY, Subject.PRACTICAL)])
    save_draft(app, user=user, section="plan", fields={
        "target_level": SkillLevel.SENIOR,
        "basic": "学校现有全日制在校生1.2万人，设应用型二级学院6个，应用型专业在校生8000余人。",
        "training": "申报专业课程设置对接国家职业标准，实践教学学时占比不低于50%，以高级工为培养目标。",
        "duties": "成立职业技能等级认定工作领导小组，下设考务办公室；建立内部质量控制和督导制度。",
        "evaluation_design": "依据国家职业技能标准，理论知识考试采用机考，操作技能考核采用现场操作；"
                             "各科目成绩均达60分（含）以上为合格。",
        "commitment": "严格执行国家职业技能标准和评价规范，不降低评价标准，不以评价发证为营利目的。",
        "signatory": "王校长"})
    app.refresh_from_db()
    return app


def _user(username):
    return get_user_model().objects.get(username=username)


def _report_fields(app):
    return {
        "evaluated_on": timezone.localdate(app.submitted_at) if app.submitted_at else None,
        "organisation": "受理部门组建3人评估论证专家组（校外专家3人），采取材料审查与实地查看相结合的方式开展评估论证。",
        "basic": "该校人才培养定位清晰，应用型专业设置与区域产业契合，评价认定工作职责明确。",
        "courses": "课程设置覆盖国家职业标准要求，教学目标、实习实践要求和成绩合格标准明确。",
        "occupations_text": "申报专业与所对应的评价职业（工种）相符。",
        "opinion": "同意该校开展所申报职业（工种）的职业技能等级认定，结论见下表。",
    }


@transaction.atomic
def build_filed(institution, *, staff, official, panel, levels):
    """Drives a case from draft to filed through the services (as the people would)."""
    app, _created = services.create_application(user=staff, institution=institution)
    chosen = [occ for occ, _target in levels]
    fill_content(app, majors=[(f"{occ.name}相关专业", occ) for occ in chosen])
    app = services.submit(app, user=staff)
    app = services.accept(app, user=official)
    app = services.assign_panel(app, user=official, expert_ids=[u.pk for u in panel], leader_id=panel[0].pk)
    report = app.report
    services.save_report(app, user=panel[0], fields=_report_fields(app),
                         conclusions={occ.pk: target for occ, target in levels})
    report.refresh_from_db()
    for expert in panel:
        app = services.sign_report(app, user=expert, expected_version=report.version)
    return services.file_application(app, user=official, levels={occ.pk: max(3, target) for occ, target in levels},
                                     opinion="经评估论证，同意该单位备案开展职业技能等级认定。")


def load_demo(stdout):
    created = ensure_expert_pool()
    stdout.write(f"Track B：专家库 {len(EXPERTS)} 名专家（新建账号 {created} 个）")
    institutions = {i.name: i for i in Institution.objects.all()}
    maanshan = institutions.get("安徽工业大学")
    if maanshan is not None and not FilingApplication.objects.filter(institution=maanshan).exists():
        nev = occupations("4-12-01-01", "6-22-02-01", "6-31-07-03")
        # Filed in February 2025, so that its 2025 assessment year (assessment.demo) follows the filing.
        with time_machine.travel(datetime.datetime(2025, 2, 24, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
            filed = build_filed(maanshan, staff=_user("univ"), official=_user("city_hrss"),
                                panel=[_user("expert"), _user("expert2"), _user("expert3")],
                                levels=[(nev[0], TrainingTarget.SENIOR), (nev[1], TrainingTarget.SENIOR),
                                        (nev[2], TrainingTarget.INTERMEDIATE)])
        stdout.write(f"Track B：安徽工业大学已备案，备案编号 {filed.filing_code}")
    wuhu = institutions.get("芜湖职业技术学院")
    if wuhu is not None and not FilingApplication.objects.filter(institution=wuhu).exists():
        staff = _user("univ_wuhu")
        app, _created = services.create_application(user=staff, institution=wuhu)
        fill_content(app, majors=[("新能源汽车技术", o) for o in occupations("4-12-01-01")]
                     + [("电气自动化技术", o) for o in occupations("6-31-01-03")], place="340202")
        services.submit(app, user=staff)
        stdout.write("Track B：芜湖职业技术学院的备案申请已提交，待芜湖市人社局（city_hrss_wuhu）受理")
