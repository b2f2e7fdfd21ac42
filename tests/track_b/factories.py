"""Builders for Track B tests: reference data, the expert pool, and cases in any state (through the services)."""

from django.core.management import call_command

from applications.track_b import services
from applications.track_b.demo import fake_ric, fill_content
from applications.track_b.models import FilingCodeCounter, FilingState, TrainingTarget
from portal.models import City, ExpertProfile, Occupation, Role
from tests.conftest import make_user

NEV = "4-12-01-01"      # 汽车维修工
ELECTRICIAN = "6-31-01-03"  # 电工
ROBOT = "6-31-07-03"    # 工业机器人系统操作员


def ensure_reference_data():
    """Migrations load cities and occupations; a transactional test's flush removes them — load them again."""
    if not City.objects.filter(code="3405").exists():
        call_command("loaddata", "cities", verbosity=0)
    if not Occupation.objects.filter(code=ELECTRICIAN).exists():
        call_command("loaddata", "occupations", verbosity=0)
    FilingCodeCounter.objects.get_or_create(pk="34", defaults={"last_sequence": 0})


def occ(code):
    return Occupation.objects.get(code=code)


def make_expert(username, *, institution=None, organisation="", id_seq="900", title="教授"):
    user = make_user(username, Role.EXPERT, institution=institution, organisation=organisation)
    ExpertProfile.objects.create(user=user, title=title, title_level="senior", specialty="智能制造",
                                 education="博士研究生", id_number=fake_ric("340104", "19700101", id_seq))
    return user


def pool(w):
    """world.expert (employed by other_inst) plus three experts of companies; cached on the world."""
    if getattr(w, "_pool", None) is None:
        if not ExpertProfile.objects.filter(user=w.expert).exists():
            ExpertProfile.objects.create(user=w.expert, title="教授", title_level="senior", specialty="电气",
                                         id_number=fake_ric("340202", "19700101", "899"))
        w.ext_a = make_expert("ext_a", organisation="奇瑞汽车股份有限公司", id_seq="901")
        w.ext_b = make_expert("ext_b", organisation="安徽江淮汽车集团股份有限公司", id_seq="902")
        w.ext_c = make_expert("ext_c", organisation="科大讯飞股份有限公司", id_seq="903")
        w._pool = True
    return w


def authority_of(w, inst):
    return w.city_hrss if inst == w.inst else w.other_city_hrss


def staff_of(w, inst):
    return w.staff if inst == w.inst else w.other_staff


def panel_of(w, inst):
    """Leader first. For ``inst`` the matrix's expert (world.expert) leads; other_inst employs them (回避)."""
    pool(w)
    return [w.expert, w.ext_a, w.ext_b] if inst == w.inst else [w.ext_a, w.ext_b, w.ext_c]


def new_case(w, inst=None, *, complete=True, codes=(NEV, ELECTRICIAN)):
    inst = inst or w.inst
    app, _created = services.create_application(user=staff_of(w, inst), institution=inst)
    if complete:
        app = fill_content(app, majors=[(f"专业{i}", occ(c)) for i, c in enumerate(codes, 1)])
    return app


REPORT = {"evaluated_on": "2026-11-20", "organisation": "专家组3人，材料审查与实地查看。", "basic": "基本情况良好。",
          "courses": "课程设置符合国家职业标准。", "occupations_text": "职业对应准确。", "opinion": "同意备案。"}


def case_in(w, state, inst=None, *, targets=None):
    """A case of ``inst`` (default world.inst) driven to ``state`` by the people who would act."""
    inst = inst or w.inst
    staff, official = staff_of(w, inst), authority_of(w, inst)
    app = new_case(w, inst)
    if state == FilingState.DRAFT:
        return app
    app = services.submit(app, user=staff)
    if state == FilingState.SUBMITTED:
        return app
    if state == FilingState.WITHDRAWN:
        return services.withdraw(app, user=staff)
    if state == FilingState.RETURNED:
        return services.return_for_revision(app, user=official, reasons="请补充考评人员证书。")
    app = services.accept(app, user=official)
    if state == FilingState.ACCEPTED:
        return app
    panel = panel_of(w, inst)
    app = services.assign_panel(app, user=official, expert_ids=[u.pk for u in panel], leader_id=panel[0].pk)
    if state == FilingState.UNDER_EVALUATION:
        return app
    targets = targets or {o.pk: TrainingTarget.SENIOR for o in services.applied_occupations(app)}
    report, _cleared = services.save_report(app, user=panel[0], fields=dict(REPORT), conclusions=targets)
    for expert in panel:
        app = services.sign_report(app, user=expert, expected_version=report.version)
    if state == FilingState.REPORT_SIGNED:
        return app
    if state == FilingState.NOT_FILED:
        return services.refuse_filing(app, user=official, reasons="考评人员不足。")
    levels = {pk: max(3, t) for pk, t in targets.items() if t}
    return services.file_application(app, user=official, levels=levels, opinion="同意备案。")
