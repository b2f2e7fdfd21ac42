"""The student's what-if panel: achievements they might still earn, and the level they would reach.

The options are built from the standard actually applied to the student — their school's standard in force,
or 附件2's baseline (issue 15 §15): a school that asks for the top 25 % offers "前25%", never only the
default thresholds. Each option shows the student's real value beside it ("目前：前38%"). Nothing is saved:
the options are applied to a copy of the profile and the engine is asked again under the same standard.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluation.rules import (
    CompetitionAward,
    Employment,
    InnovationProject,
    Paper,
    Patent,
    SkillCertificate,
    evaluate,
)
from evaluation.rules.clauses import (
    AWARD_LEVEL_NAMES,
    AWARD_ORDER,
    DESIGN_NAMES,
    DESIGN_ORDER,
    SKILL_LEVEL_NAMES,
)

GROUPS = {
    "practice": gettext_lazy("实习实践"), "study": gettext_lazy("学业"), "award": gettext_lazy("竞赛"),
    "skill": gettext_lazy("职业技能等级证书"), "patent": gettext_lazy("专利"), "project": gettext_lazy("大创项目"),
    "paper": gettext_lazy("论文"), "employment": gettext_lazy("就业"),
}


@dataclass(frozen=True)
class Option:
    key: str
    group: str
    label: str
    current: str  # the student's real value, shown beside the hypothesis
    change: Callable


def _num(x):
    return f"{x:g}"


def _add(pool, item):
    return lambda p: replace(p, **{pool: getattr(p, pool) + (item,)})


def _at_least(name, value):
    return lambda p: replace(p, **{name: max(getattr(p, name) or 0, value)})


def _rank_within(value):
    return lambda p: replace(p, major_rank_percent=value if p.major_rank_percent is None
                             else min(p.major_rank_percent, value))


def _design(grade):
    def apply(p):
        if p.design_grade is None or DESIGN_ORDER[p.design_grade] < DESIGN_ORDER[grade]:
            return replace(p, design_grade=grade)
        return p

    return apply


def _employed(p):
    return replace(p, employment=Employment(True, True, True))


def _distinct(values):
    return sorted({v for v in values if v is not None})


def options(standard, profile):
    """The options of the panel, in order, each at a threshold the standard ``standard`` actually uses."""
    paths, levels = standard.paths, standard.levels
    out = []

    def add(key, group, label, current, change):
        if all(o.key != key for o in out):
            out.append(Option(key, group, label, current, change))

    months = _num(profile.practice_months)
    for m in _distinct(p.practice_months or None for p in paths):
        add(f"practice_{_num(m)}", "practice", _("企业实习实践累计达到%(n)s个月") % {"n": _num(m)},
            _("目前%(n)s个月") % {"n": months}, _at_least("practice_months", float(m)))
    rank = (_("目前为专业前%(p)s%%") % {"p": _num(profile.major_rank_percent)}
            if profile.major_rank_percent is not None else _("目前未填报排名"))
    for r in sorted(_distinct(p.rank_percent_max for p in paths), reverse=True):
        add(f"rank_{_num(r)}", "study", _("平均学分绩点排名进入专业前%(p)s%%") % {"p": _num(r)}, rank,
            _rank_within(float(r)))
    design = (_("目前%(g)s") % {"g": DESIGN_NAMES[profile.design_grade]} if profile.design_grade
              else _("目前未填报"))
    for g in sorted(_distinct(p.design_min_grade for p in paths), key=DESIGN_ORDER.get):
        add(f"design_{g}", "study", _("毕业设计成绩%(g)s") % {"g": DESIGN_NAMES[g]}, design, _design(g))
    ncre = _("目前%(n)s级") % {"n": profile.ncre_level} if profile.ncre_level else _("目前未通过")
    for n in _distinct(p.ncre_min_level for p in paths):
        add(f"ncre_{n}", "study", _("通过全国计算机等级考试%(n)s级") % {"n": n}, ncre, _at_least("ncre_level", n))
    awards = _("目前已登记%(n)d项") % {"n": len(profile.competition_awards)}
    award_levels = sorted({lv.competition_min_level for lv in levels}, key=AWARD_ORDER.get)
    for level in award_levels:
        add(f"award_{level}", "award", _("获得%(l)s学科竞赛奖项（非第1名）") % {"l": AWARD_LEVEL_NAMES[level]}, awards,
            _add("competition_awards", CompetitionAward(level, 2)))
    for rank_max in _distinct(p.competition_max_rank for p in paths):
        level = award_levels[-1]
        add(f"award_{level}_first" if rank_max == 1 else f"award_{level}_top{rank_max}", "award",
            _("获得%(l)s学科竞赛奖项（排名第%(r)d）") % {"l": AWARD_LEVEL_NAMES[level], "r": rank_max}, awards,
            _add("competition_awards", CompetitionAward(level, rank_max)))
    skills = _("目前已登记%(n)d本") % {"n": len(profile.skill_certificates)}
    for s in sorted({lv.skill_min_level for lv in levels}, reverse=True):
        add(f"skill_{s}", "skill", _("取得%(l)s证书") % {"l": SKILL_LEVEL_NAMES[s]}, skills,
            _add("skill_certificates", SkillCertificate(s)))
    patents = _("目前已登记%(n)d项") % {"n": len(profile.patents)}
    if any(p.software_copyright for p in paths):
        add("software", "patent", _("取得软件著作权"), patents, _add("patents", Patent("software_copyright", 1)))
    for r in _distinct(p.utility_model_max_rank for p in paths):
        add(f"utility_{r}", "patent", _("实用新型专利（排名第%(r)d）") % {"r": r}, patents,
            _add("patents", Patent("utility_model", r)))
    for r in _distinct(p.invention_max_rank for p in paths):
        add(f"invention_{r}", "patent", _("发明专利（排名第%(r)d）") % {"r": r}, patents,
            _add("patents", Patent("invention", r)))
    projects = _("目前已登记%(n)d项") % {"n": len(profile.innovation_projects)}
    for p in sorted((p for p in paths if p.project_min_level), key=lambda p: AWARD_ORDER[p.project_min_level]):
        role = "leader" if p.project_leader else "member"
        add(f"project_{p.project_min_level}", "project",
            _("%(l)s大创项目结题（%(r)s）") % {"l": AWARD_LEVEL_NAMES[p.project_min_level],
                                          "r": _("负责人") if role == "leader" else _("成员")},
            projects, _add("innovation_projects", InnovationProject(p.project_min_level, role, True)))
    if any(p.paper_first_author for p in paths):
        add("paper_first", "paper", _("以第一作者发表相关专业领域论文"),
            _("目前已登记%(n)d篇") % {"n": len(profile.papers)}, _add("papers", Paper(True)))
    employed = profile.employment is not None and all(
        (profile.employment.in_province, profile.employment.tripartite_agreement,
         profile.employment.on_duty))
    add("employed", "employment", _("在省内企业就业、签订三方协议并到岗"),
        _("目前已具备") if employed else _("目前未具备"), _employed)
    return out


def groups(standard, profile):
    """[(group label, [Option, …])] in order."""
    out = []
    for option in options(standard, profile):
        label = GROUPS[option.group]
        if not out or out[-1][0] != label:
            out.append((label, []))
        out[-1][1].append(option)
    return out


def keys(standard, profile):
    return {o.key for o in options(standard, profile)}


def apply(profile, chosen, standard):
    for option in options(standard, profile):
        if option.key in chosen:
            profile = option.change(profile)
    return profile


def what_if(profile, chosen, standard):
    """The verdict the profile would get with the chosen options added (the engine's "目前" then describes
    the hypothesis; ``hypothetical`` words it so)."""
    return evaluate(apply(profile, set(chosen), standard), standard)


def hypothetical(message):
    """An engine message about the hypothetical profile: "（目前为前30%）" becomes "（假设为前30%）"."""
    return str(message).replace("（目前为", "（假设为")
