"""The columns of a transcript file: the template's, their aliases, and the 学信网 layout.

Two sets of columns are recognised:

* ``COLUMNS`` — the template's columns, one per ``Graduate`` field (plus 院校名称), with the Chinese
  headers of a registrar's own system and English aliases;
* ``SOURCE_COLUMNS`` — columns of the 学信网 学籍/毕业生 data layout that are not ``Graduate`` fields but
  from which one is derived: 预计毕业日期/毕业日期 (YJBYRQ/BYRQ) give 毕业年份, 毕结业结论 (BJYJL) gives
  是否取得毕业证, 出生日期 (CSRQ) is checked against the ID number.

The 学信网 pinyin abbreviations (KSH, XH, XM, XB, CSRQ, SFZH, ZYDM, ZYMC, CC, XZ, XXXS, RXRQ, YJBYRQ, BYRQ,
BJYJL, ZSBH, FY, BH) are accepted in any case. Those without a use here (KSH 考生号, ZYDM 专业代码, XZ 学制,
XXXS 学习形式, RXRQ 入学日期, FY 分院, BH 班号) are listed in the preview as ignored, like any unknown column.
The 学信网 file has no 学位 and none of the 一(四)/一(六) facts: they come from a second file (a supplement)
joined on 学号 or 身份证号 — a degree is never inferred from a diploma.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str  # the Graduate field (or "institution", or a source column's key)
    header: str  # the Chinese header of the template
    aliases: tuple[str, ...] = ()
    required: bool = False
    example: str = ""
    help: str = ""
    allowed: str = ""  # the allowed values, as the template's second sheet explains them


COLUMNS: tuple[Column, ...] = (
    Column("institution", "院校名称", ("学校名称", "院校", "学校", "institution", "school"),
           example="安徽工业大学", help="可留空（默认本校）；系统管理员导入时须填写院校全称或统一社会信用代码",
           allowed="院校全称或统一社会信用代码"),
    Column("student_number", "学号", ("学生学号", "学生编号", "XH", "student_number", "student_no", "student_id"), True,
           "2021001001", "本校学号", "字母、数字、“-”“_”，不超过32位"),
    Column("name", "姓名", ("学生姓名", "XM", "name"), True, "张明", "", "不超过50个字符"),
    Column("gender", "性别", ("XB", "gender", "sex"), True, "男", "男/女", "男、女（或 1 男、2 女）"),
    Column("id_number", "身份证号", ("公民身份号码", "身份证号码", "身份证件号码", "证件号码", "SFZH", "id_number", "id_card",
                                 "id_no"), True, "340504200301011239", "18位，末位可为X；请将该列设为文本格式",
           "18位公民身份号码；请将该列设为“文本”格式，否则 Excel/WPS 会把它变成科学计数法数字"),
    Column("graduation_year", "毕业年份", ("毕业年度", "毕业届别", "届别", "BYNF", "graduation_year", "year"), True, "2025",
           "无此列时取导入页面所选的毕业年份，或由“预计毕业日期/毕业日期”得出", "四位年份，如 2025"),
    Column("degree_level", "学历层次", ("培养层次", "学历", "层次", "CC", "degree", "degree_level"), True, "本科",
           "博士研究生/硕士研究生/本科/专科", "博士研究生、硕士研究生、本科、专科（高职）"),
    Column("major", "专业", ("专业名称", "所学专业", "ZYMC", "major"), True, "车辆工程", "", "不超过100个字符"),
    Column("pilot_major", "是否试点专业", ("试点专业", "pilot_major"), example="是",
           help="是/否，留空为否；没有此列时按学校获授权的试点专业判断",
           allowed="是、否"),
    Column("has_diploma", "是否取得毕业证", ("取得毕业证", "毕业证", "has_diploma"), example="是", help="是/否，留空为否",
           allowed="是、否；学信网文件由“毕结业结论”得出"),
    Column("diploma_number", "毕业证书编号", ("毕业证号", "毕业证编号", "证书编号", "ZSBH", "diploma_number"),
           example="103601202505000123", help="2002年起为18位：院校代码5位+办学类型1位+年份4位+培养层次2位+序号6位",
           allowed="字母和数字，不超过32位；请设为文本格式"),
    Column("has_degree", "是否取得学位证", ("取得学位证", "学位证", "has_degree"), example="是",
           help="是/否，留空为否；专科不授予学位", allowed="是、否（专科只能为否）"),
    Column("degree_number", "学位证书编号", ("学位证号", "学位证编号", "degree_number"), example="1036042025000123",
           allowed="字母和数字，不超过32位；请设为文本格式"),
    Column("practice_months", "企业实践累计月数", ("企业实习实践累计时间（月）", "实习实践月数", "企业实践月数",
                                          "实践月数", "practice_months"), example="6",
           help="在校期间深入企业实习实践训练时间累计，单位为月，最多1位小数", allowed="0–120，最多1位小数"),
    Column("major_rank_percent", "专业排名百分比", ("平均学分绩点专业排名", "绩点专业排名", "专业排名（%）",
                                          "专业排名", "major_rank_percent", "rank_percent"), example="25",
           help="平均学分绩点在本专业的排名百分比，25 表示前25%；留空为未知", allowed="大于0且不超过100，最多2位小数"),
    Column("design_grade", "毕业设计成绩", ("毕业设计（论文）成绩", "毕业论文成绩", "design_grade"), example="良好",
           help="优秀/良好/中等/及格/不及格", allowed="优秀、良好、中等、及格、不及格，或留空"),
    Column("ncre_level", "全国计算机等级", ("计算机等级", "ncre_level", "ncre"), example="2", help="0-4，0 或留空表示未通过",
           allowed="0–4"),
    Column("conduct_ok", "思想政治条件", ("思想政治", "conduct_ok"), example="合格",
           help="合格/不合格；留空为未提供（不能参评）", allowed="合格、不合格，或留空（未提供）"),
    Column("assessment", "年度综合考核", ("综合考核", "年度考核", "assessment"), example="良好",
           help="优秀/良好/合格/不合格；留空为未提供（不能参评）", allowed="优秀、良好、合格、不合格，或留空（未提供）"),
    Column("physically_fit", "身体条件", ("physically_fit",), example="合格",
           help="合格/不合格；留空为未提供（不能参评）", allowed="合格、不合格，或留空（未提供）"),
    Column("continuing_education_done", "继续教育学时", ("完成继续教育", "公需课", "continuing_education_done"),
           example="已完成", help="已完成/未完成；留空为未提供（不能参评）",
           allowed="已完成、未完成，或留空（未提供）"),
    Column("employer", "就业单位", ("工作单位", "employer"), example="马鞍山钢铁股份有限公司", allowed="不超过100个字符"),
    Column("employed_in_anhui", "是否省内就业", ("省内就业", "employed_in_anhui", "in_province"), example="是",
           allowed="是、否"),
    Column("tripartite_agreement", "是否签订三方协议", ("三方协议", "三方就业协议", "tripartite_agreement"), example="是",
           allowed="是、否"),
    Column("on_duty", "是否已到岗", ("已到岗", "到岗", "on_duty"), example="是", allowed="是、否"),
    Column("duty_start_date", "到岗日期", ("duty_start_date", "start_date"), example="2025-07-15", help="年-月-日",
           allowed="年-月-日，如 2025-07-15"),
    Column("employer_kind", "单位性质", ("就业单位性质", "employer_kind"), example="企业",
           help="企业/机关/事业单位/其他；留空为未提供。附件2 一(四)：须在省内企业就业",
           allowed="企业、机关、事业单位、其他，或留空（未提供）"),
)

#: 学信网 columns from which a field is derived (not stored as such).
SOURCE_COLUMNS: tuple[Column, ...] = (
    Column("graduation_date", "预计毕业日期", ("毕业日期", "YJBYRQ", "BYRQ"),
           help="学信网文件：由此得出毕业年份"),
    Column("conclusion", "毕结业结论", ("毕结业", "BJYJL"), help="学信网文件：“毕业”即取得毕业证，“结业”“肄业”为未取得"),
    Column("birth_date", "出生日期", ("CSRQ",), help="学信网文件：与身份证号中的出生日期核对"),
)

COLUMN_BY_KEY = {c.key: c for c in (*COLUMNS, *SOURCE_COLUMNS)}
HEADER_OF = {c.key: c.header for c in (*COLUMNS, *SOURCE_COLUMNS)}

#: The Graduate columns written by an import, in the order of the canonical record tuple.
FIELDS: tuple[str, ...] = (
    "institution_id", "student_number", "name", "gender", "id_number", "graduation_year", "degree_level", "major",
    "pilot_major", "has_diploma", "diploma_number", "has_degree", "degree_number", "practice_months",
    "major_rank_percent", "design_grade", "ncre_level", "conduct_ok", "assessment", "physically_fit",
    "continuing_education_done", "employer", "employed_in_anhui", "tripartite_agreement", "on_duty",
    "duty_start_date", "employer_kind",
)
FIELD_OF_KEY = {"institution": "institution_id"}


def field_of(key: str) -> str:
    return FIELD_OF_KEY.get(key, key)


def normalise_header(text) -> str:
    """NFKC (full-width brackets), no spaces or asterisks, lower case."""
    text = unicodedata.normalize("NFKC", str(text or "")).replace("\ufeff", "")
    return "".join(text.split()).replace("*", "").lower()


HEADER_ALIASES: dict[str, str] = {}
for _c in (*COLUMNS, *SOURCE_COLUMNS):
    for _name in (_c.header, *_c.aliases):
        HEADER_ALIASES[normalise_header(_name)] = _c.key

assert [c.key for c in COLUMNS][1:] == list(FIELDS)[1:]  # the template and the record agree
