"""Forms of the evaluation app (HTTP only: parsing and messages; the rules live in services and the engine)."""

import copy

from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluation.rules import DEFAULT_STANDARD
from evaluation.rules.clauses import (
    AWARD_LEVEL_NAMES,
    AWARD_LEVELS,
    DESIGN_GRADES,
    DESIGN_NAMES,
    LEVEL_CLAUSES,
    LEVEL_NAMES,
    LEVELS,
    PATH_LEVEL,
    PATH_OPTIONS,
    PATHS,
    PROJECT_LEVELS,
    SKILL_LEVEL_NAMES,
    path_clause,
)
from portal.identifiers import normalize_ric
from portal.models import Institution
from portal.uploads import check_upload

from .models import Achievement, ImportBatch, TitleLevel

# --- lists ------------------------------------------------------------------------------------


class GraduateFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("毕业年份"), required=False, coerce=int, empty_value=None)
    major = forms.ChoiceField(label=_("专业"), required=False)
    level = forms.ChoiceField(label=_("评价结果"), required=False,
                              choices=[("", _("全部")), *TitleLevel.choices, ("unevaluated", _("尚未评价"))])
    q = forms.CharField(label=_("学号或姓名"), required=False, max_length=50)

    def __init__(self, *args, years=(), majors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部"))] + [(y, str(y)) for y in years]
        self.fields["major"].choices = [("", _("全部"))] + [(m, m) for m in majors]


# --- import -------------------------------------------------------------------------------------


class ImportForm(forms.Form):
    # The same words as the pipeline's own refusal (read_table), whichever path the empty file came by.
    file = forms.FileField(label=_("成绩单文件（CSV、XLSX、XLS 或学信网 DBF）"), error_messages={"empty": _("文件为空。")})
    kind = forms.ChoiceField(label=_("文件类型"), choices=ImportBatch.Kind.choices, initial=ImportBatch.Kind.FULL,
                             widget=forms.RadioSelect, required=False,
                             help_text=_("学信网文件没有学位和一(四)、一(六)所列情况：导入名单后，再以“补充信息”上传含学号或身份证号"
                                         "及学位证、就业等列的文件。"))
    graduation_year = forms.TypedChoiceField(
        label=_("毕业年份"), coerce=int, required=False, empty_value=None,
        help_text=_("文件中没有“毕业年份”（或预计毕业日期）列时，各行取此年份。"))
    default_institution = forms.ModelChoiceField(
        label=_("默认院校"), queryset=Institution.objects.none(), required=False,
        help_text=_("“院校名称”列为空的行导入到此院校。"))

    def __init__(self, *args, admin=False, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["graduation_year"].choices = [(y, _("%(y)d届") % {"y": y})
                                                  for y in range(this_year + 1, this_year - 6, -1)]
        self.fields["graduation_year"].initial = this_year  # the current cohort
        if admin:
            self.fields["default_institution"].queryset = Institution.objects.order_by("name")
        else:
            del self.fields["default_institution"]

    def clean_kind(self):
        return self.cleaned_data.get("kind") or ImportBatch.Kind.FULL


class ExportForm(forms.Form):
    FORMATS = (("xlsx", "XLSX"), ("csv", "CSV"))
    format = forms.ChoiceField(label=_("格式"), choices=FORMATS, initial="xlsx")
    year = forms.TypedChoiceField(label=_("毕业年份"), required=False, coerce=int, empty_value=None)
    full_ids = forms.BooleanField(label=_("导出完整身份证号（将记入审计日志）"), required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部"))] + [(y, str(y)) for y in years]


# --- records ----------------------------------------------------------------------------------------


class AchievementForm(forms.ModelForm):
    class Meta:
        model = Achievement
        fields = ["kind", "title", "level", "rank", "patent_type", "skill_level", "occupation_code", "one_plus_x",
                  "role", "concluded", "first_author", "in_field", "obtained_on", "evidence"]
        widgets = {"obtained_on": forms.DateInput(attrs={"type": "date"})}

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if evidence:
            check_upload(evidence, max_mb=10)
        return evidence

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        need = {
            "competition": ("level", "rank"),
            "patent": ("patent_type", "rank"),
            "skill": ("skill_level",),
            "project": ("level", "role"),
        }.get(kind, ())
        for name in need:
            if data.get(name) in (None, ""):
                self.add_error(name, _("该类成果须填写此项。"))
        if kind == "project" and data.get("level") not in (None, "", *PROJECT_LEVELS):
            self.add_error("level", _("大创项目级别只能是国家级、省级或校级。"))
        return data


class RevealForm(forms.Form):
    purpose = forms.CharField(label=_("查看事由"), max_length=200, required=False)


# --- cohort ------------------------------------------------------------------------------------------


class CohortForm(forms.Form):
    graduation_year = forms.TypedChoiceField(label=_("毕业年份"), coerce=int)
    major = forms.ChoiceField(label=_("专业"), required=False)

    def __init__(self, *args, years=(), majors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["graduation_year"].choices = [(y, str(y)) for y in years]
        self.fields["major"].choices = [("", _("全部专业"))] + [(m, m) for m in majors]


class AccountsForm(CohortForm):
    regenerate = forms.BooleanField(label=_("为激活码尚未使用的学生重新生成（旧激活码作废）"), required=False)


class ActivationForm(forms.Form):
    student_number = forms.CharField(label=_("学号"), max_length=32)
    id_number = forms.CharField(label=_("身份证号"), max_length=18)
    code = forms.CharField(label=_("激活码"), max_length=20, help_text=_("学校发放的激活码，如 ABCD-EFGH-JKLM。"))
    password1 = forms.CharField(label=_("设置密码"), strip=False, widget=forms.PasswordInput,
                                help_text=password_validation.password_validators_help_text_html())
    password2 = forms.CharField(label=_("确认密码"), strip=False, widget=forms.PasswordInput)

    def clean_id_number(self):
        return normalize_ric(self.cleaned_data["id_number"])

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


# --- what-if ----------------------------------------------------------------------------------------


class WhatIfForm(forms.Form):
    """The options offered are those of the standard applied to the student (``whatif.options``)."""

    options = forms.MultipleChoiceField(label=_("假设我还取得"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["options"].choices = [(o.key, o.label) for o in options]


# --- school standard --------------------------------------------------------------------------------

PATH_TITLES = {
    "1(1)": _("工程师 · 博士研究生（直接认定）"),
    "1(2)": _("工程师 · 硕士研究生（5选2）"),
    "1(3)": _("工程师 · 本科/专科（7选3）"),
    "2(1)": _("助理工程师 · 硕士研究生（直接认定）"),
    "2(2)": _("助理工程师 · 本科/专科（6选2）"),
    "3": _("技术员 · 本科/专科（4选1）"),
}
KNOB_KIND = {
    "competition_max_rank": "competition", "invention_max_rank": "patent", "utility_model_max_rank": "patent",
    "software_copyright": "patent", "ncre_min_level": "ncre", "design_min_grade": "design",
    "project_min_level": "project", "project_leader": "project", "project_concluded": "project",
    "paper_first_author": "paper",
}
EXTRA_LABELS = {
    "assessment_excellent": _("年度综合考核优秀"),
    "first_author_paper": _("以第一作者发表相关专业领域论文"),
    "competition": _("学科竞赛奖项"),
    "patent": _("专利"),
    "skill": _("职业技能等级证书"),
    "project": _("大创项目"),
}


def _slug(path):
    return "p" + path.replace("(", "_").replace(")", "")


def _optional_int(label, minimum=1, maximum=None, help_text=""):
    return forms.IntegerField(label=label, required=False, min_value=minimum, max_value=maximum, help_text=help_text)


def _path_fields(path, base):
    kinds = set(PATH_OPTIONS[path])
    out = {
        "practice_months": forms.DecimalField(label=_("企业实习实践累计时间不少于（月）"), min_value=0, max_digits=4,
                                              decimal_places=1, required=False, help_text=_("留空表示不要求。")),
        "rank_percent_max": forms.DecimalField(label=_("平均学分绩点专业排名前（%）"), required=False, min_value=0,
                                               max_value=100, max_digits=5, decimal_places=2,
                                               help_text=_("留空表示不限。")),
    }
    if kinds:
        out["options_required"] = forms.IntegerField(
            label=_("可选条件须满足的项数（%(m)d选N）") % {"m": len(kinds)}, min_value=0, max_value=len(kinds))
    if "competition" in kinds:
        out["competition_max_rank"] = _optional_int(_("学科竞赛奖项排名须在前几名"), help_text=_("1 表示须排名第1；留空不限。"))
    if "patent" in kinds:
        out["invention_max_rank"] = _optional_int(_("发明专利排名须在前几名"), help_text=_("留空不限。"))
        out["utility_model_max_rank"] = _optional_int(_("实用新型专利排名须在前几名"), help_text=_("留空不限。"))
        out["software_copyright"] = forms.BooleanField(label=_("软件著作权计入专利条件"), required=False)
    if "ncre" in kinds:
        out["ncre_min_level"] = _optional_int(_("全国计算机等级不低于（级）"), 1, 4)
    if "design" in kinds:
        out["design_min_grade"] = forms.ChoiceField(
            label=_("毕业设计成绩不低于"), required=False,
            choices=[("", _("不限"))] + [(g, DESIGN_NAMES[g]) for g in reversed(DESIGN_GRADES)])
    if "project" in kinds:
        out["project_min_level"] = forms.ChoiceField(
            label=_("大创项目级别不低于"), required=False,
            choices=[("", _("不限"))] + [(lv, AWARD_LEVEL_NAMES[lv]) for lv in reversed(PROJECT_LEVELS)])
        out["project_leader"] = forms.BooleanField(label=_("大创项目须为项目负责人"), required=False)
        out["project_concluded"] = forms.BooleanField(label=_("大创项目须已结题"), required=False)
    if "paper" in kinds:
        out["paper_first_author"] = forms.BooleanField(label=_("论文须为第一作者"), required=False)
    out["extra_requirements"] = forms.MultipleChoiceField(
        label=_("学校增设的必备条件"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=list(EXTRA_LABELS.items()))
    for name, field in out.items():
        value = base[name]
        field.initial = list(value) if name == "extra_requirements" else ("" if value is None else value)
    return out


class StandardForm(forms.Form):
    """Every knob of a school standard (rules.standard), grouped by level and path of 附件2 一(八)."""

    name = forms.CharField(label=_("标准名称"), max_length=100)
    note = forms.CharField(label=_("修订说明"), max_length=300, required=False)

    def __init__(self, *args, base=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.base = copy.deepcopy(base or DEFAULT_STANDARD.to_dict())
        self.fields["name"].initial = self.base.get("name", "")
        self.sections = []  # (title, clause, [field names])
        self.field_of = {}  # "paths.1(3).rank_percent_max" -> form field name
        for level in LEVELS:
            names = []
            base_level = self.base["levels"][level]
            for knob, field in (
                ("competition_min_level", forms.ChoiceField(
                    label=_("学科竞赛奖项最低级别"),
                    choices=[(lv, AWARD_LEVEL_NAMES[lv]) for lv in reversed(AWARD_LEVELS)])),
                ("skill_min_level", forms.TypedChoiceField(
                    label=_("职业技能等级证书最低等级"), coerce=int,
                    choices=[(k, SKILL_LEVEL_NAMES[k]) for k in sorted(SKILL_LEVEL_NAMES)])),
            ):
                name = f"{level}__{knob}"
                field.initial = base_level[knob]
                self.fields[name] = field
                self.field_of[f"levels.{level}.{knob}"] = name
                names.append(name)
            self.sections.append((_("%(level)s：“一定级别”和“相应等级”") % {"level": LEVEL_NAMES[level]},
                                  LEVEL_CLAUSES[level], names))
        for path in PATHS:
            names = []
            for knob, field in _path_fields(path, self.base["paths"][path]).items():
                name = f"{_slug(path)}__{knob}"
                self.fields[name] = field
                self.field_of[f"paths.{path}.{knob}"] = name
                names.append(name)
            self.sections.append((PATH_TITLES[path], path_clause(path), names))

    def grouped(self):
        """[(title, clause, [bound fields])] for the template."""
        return [(title, clause, [self[name] for name in names]) for title, clause, names in self.sections]

    def display(self):
        """[(title, clause, [(label, value as text)])] — a published version, read-only."""
        out = []
        for title, clause, names in self.sections:
            rows = []
            for name in names:
                field = self.fields[name]
                value = field.initial
                if isinstance(field, forms.BooleanField):
                    text = _("是") if value else _("否")
                elif isinstance(field, forms.MultipleChoiceField):
                    labels = dict(field.choices)
                    text = "、".join(str(labels.get(v, v)) for v in value) or _("无")
                elif isinstance(field, forms.ChoiceField):
                    labels = {str(k): v for k, v in field.choices}
                    text = labels.get(str(value if value is not None else ""), value) or _("不限")
                else:
                    text = _("不限") if value in (None, "") else f"{value:g}" if isinstance(value, float) else value
                rows.append((field.label, text))
            out.append((title, clause, rows))
        return out

    def standard_data(self):
        """The standard dict (rules.SchoolStandard.to_dict shape) with the submitted values."""
        data = copy.deepcopy(self.base)
        data["name"] = self.cleaned_data["name"]
        for level in LEVELS:
            for knob in ("competition_min_level", "skill_min_level"):
                data["levels"][level][knob] = self.cleaned_data[f"{level}__{knob}"]
        for path in PATHS:
            for knob in _path_fields(path, data["paths"][path]):
                value = self.cleaned_data.get(f"{_slug(path)}__{knob}")
                if knob in ("practice_months", "rank_percent_max"):
                    value = None if value is None else float(value)
                    if knob == "practice_months" and value is None:
                        value = 0.0
                elif knob in ("design_min_grade", "project_min_level"):
                    value = value or None
                elif knob == "extra_requirements":
                    value = list(value or [])
                data["paths"][path][knob] = value
        return data

    def add_violations(self, violations):
        for v in violations:
            name = self.field_of.get(v.field)
            self.add_error(name if name in self.fields else None, v.message)


def level_of_path(path):
    return LEVEL_NAMES[PATH_LEVEL[path]]


class StandardCommentForm(forms.Form):
    """指导意见 of the city HRSS on a version of the school's standard (正文 三(一)2(4))."""

    text = forms.CharField(label=_("指导意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
