"""Track A test data on top of the shared ``world`` (tests/conftest.py): an expert pool, a complete 附件1, and a
helper that drives an application through the workflow with the services, as the offices would."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from applications.track_a import services
from applications.track_a.models import (
    CommitteeLevel,
    CooperationDocument,
    FullTimeTeacher,
    PartnerEnterprise,
    PilotApplication,
    PilotMajor,
    State,
)
from evaluation import selectors as evaluation_selectors
from evaluation.rules import DEFAULT_STANDARD
from evaluation.services.standards import publish_standard
from portal.models import ExpertProfile, Role
from tests.conftest import make_institution, make_user

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# name, title, level, employer organisation
POOL = [
    ("周正高", "教授", "senior", "合肥工业大学"),
    ("吴副高", "高级工程师", "deputy_senior", "奇瑞汽车股份有限公司"),
    ("郑副高", "副教授", "deputy_senior", "安徽建筑大学"),
    ("王正高", "正高级工程师", "senior", "马钢集团"),
    ("冯中级", "工程师", "intermediate", "江淮汽车"),
    ("陈中级", "讲师", "intermediate", "安徽工程大学"),
    ("褚初级", "助理工程师", "junior", "马鞍山市某企业"),
]


def pdf(name="file.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def expert_pool(w):
    """Seven experts of various title levels, none employed by ``w.inst`` (cached on ``w``)."""
    if getattr(w, "pool", None):
        return w.pool
    w.pool = []
    for i, (name, title, level, org) in enumerate(POOL):
        user = make_user(f"pool{i}", Role.EXPERT, organisation=org)
        user.full_name = name
        user.save()
        w.pool.append(ExpertProfile.objects.create(user=user, title=title, title_level=level, specialty="机械工程"))
    return w.pool


COMPLETE = {
    "industry_field": "新能源汽车", "founded_on": date(2021, 9, 1), "independent": True, "venue": "school",
    "management_bodies": "学校、马鞍山市经开区管委会、合作企业共同组成理事会",
    "leader_name": "李院长", "leader_political_status": "中共党员", "leader_party_post": "院长",
    "leader_education": "研究生", "leader_degree": "博士", "leader_title": "教授", "leader_years": 20,
    "leader_office_phone": "0555-2311234", "leader_mobile": "13905550000", "leader_duties": "全面负责现代产业学院建设",
    "leader_experience": "2005年起任教", "leader_cooperation": "主持校企合作项目5项",
    "teachers_total": 100, "teachers_senior": 20, "teachers_deputy_senior": 30, "teachers_intermediate_or_below": 50,
    "teachers_enterprise": 40, "teachers_school": 60, "teachers_enterprise_background": 25,
    "students_total": 2000, "students_undergraduate": 1800, "students_master": 180, "students_doctoral": 20,
    "students_other": 0,
    "cooperation": "与马钢集团、奇瑞汽车签订产教融合协议，共建实训基地。",
    "basis_teaching": "现有教学基础……", "basis_curriculum": "课程体系……", "basis_competition": "竞赛实训条件……",
    "basis_practice": "实践教学学时情况……", "basis_team": "教师团队……", "basis_funding": "每年投入经费500万元……",
    "plan_industry": "新能源汽车", "plan_start_year": 2024, "plan_end_year": 2026, "plan_bases": 3,
    "plan_platforms": 2, "plan_funding": 500, "plan_summary": "课程体系改造、双导师制、实训基地建设",
    "leader_attested": True, "leader_signature": "李院长", "leader_signed_on": date(2024, 3, 1),
    "school_opinion": "同意申报", "president_name": "张校长", "school_signed_on": date(2024, 3, 2),
    "partner_opinion": "同意共建",
}
MAJORS = [("机械设计制造及其自动化", 2010, 600, 2600, 900), ("车辆工程", 2015, 400, 2500, 800)]


def complete_application(w, institution=None, *, with_files=False):
    """A complete 附件1 in draft. Without ``with_files`` the file fields point at names only (nothing written)."""
    institution = institution or w.inst
    app = PilotApplication.objects.create(institution=institution, unit_name=institution.name,
                                          created_by=w.staff, **COMPLETE)
    for i, (name, year, students, total, practice) in enumerate(MAJORS, 1):
        PilotMajor.objects.create(application=app, position=i, name=name, opened_year=year, students=students,
                                  total_hours=total, practice_hours=practice)
    PartnerEnterprise.objects.create(application=app, position=1, name="马鞍山钢铁股份有限公司", industry_type="钢铁冶金")
    PartnerEnterprise.objects.create(application=app, position=2, name="奇瑞汽车股份有限公司", industry_type="新能源汽车")
    FullTimeTeacher.objects.create(application=app, position=1, name="赵老师", age=45, source="school", title="教授",
                                   post="系主任", duties="专业核心课")
    FullTimeTeacher.objects.create(application=app, position=2, name="钱工", age=38, source="enterprise",
                                   title="高级工程师", post="技术部长", duties="企业导师")
    if with_files:
        app.plan_file = pdf("plan.pdf")
        app.save()
        CooperationDocument.objects.create(application=app, title="产教融合协议", file=pdf("agreement.pdf"),
                                           uploaded_by=w.staff)
    else:
        PilotApplication.objects.filter(pk=app.pk).update(plan_file="track_a/plans/plan.pdf")
        CooperationDocument.objects.create(application=app, title="产教融合协议", file="track_a/cooperation/a.pdf",
                                           uploaded_by=w.staff)
    app.refresh_from_db()
    return app


ORDER = [State.DRAFT, State.SUBMITTED, State.CITY_HRSS_APPROVED, State.CITY_APPROVED, State.AGREEMENT_SIGNED,
         State.AT_PROVINCE, State.DOCUMENT_REVIEWED, State.SITE_EVALUATED, State.PROV_EDU_RECOGNISED,
         State.RECOGNISED, State.AUTHORISED]


def expert_group(w, app, reviewers=None, *, confirm=True):
    """省教育厅 proposes ``reviewers`` (default: the three senior experts; the first leads); 省人社厅 confirms."""
    if reviewers is None:
        reviewers = [e for e in expert_pool(w) if e.title_level in ("senior", "deputy_senior")][:3]
    group = services.current_group(app)
    if group is None:
        group = services.propose_group(application=app, actor=w.prov_edu, experts=reviewers, leader=reviewers[0])
    if confirm and group.state == "proposed":
        group = services.confirm_group(group=group, actor=w.prov_hrss)
    return group


def expert_review(w, app, reviewers=None, conclusion="pass", *, summary="材料齐全，论证通过"):
    """The group reviews 附件1 (each scores and gives an opinion; the leader reports; all sign); the office acts."""
    group = expert_group(w, app, reviewers)
    members = list(group.members.select_related("expert__user"))
    for m in members:
        services.save_opinion(group=group, actor=m.expert.user, score=85, opinion=f"{m.expert.user.full_name}：方案可行")
    leader = next(m for m in members if m.is_leader)
    report, _cleared = services.save_report(group=group, actor=leader.expert.user, kind="review", fields={
        "held_on": date(2024, 6, 1), "summary": summary, "conclusion": conclusion})
    for m in members:
        services.sign_report(group=group, actor=m.expert.user, kind="review", expected_version=report.version)
    return services.document_review(application=app, actor=w.prov_edu)


def expert_visit(w, app, recommendation="recommend"):
    """The same group visits, the leader records what was seen, all sign; the office records the evaluation."""
    group = services.current_group(app)
    members = list(group.members.select_related("expert__user"))
    leader = next(m for m in members if m.is_leader)
    report, _cleared = services.save_report(group=group, actor=leader.expert.user, kind="site", fields={
        "held_on": date(2024, 6, 20), "seen": "实训基地、产业学院办公场所，与企业导师座谈", "training_model": "校企双导师",
        "foundations": "基础扎实", "policy_support": "市政府支持", "guarantees": "经费场地到位",
        "summary": "建议认定", "conclusion": recommendation})
    for m in members:
        services.sign_report(group=group, actor=m.expert.user, kind="site", expected_version=report.version)
    return services.site_evaluation(application=app, actor=w.prov_edu)


def advance(w, app, target):
    """Drives ``app`` with the services, each step by the office that takes it, until it reaches ``target``."""
    pool = expert_pool(w)
    reviewers = [e for e in pool if e.title_level in ("senior", "deputy_senior")][:3]
    special = {State.RETURNED_CITY: State.SUBMITTED, State.RETURNED_PROVINCE: State.AT_PROVINCE,
               State.CITY_EDU_APPROVED: State.SUBMITTED, State.PROV_HRSS_RECOGNISED: State.SITE_EVALUATED,
               State.NOT_RECOGNISED: State.SITE_EVALUATED}
    stop = special.get(target, target)
    steps = {
        State.DRAFT: lambda a: services.submit(application=a, actor=w.staff),
        State.SUBMITTED: lambda a: services.city_review(application=a, actor=w.city_hrss, office="city_hrss",
                                                        decision="approve"),
        State.CITY_HRSS_APPROVED: lambda a: services.city_review(application=a, actor=w.city_edu,
                                                                 office="city_education", decision="approve"),
        State.CITY_APPROVED: lambda a: services.record_agreement(
            application=a, actor=w.city_hrss, school_duties="学校负责培养", city_hrss_duties="市人社局负责授权和监管",
            city_education_duties="市教育局负责教学指导", signed_on=date(2024, 5, 1),
            signed_copy="track_a/agreements/signed.pdf"),
        State.AGREEMENT_SIGNED: lambda a: services.forward_to_province(application=a, actor=w.city_edu),
        State.AT_PROVINCE: lambda a: expert_review(w, a, reviewers, "pass"),
        State.DOCUMENT_REVIEWED: lambda a: expert_visit(w, a, "recommend"),
        State.SITE_EVALUATED: lambda a: services.recognise(application=a, actor=w.prov_edu,
                                                           office="provincial_education", decision="recognise"),
        State.PROV_EDU_RECOGNISED: lambda a: services.recognise(application=a, actor=w.prov_hrss,
                                                                office="provincial_hrss", decision="recognise"),
        State.RECOGNISED: lambda a: services.grant_authority(
            application=a, actor=w.city_hrss, majors=[m for m, *_r in MAJORS],
            levels=["technician", "assistant_engineer", "engineer"], from_year=2024),
    }
    while app.state != stop:
        app = steps[app.state](app)
    if target == State.RETURNED_CITY:
        app = services.city_review(application=app, actor=w.city_edu, office="city_education", decision="return",
                                   reasons="请补充合作协议")
    elif target == State.RETURNED_PROVINCE:
        app = expert_review(w, app, reviewers, "revise", summary="请完善课程体系")
    elif target == State.CITY_EDU_APPROVED:
        app = services.city_review(application=app, actor=w.city_edu, office="city_education", decision="approve")
    elif target == State.PROV_HRSS_RECOGNISED:
        app = services.recognise(application=app, actor=w.prov_hrss, office="provincial_hrss", decision="recognise")
    elif target == State.NOT_RECOGNISED:
        app = services.recognise(application=app, actor=w.prov_hrss, office="provincial_hrss", decision="refuse",
                                 reasons="实地评估发现实训条件不足")
    return app


def application_in(w, state, institution=None):
    """An application of ``w.inst`` (or ``institution``) in ``state``, cached on ``w`` per state."""
    cache = w.__dict__.setdefault("apps", {})
    key = (state, institution.pk if institution else None)
    if key not in cache:
        cache[key] = advance(w, complete_application(w, institution), state)
    return cache[key]


def authorised(w):
    existing = PilotApplication.objects.filter(institution=w.inst, state=State.AUTHORISED).first()
    return existing or application_in(w, State.AUTHORISED)


#: The day the filing office approves the factory committee: its 核准备案 then runs to 2028-01-01, covering the
#: fixed 2025 dates of the round tests and today.
APPROVED_ON = date(2025, 1, 2)


def standard(w, institution=None):
    """The school's standard published (the default one), once per world: a committee's filing carries it."""
    institution = institution or w.inst
    version = evaluation_selectors.current_version(institution.pk)
    if version is None:
        staff = w.staff if institution == w.inst else make_user(f"std_{institution.pk}", Role.UNIVERSITY_STAFF,
                                                                institution=institution)
        version = publish_standard(institution=institution, data=DEFAULT_STANDARD.to_dict(), actor=staff)
    return version


def committee(w, state="draft", *, members=True):
    """The intermediate committee of ``w.inst`` (安徽工业大学, 省属 → files with the provincial HRSS) with 5
    qualifying members and the school's standard published, brought to ``state`` (draft / filed / approved /
    returned). One per world."""
    if getattr(w, "committee", None) is not None:
        assert w.committee.state == state, "one committee per test world"
        return w.committee
    authorised(w)
    pool = expert_pool(w)
    c = services.create_committee(institution=w.inst, actor=w.staff, values={
        "name": "安徽工业大学产业工程师中级职称评审委员会", "level": CommitteeLevel.INTERMEDIATE,
        "talent_pool": "试点专业毕业生约1000人", "method": "评定",
        "standard": "安徽工业大学产业工程师评审标准"})
    if members:
        services.set_members(committee=c, actor=w.staff, members=[
            {"expert": e, "is_chair": i == 0, "term_start": date(2025, 1, 1), "term_end": date(2027, 12, 31)}
            for i, e in enumerate(pool[:5])])
    if state in ("filed", "approved", "returned", "change_filed", "revocation_filed"):
        standard(w)
        c = services.file_committee(committee=c, actor=w.staff, today=APPROVED_ON)
    if state in ("approved", "change_filed", "revocation_filed"):
        c = services.review_committee(committee=c, actor=w.prov_hrss, decision="approve", today=APPROVED_ON)
    if state == "change_filed":
        c = services.file_adjustment(committee=c, actor=w.staff, reason="核准备案即将到期，申请续期", renew=True,
                                     today=APPROVED_ON)
    if state == "revocation_filed":
        c = services.file_revocation(committee=c, actor=w.staff, reason="试点专业调整，撤销本评委会")
    if state == "returned":
        c = services.review_committee(committee=c, actor=w.prov_hrss, decision="return", reasons="请补充评审办法")
    w.committee = c
    return c


def other_city_application(w, state=State.SUBMITTED):
    """An application of a 芜湖 school (another city), for scoping tests."""
    if not getattr(w, "wuhu_inst", None):
        w.wuhu_inst = make_institution("安徽工程大学", city="3402", uscc_body="12340000485960498")
        w.wuhu_staff = make_user("wuhu_staff", Role.UNIVERSITY_STAFF, institution=w.wuhu_inst)
    cache = w.__dict__.setdefault("apps", {})
    key = (state, w.wuhu_inst.pk)
    if key not in cache:
        app = complete_application(w, w.wuhu_inst)
        app = services.submit(application=app, actor=w.wuhu_staff)
        cache[key] = app
    return cache[key]
