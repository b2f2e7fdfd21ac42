"""附件1 in sections: what each section holds, whether it is complete (the checklist), and the frozen snapshot
of a submission with the differences between two snapshots (what changed after a return)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.track_a import rules
from applications.track_a.models import PilotApplication

BASIC = ["unit_name", "industry_field", "founded_on", "independent", "venue", "management_bodies"]
LEADER = ["leader_name", "leader_political_status", "leader_party_post", "leader_education", "leader_degree",
          "leader_title", "leader_years", "leader_office_phone", "leader_mobile", "leader_duties",
          "leader_experience", "leader_cooperation"]
TEACHER_COUNTS = ["teachers_total", "teachers_senior", "teachers_deputy_senior", "teachers_intermediate_or_below",
                  "teachers_enterprise", "teachers_school", "teachers_enterprise_background"]
STUDENT_COUNTS = ["students_total", "students_undergraduate", "students_master", "students_doctoral",
                  "students_other"]
CONDITIONS = ["basis_teaching", "basis_curriculum", "basis_competition", "basis_practice", "basis_team",
              "basis_funding"]
PLAN = ["plan_file", "plan_industry", "plan_start_year", "plan_end_year", "plan_bases", "plan_platforms",
        "plan_funding", "plan_summary"]
SIGNOFF = ["leader_attested", "leader_signature", "leader_signed_on", "school_opinion", "president_name",
           "school_signed_on", "partner_opinion"]

# key, title (as in 附件1), model fields edited on the section page (rows sections have none)
SECTIONS = [
    ("basic", gettext_lazy("一、基本情况"), BASIC),
    ("majors", gettext_lazy("拟开展试点专业基本信息"), []),
    ("partners", gettext_lazy("合作共建企业(单位)基本信息"), []),
    ("leader", gettext_lazy("负责人基本信息"), LEADER),
    ("people", gettext_lazy("教师基本信息、生师比、学生基本信息"), TEACHER_COUNTS + STUDENT_COUNTS),
    ("teachers", gettext_lazy("专任教师简表"), []),
    ("cooperation", gettext_lazy("二、与企业达成的合作事项或协议"), ["cooperation"]),
    ("conditions", gettext_lazy("三、基本条件"), CONDITIONS),
    ("plan", gettext_lazy("试点建设方案"), PLAN),
    ("signoff", gettext_lazy("四、审核意见"), SIGNOFF),
]
SECTION_KEYS = [key for key, _title, _fields in SECTIONS]
SECTION_TITLES = {key: title for key, title, _fields in SECTIONS}
SECTION_FIELDS = {key: fields for key, _title, fields in SECTIONS}
OPTIONAL = {"leader_party_post", "leader_degree", "leader_office_phone", "students_master", "students_doctoral",
            "students_other"}


def label(name):
    return str(PilotApplication._meta.get_field(name).verbose_name)


def _blank(name, value):
    if name == "leader_attested":  # the attestation must be given; 独立设置 “否” is an answer
        return value is not True
    return value is None or value == "" or (hasattr(value, "name") and not value)


@dataclass
class Check:
    key: str
    title: str
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems


def checklist(app, *, majors, partners, teachers, documents):
    """One ``Check`` per section: what is still missing or wrong before the school can submit."""
    checks = []
    for key, title, fields in SECTIONS:
        check = Check(key, str(title))
        missing = [label(f) for f in fields if f not in OPTIONAL and _blank(f, getattr(app, f))]
        if missing:
            check.problems.append(_("未填写：%s") % "、".join(missing))
        if key == "majors":
            if not majors:
                check.problems.append(_("至少填写一个试点专业。"))
            for m in majors:
                if m.practice_ok is None:  # unknown is never met: no total hours, no ratio to check
                    check.problems.append(
                        _("%(name)s未填写总学时或实践教学学时，无法核对实践教学学时不低于30%%（通知 三(一)1(2)）。")
                        % {"name": m.name})
                elif m.practice_ok is False:
                    check.problems.append(
                        _("%(name)s实践教学学时占总学时%(p)s%%，低于30%%（通知 三(一)1(2)）。")
                        % {"name": m.name, "p": m.practice_percent})
            if majors and app.students_total is not None and sum(m.students for m in majors) > app.students_total:
                check.problems.append(_("试点专业在读学生之和超过学生总人数。"))
        elif key == "partners":
            if not partners:
                check.problems.append(_("至少填写一个合作企业(单位)。"))
            if len(partners) > rules.MAX_PARTNERS:
                check.problems.append(_("合作企业(单位)限填5个。"))
        elif key == "people":
            check.problems.extend(message for _field, message in app.count_problems())
        elif key == "teachers":
            if not teachers:
                check.problems.append(_("至少填写一名专任教师。"))
        elif key == "cooperation":
            if not documents:
                check.problems.append(_("请上传与企业签订的合作协议等附件。"))
        checks.append(check)
    return checks


# --- snapshot and diff ---------------------------------------------------------------------------------------------

def _display(app, name):
    f = PilotApplication._meta.get_field(name)
    value = getattr(app, name)
    if value is None or value == "":
        return ""
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if f.get_internal_type() == "FileField":
        return value.name.rsplit("/", 1)[-1] if value else ""
    return str(value)


def snapshot(app, *, majors, partners, teachers, documents):
    """The application as submitted: [{"title": …, "items": [[label, value], …]}, …] (JSON-ready)."""
    sections = []
    for key, title, fields in SECTIONS:
        items = [[label(f), _display(app, f)] for f in fields]
        if key == "people":
            items += [[f"{name} · {_('占总人数比例')}", f"{p}%" if p is not None else ""]
                      for name, _n, p in app.teacher_ratios[1:] + app.student_ratios[1:]]
            items.append([_("生师比"), app.student_teacher_ratio or ""])
        if key == "majors":
            for m in majors:
                prefix = f"{m.name}"
                items += [[f"{prefix} · {_('开设时间')}", str(m.opened_year)],
                          [f"{prefix} · {_('在读学生总数')}", str(m.students)],
                          [f"{prefix} · {_('专业人才培养方案总学时')}", str(m.total_hours)],
                          [f"{prefix} · {_('实践教学学时')}", str(m.practice_hours)],
                          [f"{prefix} · {_('实践教学学时占总学时比例')}",
                           f"{m.practice_percent}%" + ("" if m.practice_ok else _("（低于30%）"))]]
        elif key == "partners":
            items += [[f"{_('合作企业(单位)')} {p.position}", f"{p.name}（{p.industry_type}）"] for p in partners]
        elif key == "teachers":
            items += [[f"{_('专任教师')} {t.position}",
                       "，".join(str(v) for v in (t.name, t.age, t.get_source_display(), t.title, t.post, t.duties)
                                if v not in ("", None))] for t in teachers]
        elif key == "cooperation":
            items += [[_("附件"), d.title] for d in documents]
        sections.append({"key": key, "title": str(title), "items": items})
    return {"sections": sections}


def _flatten(snap):
    flat = {}
    for section in (snap or {}).get("sections", []):
        for item_label, value in section["items"]:
            key = f"{section['title']} › {item_label}"
            flat[key] = f"{flat[key]}；{value}" if key in flat else value
    return flat


def diff(old, new):
    """[(where, old value, new value)] for every item that differs between two snapshots."""
    a, b = _flatten(old), _flatten(new)
    return [(key, a.get(key, ""), b.get(key, "")) for key in list(dict.fromkeys([*a, *b]))
            if a.get(key, "") != b.get(key, "")]
