"""Forms of Track A: one per section of 附件1 (labels as in the annex), row formsets, and the offices' decisions.
Forms only parse and validate; services.py changes data."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.track_a import rules, sections
from applications.track_a.models import (
    CoConstructionAgreement,
    Decision,
    PilotApplication,
    TeacherSource,
)
from portal.uploads import DOCUMENTS, check_upload

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [(True, _("是")), (False, _("否"))]


class ExpectedStateMixin(forms.Form):
    """The state the user saw: an action on something that has moved on meanwhile is refused."""

    expected_state = forms.CharField(widget=forms.HiddenInput)


# --- 附件1 sections ---------------------------------------------------------------------------------------------

class SectionForm(forms.ModelForm):
    class Meta:
        model = PilotApplication
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, f in self.fields.items():
            f.required = False  # a draft may be saved in parts; the checklist says what is missing
            if isinstance(f, forms.DateField):
                f.widget = DATE
            if isinstance(f, forms.IntegerField):
                f.widget.attrs.update({"min": 0, "inputmode": "numeric"})
            if name.endswith("_phone") or name == "leader_mobile":
                f.widget.attrs["inputmode"] = "tel"


def section_form_class(section):
    fields = sections.SECTION_FIELDS[section]
    attrs = {"Meta": type("Meta", (SectionForm.Meta,), {"fields": fields})}
    if "independent" in fields:
        attrs["independent"] = forms.TypedChoiceField(
            label=_("独立设置"), choices=YES_NO, coerce=lambda v: v in (True, "True"), empty_value=None,
            widget=forms.RadioSelect, required=False)
    if "venue" in fields:
        attrs["venue"] = forms.ChoiceField(label=_("办学场所"), choices=PilotApplication._meta.get_field("venue").choices,
                                           widget=forms.RadioSelect, required=False)
    if section == "people":
        attrs["clean"] = _clean_counts
    return type(f"{section.title()}SectionForm", (SectionForm,), attrs)


def _clean_counts(form):
    data = super(SectionForm, form).clean()
    for field, message in rules.count_problems(data):
        form.add_error(field, message)
    return data


class RowForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            if isinstance(f, forms.IntegerField):
                f.widget.attrs.update({"min": 0, "inputmode": "numeric"})


class MajorForm(RowForm):
    name = forms.CharField(label=_("试点专业名称"), max_length=60)
    opened_year = forms.IntegerField(label=_("开设时间"), min_value=1950, max_value=2100, help_text=_("年份"))
    students = forms.IntegerField(label=_("在读学生总数"), min_value=0)
    total_hours = forms.IntegerField(label=_("专业人才培养方案总学时"), min_value=1)
    practice_hours = forms.IntegerField(label=_("实践教学学时"), min_value=0)

    def clean(self):
        data = super().clean()
        total, practice = data.get("total_hours"), data.get("practice_hours")
        if total is not None and practice is not None and practice > total:
            self.add_error("practice_hours", _("实践教学学时不能超过总学时。"))
        return data


class PartnerForm(RowForm):
    name = forms.CharField(label=_("合作企业(单位)名称"), max_length=100)
    industry_type = forms.CharField(label=_("产业类型"), max_length=60)


class TeacherForm(RowForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    age = forms.IntegerField(label=_("年龄"), min_value=18, max_value=90)
    source = forms.ChoiceField(label=_("学校教师/企业教师"), choices=TeacherSource.choices)
    title = forms.CharField(label=_("职称"), max_length=50, required=False)
    post = forms.CharField(label=_("职务"), max_length=50, required=False)
    duties = forms.CharField(label=_("承担教学/管理任务"), max_length=200)


class RowFormSet(forms.BaseFormSet):
    unique_field = None
    max_rows = None
    too_many = ""

    def rows(self):
        return [{k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
                for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]

    def clean(self):
        if any(self.errors):
            return
        rows = self.rows()
        if self.max_rows is not None and len(rows) > self.max_rows:
            raise forms.ValidationError(self.too_many % {"max": self.max_rows, "n": len(rows)})
        if self.unique_field:
            values = [r[self.unique_field] for r in rows]
            if len(set(values)) != len(values):
                raise forms.ValidationError(_("名称不能重复。"))


class MajorFormSet(RowFormSet):
    unique_field = "name"


class PartnerFormSet(RowFormSet):
    max_rows = rules.MAX_PARTNERS
    too_many = _("合作企业(单位)限填%(max)d个，当前填写了%(n)d个。")


ROW_FORMS = {"majors": (MajorForm, MajorFormSet), "partners": (PartnerForm, PartnerFormSet),
             "teachers": (TeacherForm, RowFormSet)}
ROW_FIELDS = {
    "majors": ["name", "opened_year", "students", "total_hours", "practice_hours"],
    "partners": ["name", "industry_type"],
    "teachers": ["name", "age", "source", "title", "post", "duties"],
}


def row_formset(section, application, data=None):
    rows = getattr(application, section).all()
    initial = [{f: getattr(r, f) for f in ROW_FIELDS[section]} for r in rows]
    form, base = ROW_FORMS[section]
    extra = 0 if (section == "partners" and len(initial) >= rules.MAX_PARTNERS) else 1
    cls = forms.formset_factory(form, formset=base, extra=extra, can_delete=True)
    return cls(data=data, initial=initial, prefix=section)


class DocumentUploadForm(forms.Form):
    title = forms.CharField(label=_("附件名称"), max_length=100)
    file = forms.FileField(label=_("文件"), help_text=_("PDF、Word 或图片，不超过20MB。"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload, kinds=DOCUMENTS, max_mb=20)
        return upload


# --- the offices' decisions ---------------------------------------------------------------------------------------

class CityReviewForm(ExpectedStateMixin):
    decision = forms.ChoiceField(label=_("审核结论"), choices=Decision.choices[:2], widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              help_text=_("退回修改时必填，写明需修改的内容。"))

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.RETURN and not (data.get("reasons") or "").strip():
            self.add_error("reasons", _("退回修改时请写明理由。"))
        return data


class RecognitionForm(ExpectedStateMixin):
    decision = forms.ChoiceField(label=_("认定结论"), choices=Decision.choices[2:], widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("认定意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              help_text=_("不予认定时必填。"))

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.REFUSE and not (data.get("reasons") or "").strip():
            self.add_error("reasons", _("不予认定时请写明理由。"))
        return data


class AgreementForm(ExpectedStateMixin, forms.ModelForm):
    class Meta:
        model = CoConstructionAgreement
        fields = ["school_duties", "city_hrss_duties", "city_education_duties", "enterprise_duties", "signed_on",
                  "signed_copy"]
        widgets = {"signed_on": DATE}


class ForwardForm(ExpectedStateMixin):
    comment = forms.CharField(label=_("转报意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ExpertsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.user.display_name}（{obj.title}，{obj.get_title_level_display()}）"


class GrantForm(ExpectedStateMixin):
    majors = forms.MultipleChoiceField(label=_("授权的试点专业"), widget=forms.CheckboxSelectMultiple)
    levels = forms.MultipleChoiceField(label=_("评审级别"), choices=rules.TITLE_LEVELS,
                                       widget=forms.CheckboxSelectMultiple)
    from_year = forms.IntegerField(label=_("起始年度"), min_value=2023, max_value=2100,
                                   help_text=_("自该年度毕业生起可自主评审。"))

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        names = list(application.majors.values_list("name", flat=True))
        self.fields["majors"].choices = [(n, n) for n in names]
        self.fields["majors"].initial = names
        self.fields["levels"].initial = [code for code, _label in rules.TITLE_LEVELS]
        self.fields["from_year"].initial = date.today().year
