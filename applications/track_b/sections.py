"""The sections of 附件3 and 附件4 as the registrar fills them, with the notice's own headings."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    annex: str
    title: str
    hint: str = ""


SECTIONS = (
    Section("basic", "3", _("一、基本信息")),
    Section("majors", "3", _("二、专业名称及申报开展职业技能等级认定的职业（工种）"),
            _("职业从《中华人民共和国职业分类大典（2022年版）》技能类职业中选择；工种无则填“--”。")),
    Section("regulations", "3", _("三、规章制度文件和质量管控文件（填写目录，文件另附）")),
    Section("advantages", "3", _("四、院校重点专业范围及具备的组织优势、专业优势等")),
    Section("venues", "3", _("五、场地设备等情况")),
    Section("staff", "3", _("六、人员情况（一）专职工作人员情况"),
            _("技术技能水平证明复印件另附（在“相关材料”中上传）。")),
    Section("experts", "3", _("六、人员情况（二）专家情况"), _("非本单位人员，应明确所在工作单位。")),
    Section("examiners", "3", _("六、人员情况（三）具备资格条件的考评人员情况"),
            _("非本单位人员，应明确所在工作单位。")),
    Section("other", "3", _("七、其他情况；申报单位负责人意见")),
    Section("attachments", "3", _("相关材料（技术技能水平证明复印件等）"),
            _("每个文件不超过10MB，接受 PDF、JPG、PNG、DOC、DOCX。")),
    Section("standards", "4", _("附件4 四、科目设置和成绩合格标准"),
            _("每个申报职业（工种）至少设定一个考核科目及其合格分数（满分100分）。考务场次的合格标准只取自这里，"
              "不能按场次或考生修改。")),
    Section("plan", "4", _("附件4 职业技能等级认定实施方案")),
)
BY_KEY = {s.key: s for s in SECTIONS}
KEYS = tuple(s.key for s in SECTIONS)


def next_key(key):
    i = KEYS.index(key)
    return KEYS[i + 1] if i + 1 < len(KEYS) else None
