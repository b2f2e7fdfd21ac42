"""Track A demo data (``manage.py load_demo``), made through the services so that the log, the notifications and
the PDFs are what real use would leave behind. Idempotent: a school that already has an application is skipped.

- 安徽工业大学 (account ``univ``; 马鞍山, 省属, 新能源汽车现代产业学院): the whole procedure done — authority granted
  (车辆工程, 机械设计制造及其自动化, 智能制造工程; 技术员/助理工程师/工程师; from 2024) and a 中级评委会 filed and
  approved by the provincial HRSS (省属 school, 附件2 二(三)), so that an evaluation round can start.
- 马鞍山学院 (account ``univ_mas``): its 附件1 submitted, awaiting ``city_hrss`` and ``city_edu``.
- 安徽工程大学 (account ``univ_ahpu``; 芜湖, 省属): at the province with a confirmed expert group — ``pool_3`` (leader),
  ``pool_4`` and ``pool_5`` sign in, read 附件1, give opinions, report and sign.
- Seven experts in the pool (accounts ``pool_1`` … ``pool_7``) with professional titles.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.track_a import services
from applications.track_a.models import PilotApplication
from applications.track_a.routing import committee_filing_office
from evaluation import selectors as evaluation_selectors
from evaluation.rules import DEFAULT_STANDARD
from evaluation.services.standards import publish_standard
from portal import accounts
from portal import demo as portal_demo
from portal.models import Institution, Role

POOL = [
    # username, name, title, level, specialty, employer (organisation)
    ("pool_1", "刘建国", "教授", "senior", "车辆工程", "合肥工业大学"),
    ("pool_2", "孙丽华", "正高级工程师", "senior", "冶金工程", "马鞍山钢铁股份有限公司"),
    ("pool_3", "钱志强", "高级工程师", "deputy_senior", "新能源汽车", "奇瑞汽车股份有限公司"),
    ("pool_4", "何静", "副教授", "deputy_senior", "机械工程", "安徽建筑大学"),
    ("pool_5", "高磊", "高级工程师", "deputy_senior", "智能制造", "安徽江淮汽车集团股份有限公司"),
    ("pool_6", "林晓", "工程师", "intermediate", "电气工程", "马鞍山经济技术开发区"),
    ("pool_7", "马涛", "讲师", "intermediate", "机械工程", "安徽工程大学"),
]


def _pdf(title, body):
    """A small real PDF for demo uploads (falls back to a bare one when WeasyPrint cannot run here)."""
    try:
        from weasyprint import HTML

        from portal.pdf import font_config

        data = HTML(string=f'<html><body style="font-family:Noto Sans CJK SC"><h1>{title}</h1><p>{body}</p>'
                           f"</body></html>").write_pdf(font_config=font_config())
    except Exception:  # noqa: BLE001 — demo data must load on a machine without Pango
        data = b"%PDF-1.4\n%demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(f"{title}.pdf", data, content_type="application/pdf")


def _user(username, full_name, role, **scope):
    """A demo account made by the site admin through ``portal.accounts`` (an existing one is left as it is)."""
    return portal_demo.ensure_account(username, full_name, [accounts.Grant(role, **scope)])


def _pool():
    experts = []
    for username, name, title, level, specialty, org in POOL:
        user = portal_demo.ensure_account(
            username, f"{name}（{org}）", [accounts.Grant(Role.EXPERT, organisation=org)],
            expert_profile={"title": title, "title_level": level, "specialty": specialty, "education": "研究生"})
        experts.append(user.expert_profile)
    return experts


def _fill(app, actor, *, majors, partners, industry, leader):
    sections = {
        "basic": {"unit_name": app.institution.name, "industry_field": industry, "founded_on": date(2021, 9, 1),
                  "independent": False, "venue": "school",
                  "management_bodies": "学校、马鞍山经济技术开发区管委会和合作企业共同组成的产业学院理事会"},
        "leader": {"leader_name": leader, "leader_political_status": "中共党员", "leader_party_post": "产业学院院长",
                   "leader_education": "研究生", "leader_degree": "博士", "leader_title": "教授", "leader_years": 22,
                   "leader_office_phone": "0555-2311000", "leader_mobile": "13905551234",
                   "leader_duties": "主持现代产业学院和试点建设全面工作",
                   "leader_experience": "2003年起从事教学科研工作，2021年起任产业学院院长",
                   "leader_cooperation": "主持校企合作项目6项，共建实训基地3个"},
        "people": {"teachers_total": 120, "teachers_senior": 24, "teachers_deputy_senior": 40,
                   "teachers_intermediate_or_below": 56, "teachers_enterprise": 45, "teachers_school": 75,
                   "teachers_enterprise_background": 32, "students_total": 2400, "students_undergraduate": 2200,
                   "students_master": 180, "students_doctoral": 20, "students_other": 0},
        "cooperation": {"cooperation": "与合作企业签订产教融合协议：共建生产性实训基地、企业导师进校授课、"
                                       "学生入企实习不少于6个月、联合开发课程和教材。"},
        "conditions": {
            "basis_teaching": "现有国家级一流本科专业2个、省级一流专业3个，校内实验实训中心面积2万平方米。",
            "basis_curriculum": "按“校内导师+行业导师”双导师制重构课程体系，开发企业真实项目课程12门。",
            "basis_competition": "每年组织学科竞赛20余项，建有大学生创新创业实践基地。",
            "basis_practice": "各试点专业实践教学学时均不低于总学时的30%。",
            "basis_team": "专任教师120人，其中企业导师45人，双师型教师占比60%。",
            "basis_funding": "学校每年安排试点专项经费500万元，合作企业配套200万元。"},
        "plan": {"plan_industry": industry, "plan_start_year": 2024, "plan_end_year": 2026, "plan_bases": 4,
                 "plan_platforms": 3, "plan_funding": 700,
                 "plan_summary": "开发改造工程师培养课程体系；选配校企双导师；建设生产性实习实训基地；"
                                 "制定职称评审标准和考核细则。",
                 "plan_file": _pdf("试点建设方案", f"{app.institution.name}“产业工程师职称自主评审”试点建设方案")},
        "signoff": {"leader_attested": True, "leader_signature": leader, "leader_signed_on": date(2024, 3, 1),
                    "school_opinion": "同意申报，学校将提供场地、经费和政策保障。", "president_name": "校长",
                    "school_signed_on": date(2024, 3, 2), "partner_opinion": "同意共建，积极参与人才培养和评价。"},
    }
    for section, values in sections.items():
        services.update_section(application=app, actor=actor, section=section, values=values)
    services.update_section(application=app, actor=actor, section="majors", rows=[
        {"name": n, "opened_year": y, "students": s, "total_hours": t, "practice_hours": p}
        for n, y, s, t, p in majors])
    services.update_section(application=app, actor=actor, section="partners",
                            rows=[{"name": n, "industry_type": t} for n, t in partners])
    services.update_section(application=app, actor=actor, section="teachers", rows=[
        {"name": "赵明", "age": 48, "source": "school", "title": "教授", "post": "系主任", "duties": "专业核心课程"},
        {"name": "钱工", "age": 41, "source": "enterprise", "title": "高级工程师", "post": "技术部部长",
         "duties": "企业导师、实习指导"},
        {"name": "孙敏", "age": 36, "source": "school", "title": "副教授", "post": "", "duties": "实验实训教学"},
    ])
    services.add_cooperation_document(application=app, actor=actor, title="产教融合合作协议",
                                      file=_pdf("产教融合合作协议", "校企双方合作事项"))
    return PilotApplication.objects.get(pk=app.pk)


def _expert_review(app, prov_edu, prov_hrss, reviewers):
    """省教育厅会同省人社厅组织专家: the education department proposes the group, the HRSS confirms it; each expert
    scores and gives an opinion, the leader reports the document review and then the visit, all sign; the
    education department acts on each signed report — the same services the pages call."""
    group = services.propose_group(application=app, actor=prov_edu, experts=reviewers, leader=reviewers[0])
    group = services.confirm_group(group=group, actor=prov_hrss)
    leader = reviewers[0].user
    for score, expert in zip((88, 85, 90), reviewers, strict=True):
        services.save_opinion(group=group, actor=expert.user, score=score,
                              opinion="建设方案目标明确，课程体系和双导师制设计合理，校企合作协议落实到位。")
    report, _c = services.save_report(group=group, actor=leader, kind="review", fields={
        "held_on": date(2024, 6, 12), "conclusion": "pass",
        "summary": "建设方案目标明确，课程体系和双导师制设计合理，同意进入实地评估。"})
    for expert in reviewers:
        services.sign_report(group=group, actor=expert.user, kind="review", expected_version=report.version)
    app = services.document_review(application=app, actor=prov_edu)
    report, _c = services.save_report(group=group, actor=leader, kind="site", fields={
        "held_on": date(2024, 7, 3), "seen": "查看产业学院实训基地、合作企业生产线，与企业导师和学生座谈",
        "training_model": "校企双导师联合培养，项目化课程", "foundations": "实训条件完善，专业与地方产业契合",
        "policy_support": "马鞍山市出台配套支持政策", "guarantees": "经费、场地、师资保障到位",
        "summary": "具备试点条件，建议认定。", "conclusion": "recommend"})
    for expert in reviewers:
        services.sign_report(group=group, actor=expert.user, kind="site", expected_version=report.version)
    return services.site_evaluation(application=app, actor=prov_edu)


#: Schools of 合肥 authorised for the rounds demo: name, staff account, its name, which pool expert chairs.
STAGE_SCHOOLS = [
    ("合肥工业大学", "univ_hfut", "郑经办（合肥工业大学）", 1),
    ("安徽建筑大学", "univ_ahjzu", "冯经办（安徽建筑大学）", 2),
    ("合肥学院", "univ_hfuu", "褚经办（合肥学院）", 4),
]
MAJORS = [("车辆工程", 2003, 820, 2560, 880), ("机械设计制造及其自动化", 1985, 1100, 2600, 860),
          ("智能制造工程", 2020, 360, 2480, 800)]


def filing_officer(committee):
    """An official of the office the committee files with (附件2 二(三), ``committee_filing_office``)."""
    office = committee_filing_office(committee)
    if office is None:
        return None
    scope = {} if office.is_provincial else {"roles__city_id": office.city_code}
    return get_user_model().objects.filter(roles__role=office.role, **scope).order_by("id").first()


def authorise(school, staff, *, city_hrss, city_edu, experts, industry, leader, partners, committee_name):
    """The whole procedure, through the services: 附件1 reviewed by the city's offices, the agreement, the province's
    expert review and 认定, the authority granted (the three majors, all levels, from 2024), the standard published
    and a 中级评委会 of seven pool experts (the first chairs) filed and approved by its filing office in September
    2024, its 核准备案 running to 2027-08-31."""
    User = get_user_model()
    prov_edu, prov_hrss = User.objects.get(username="prov_edu"), User.objects.get(username="prov_hrss")
    app = services.start_application(institution=school, actor=staff)
    app = _fill(app, staff, industry=industry, leader=leader, majors=MAJORS, partners=partners)
    app = services.submit(application=app, actor=staff)
    app = services.city_review(application=app, actor=city_edu, office="city_education", decision="approve",
                               reasons="符合申报条件")
    app = services.city_review(application=app, actor=city_hrss, office="city_hrss", decision="approve")
    app = services.record_agreement(
        application=app, actor=city_hrss, school_duties="制定试点建设方案和评审标准，组建评委会，组织评审",
        city_hrss_duties="授予自主评审权，指导和监督评审工作", city_education_duties="指导课程体系和实践教学",
        enterprise_duties="提供实习岗位和企业导师", signed_on=date(2024, 5, 10),
        signed_copy=_pdf("共建协议", "共建协议签署件"))
    app = services.forward_to_province(application=app, actor=city_hrss, comment="经审定，同意上报")
    reviewers = [e for e in experts if e.title_level in ("senior", "deputy_senior")][:3]
    app = _expert_review(app, prov_edu, prov_hrss, reviewers)
    app = services.recognise(application=app, actor=prov_edu, office="provincial_education", decision="recognise")
    app = services.recognise(application=app, actor=prov_hrss, office="provincial_hrss", decision="recognise")
    app = services.grant_authority(application=app, actor=city_hrss, majors=[m[0] for m in MAJORS],
                                   levels=["technician", "assistant_engineer", "engineer"], from_year=2024)
    if evaluation_selectors.current_version(school.pk) is None:  # evaluation.demo publishes 安徽工业大学's
        publish_standard(institution=school, data=DEFAULT_STANDARD.to_dict(), actor=staff, note="演示：采用附件2基本条件")
    committee = services.create_committee(institution=school, actor=staff, values={
        "name": committee_name, "level": "intermediate", "talent_pool": "试点专业应届毕业生约2200人，每年申报约600人",
        "method": "对照自主评审标准条件评定，评委会无记名投票，同意票达到出席评委2/3以上为通过",
        "standard": f"{school.name}产业工程师中初级职称自主评审标准条件（不低于附件2基本条件）"})
    services.set_members(committee=committee, actor=staff, members=[
        {"expert": e, "is_chair": i == 0, "term_start": date(2024, 9, 1), "term_end": date(2027, 8, 31)}
        for i, e in enumerate(experts[:7])])
    # Filed and approved when its members' terms began (September 2024), so that its 核准备案 covers the 2025
    # round and its meeting (evaluation.rounds.demo) and runs to 2027-08-31.
    committee = services.file_committee(committee=committee, actor=staff, today=date(2024, 8, 26))
    services.review_committee(committee=committee, actor=filing_officer(committee), decision="approve",
                              today=date(2024, 9, 1))
    return committee


def load_demo(stdout):
    User = get_user_model()
    experts = _pool()
    staff = User.objects.get(username="univ")
    city_hrss, city_edu = User.objects.get(username="city_hrss"), User.objects.get(username="city_edu")
    prov_edu, prov_hrss = User.objects.get(username="prov_edu"), User.objects.get(username="prov_hrss")

    ahut = Institution.objects.get(name="安徽工业大学")
    if not PilotApplication.objects.filter(institution=ahut).exists():
        authorise(ahut, staff, city_hrss=city_hrss, city_edu=city_edu, experts=experts, industry="新能源汽车",
                  leader="李建华", partners=[("马鞍山钢铁股份有限公司", "钢铁冶金"), ("奇瑞汽车股份有限公司", "新能源汽车"),
                                           ("安徽江淮汽车集团股份有限公司", "新能源汽车")],
                  committee_name="安徽工业大学产业工程师中级职称评审委员会")
        # 安徽工业大学 is 省属: its committee files with the provincial HRSS (附件2 二(三)), carrying the school's
        # standard published by evaluation.demo.
        stdout.write("  试点：安徽工业大学 已授予职称自主评审权，评委会已由省人社厅核准备案")

    # Three schools of 合肥 authorised the same way, so that the rounds demo (evaluation.rounds.demo_stages) can show
    # a round of this year at each stage; their committees sit the same pool, each under another chair.
    hefei_hrss = _user("city_hrss_hefei", "周科长（合肥市人社局）", Role.CITY_HRSS, city_id="3401")
    hefei_edu = _user("city_edu_hefei", "冯科长（合肥市教育局）", Role.CITY_EDUCATION, city_id="3401")
    for name, username, clerk, chair in STAGE_SCHOOLS:
        school = Institution.objects.get(name=name)
        school_staff = _user(username, clerk, Role.UNIVERSITY_STAFF, institution=school)
        if not PilotApplication.objects.filter(institution=school).exists():
            authorise(school, school_staff, city_hrss=hefei_hrss, city_edu=hefei_edu, experts=experts[chair:] +
                      experts[:chair], industry="智能制造", leader="陈志远",
                      partners=[("安徽江淮汽车集团股份有限公司", "新能源汽车"), ("合肥京东方光电科技有限公司", "新型显示")],
                      committee_name=f"{name}产业工程师中级职称评审委员会")
            stdout.write(f"  试点：{name} 已授予职称自主评审权，评委会已核准备案（{username}）")

    mas = Institution.objects.get(name="马鞍山学院")
    mas_staff = _user("univ_mas", "周经办（马鞍山学院）", Role.UNIVERSITY_STAFF, institution=mas)
    if not PilotApplication.objects.filter(institution=mas).exists():
        app = services.start_application(institution=mas, actor=mas_staff)
        app = _fill(app, mas_staff, industry="智能制造", leader="王海", majors=[
            ("机械设计制造及其自动化", 2014, 640, 2500, 820), ("电气工程及其自动化", 2015, 520, 2480, 760)],
            partners=[("马鞍山钢铁股份有限公司", "钢铁冶金"), ("安徽马钢智能装备有限公司", "智能制造")])
        services.submit(application=app, actor=mas_staff)
        stdout.write("  试点：马鞍山学院 已提交立项申请表，待市人社局、市教育局审核（univ_mas）")

    # 安徽工程大学 (芜湖, 省属): at the province, its expert group proposed by 省教育厅 and confirmed by 省人社厅 — the
    # experts pool_3 (组长), pool_4 and pool_5 can sign in and review right away.
    ahpu = Institution.objects.get(name="安徽工程大学")
    ahpu_staff = _user("univ_ahpu", "吴经办（安徽工程大学）", Role.UNIVERSITY_STAFF, institution=ahpu)
    wuhu_hrss = _user("city_hrss_wuhu", "孙科长（芜湖市人社局）", Role.CITY_HRSS, city_id="3402")
    wuhu_edu = _user("city_edu_wuhu", "李科长（芜湖市教育局）", Role.CITY_EDUCATION, city_id="3402")
    if not PilotApplication.objects.filter(institution=ahpu).exists():
        app = services.start_application(institution=ahpu, actor=ahpu_staff)
        app = _fill(app, ahpu_staff, industry="数字经济", leader="陈立", majors=[
            ("计算机科学与技术", 2002, 900, 2560, 820), ("机器人工程", 2019, 300, 2500, 800)],
            partners=[("科大讯飞股份有限公司", "数字经济"), ("埃夫特智能装备股份有限公司", "智能制造")])
        app = services.submit(application=app, actor=ahpu_staff)
        app = services.city_review(application=app, actor=wuhu_hrss, office="city_hrss", decision="approve")
        app = services.city_review(application=app, actor=wuhu_edu, office="city_education", decision="approve")
        app = services.record_agreement(
            application=app, actor=wuhu_hrss, school_duties="制定试点建设方案和评审标准，组建评委会，组织评审",
            city_hrss_duties="授予自主评审权，指导和监督评审工作", city_education_duties="指导课程体系和实践教学",
            enterprise_duties="提供实习岗位和企业导师", signed_on=date(2025, 4, 18),
            signed_copy=_pdf("共建协议", "共建协议签署件"))
        app = services.forward_to_province(application=app, actor=wuhu_edu, comment="经审定，同意上报")
        group = services.propose_group(application=app, actor=prov_edu, experts=experts[2:5], leader=experts[2])
        services.confirm_group(group=group, actor=prov_hrss)
        stdout.write("  试点：安徽工程大学 已报省教育厅，论证专家组已确认（pool_3 组长、pool_4、pool_5 可登录论证）")
