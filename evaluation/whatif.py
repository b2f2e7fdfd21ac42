"""The student's what-if panel: achievements they might still earn, and the level they would reach.

Nothing is saved: the options are applied to a copy of the student's profile and the engine is asked
again under their school's standard in force.
"""

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from evaluation.rules import (
    CompetitionAward,
    Employment,
    InnovationProject,
    Paper,
    Patent,
    SkillCertificate,
    evaluate,
)


def _add(pool, item):
    return lambda p: replace(p, **{pool: getattr(p, pool) + (item,)})


def _at_least(name, value):
    return lambda p: replace(p, **{name: max(getattr(p, name) or 0, value)})


def _rank_within(value):
    return lambda p: replace(p, major_rank_percent=value if p.major_rank_percent is None
                             else min(p.major_rank_percent, value))


def _design(grade, order=("fail", "pass", "medium", "good", "excellent")):
    def apply(p):
        current = p.design_grade
        if current is None or order.index(current) < order.index(grade):
            return replace(p, design_grade=grade)
        return p

    return apply


def _employed(p):
    return replace(p, employment=Employment(True, True, True))


#: (key, group, Chinese label, change) — the groups are the headings of the panel.
OPTIONS = (
    ("practice_4", _("实习实践"), _("企业实习实践累计达到4个月"), _at_least("practice_months", 4.0)),
    ("practice_12", _("实习实践"), _("企业实习实践累计达到12个月"), _at_least("practice_months", 12.0)),
    ("rank_50", _("学业"), _("平均学分绩点排名进入专业前50%"), _rank_within(50.0)),
    ("rank_30", _("学业"), _("平均学分绩点排名进入专业前30%"), _rank_within(30.0)),
    ("design_good", _("学业"), _("毕业设计成绩良好"), _design("good")),
    ("design_excellent", _("学业"), _("毕业设计成绩优秀"), _design("excellent")),
    ("ncre_2", _("学业"), _("通过全国计算机等级考试二级"), _at_least("ncre_level", 2)),
    ("ncre_3", _("学业"), _("通过全国计算机等级考试三级"), _at_least("ncre_level", 3)),
    ("award_school", _("竞赛"), _("获得校级学科竞赛奖项"), _add("competition_awards", CompetitionAward("school", 2))),
    ("award_provincial", _("竞赛"), _("获得省级学科竞赛奖项（非第1名）"),
     _add("competition_awards", CompetitionAward("provincial", 2))),
    ("award_provincial_first", _("竞赛"), _("获得省级学科竞赛奖项（排名第1）"),
     _add("competition_awards", CompetitionAward("provincial", 1))),
    ("skill_5", _("职业技能等级证书"), _("取得五级/初级工证书"), _add("skill_certificates", SkillCertificate(5))),
    ("skill_4", _("职业技能等级证书"), _("取得四级/中级工证书"), _add("skill_certificates", SkillCertificate(4))),
    ("skill_3", _("职业技能等级证书"), _("取得三级/高级工证书"), _add("skill_certificates", SkillCertificate(3))),
    ("software", _("专利"), _("取得软件著作权"), _add("patents", Patent("software_copyright", 1))),
    ("utility_1", _("专利"), _("实用新型专利（排名第1）"), _add("patents", Patent("utility_model", 1))),
    ("invention_2", _("专利"), _("发明专利（排名第2）"), _add("patents", Patent("invention", 2))),
    ("project_school", _("大创项目"), _("校级大创项目结题（成员）"),
     _add("innovation_projects", InnovationProject("school", "member", True))),
    ("project_provincial", _("大创项目"), _("省级大创项目结题（负责人）"),
     _add("innovation_projects", InnovationProject("provincial", "leader", True))),
    ("project_national", _("大创项目"), _("国家级大创项目结题（负责人）"),
     _add("innovation_projects", InnovationProject("national", "leader", True))),
    ("paper_first", _("论文"), _("以第一作者发表相关专业领域论文"), _add("papers", Paper(True))),
    ("employed", _("就业"), _("在省内企业就业、签订三方协议并到岗"), _employed),
)
KEYS = tuple(o[0] for o in OPTIONS)
_CHANGE = {o[0]: o[3] for o in OPTIONS}


def groups():
    """[(group label, [(key, label), …])] in order."""
    out = []
    for key, group, label, _change in OPTIONS:
        if not out or out[-1][0] != group:
            out.append((group, []))
        out[-1][1].append((key, label))
    return out


def apply(profile, keys):
    for key in KEYS:
        if key in keys:
            profile = _CHANGE[key](profile)
    return profile


def what_if(profile, keys, standard):
    """The verdict the profile would get with the chosen options added."""
    return evaluate(apply(profile, set(keys)), standard)
