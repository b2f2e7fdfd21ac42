"""Forms of Track B. Section forms of the draft never require anything — a registrar saves at any time;
the completeness checklist says what is missing before submitting."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from portal.identifiers import validate_ric
from portal.models import Institution, Occupation
from portal.uploads import IMAGES, check_upload

from .models import (
    Attachment,
    Entrustment,
    Equipment,
    EvaluationReport,
    Examiner,
    ExemptionRequest,
    FilingApplication,
    FilingState,
    ImplementationPlan,
    ListedExpert,
    MajorOccupation,
    PassStandard,
    RegulationDocument,
    SkillLevel,
    Staff,
    TrainingTarget,
)
from .snapshots import BASIC_FIELDS

TEXTAREA = {"rows": 5}
PHONE = {"inputmode": "tel", "autocomplete": "tel"}


class OccupationSelectMixin:
    """Occupations are picked from the 2022 dictionary fixture, never typed; choices are computed once per request."""

    occupation_field = "occupation"

    def set_occupation_choices(self, choices, *, empty=True):
        if choices is not None and self.occupation_field in self.fields:
            field = self.fields[self.occupation_field]
            field.choices = ([("", _("— 请选择职业 —"))] if empty else []) + list(choices)


class BasicForm(forms.ModelForm):
    class Meta:
        model = FilingApplication
        fields = list(BASIC_FIELDS)
        widgets = {
            "head_phone": forms.TextInput(attrs=PHONE), "org_head_phone": forms.TextInput(attrs=PHONE),
            "org_contact_phone": forms.TextInput(attrs=PHONE),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "uscc": forms.TextInput(attrs={"autocapitalize": "characters", "maxlength": 18}),
        }

    def clean_uscc(self):
        return (self.cleaned_data.get("uscc") or "").strip().upper()


class AdvantagesForm(forms.ModelForm):
    class Meta:
        model = FilingApplication
        fields = ["advantages"]
        widgets = {"advantages": forms.Textarea(attrs={"rows": 10})}


class VenuesForm(forms.ModelForm):
    class Meta:
        model = FilingApplication
        fields = ["venues", "exam_it"]
        widgets = {"venues": forms.Textarea(attrs=TEXTAREA), "exam_it": forms.Textarea(attrs=TEXTAREA)}


class OtherForm(forms.ModelForm):
    class Meta:
        model = FilingApplication
        fields = ["other_info", "applicant_opinion", "declaration"]
        widgets = {"other_info": forms.Textarea(attrs=TEXTAREA), "applicant_opinion": forms.Textarea(attrs=TEXTAREA)}
        help_texts = {"applicant_opinion": _("填写本表填报信息真实、同意申请备案开展职业技能等级认定等内容。")}


class PlanForm(forms.ModelForm):
    class Meta:
        model = ImplementationPlan
        fields = ["target_level", "basic", "training", "duties", "evaluation_design", "commitment", "signatory"]
        widgets = {name: forms.Textarea(attrs={"rows": 7}) for name in
                   ["basic", "training", "duties", "evaluation_design", "commitment"]}
        labels = {"target_level": _("等级培养目标（XXX 等级）")}


class MajorForm(OccupationSelectMixin, forms.ModelForm):
    class Meta:
        model = MajorOccupation
        fields = ["major_name", "occupation", "job_type", "item_writers", "examiners_count"]

    def __init__(self, *args, occupation_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_occupation_choices(occupation_choices)
        self.fields["occupation"].queryset = Occupation.objects.filter(is_skill=True)


class RegulationForm(forms.ModelForm):
    class Meta:
        model = RegulationDocument
        fields = ["title", "file"]
        widgets = {"file": forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.doc,.docx"})}


class EquipmentForm(forms.ModelForm):
    class Meta:
        model = Equipment
        fields = ["name", "brand", "spec", "quantity", "ownership"]
        widgets = {"ownership": forms.TextInput(attrs={"list": "ownership-options"})}


ID_WIDGET = forms.TextInput(attrs={"autocapitalize": "characters", "maxlength": 18, "autocomplete": "off"})


class StaffForm(forms.ModelForm):
    class Meta:
        model = Staff
        fields = ["name", "id_number", "title", "education", "duties"]
        widgets = {"id_number": ID_WIDGET}


class ListedExpertForm(forms.ModelForm):
    class Meta:
        model = ListedExpert
        fields = ["name", "id_number", "employer", "title", "education", "specialty"]
        widgets = {"id_number": ID_WIDGET}


class ExaminerForm(forms.ModelForm):
    class Meta:
        model = Examiner
        fields = ["name", "id_number", "employer", "title", "education", "domain"]
        widgets = {"id_number": ID_WIDGET}


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["category", "title", "file"]
        widgets = {"file": forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.doc,.docx"})}


def _formset(model, form, prefix):
    cls = inlineformset_factory(FilingApplication, model, form=form, extra=0, can_delete=True, max_num=200,
                                validate_max=True)
    cls.default_prefix = prefix
    return cls


MajorFormSet = _formset(MajorOccupation, MajorForm, "majors")
RegulationFormSet = _formset(RegulationDocument, RegulationForm, "regulations")
EquipmentFormSet = _formset(Equipment, EquipmentForm, "equipment")
StaffFormSet = _formset(Staff, StaffForm, "staff")
ListedExpertFormSet = _formset(ListedExpert, ListedExpertForm, "experts")
ExaminerFormSet = _formset(Examiner, ExaminerForm, "examiners")
AttachmentFormSet = _formset(Attachment, AttachmentForm, "attachments")


class PassStandardForm(OccupationSelectMixin, forms.ModelForm):
    class Meta:
        model = PassStandard
        fields = ["occupation", "subject", "pass_mark"]

    def __init__(self, *args, occupation_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_occupation_choices(occupation_choices)
        self.fields["occupation"].queryset = Occupation.objects.filter(is_skill=True)


PassStandardFormSet = _formset(PassStandard, PassStandardForm, "pass_standards")

# section key -> (form class or None, [formset classes])
SECTION_FORMS = {
    "basic": (BasicForm, []),
    "majors": (None, [MajorFormSet]),
    "regulations": (None, [RegulationFormSet]),
    "advantages": (AdvantagesForm, []),
    "venues": (VenuesForm, [EquipmentFormSet]),
    "staff": (None, [StaffFormSet]),
    "experts": (None, [ListedExpertFormSet]),
    "examiners": (None, [ExaminerFormSet]),
    "other": (OtherForm, []),
    "attachments": (None, [AttachmentFormSet]),
    "standards": (None, [PassStandardFormSet]),
    "plan": (PlanForm, []),
}


def build_section_forms(section, application, plan, data=None, files=None, occupation_choices=None):
    form_class, formset_classes = SECTION_FORMS[section]
    form = None
    if form_class is not None:
        instance = plan if form_class is PlanForm else application
        form = form_class(data, files, instance=instance)
    formsets = []
    for cls in formset_classes:
        kwargs = {"occupation_choices": occupation_choices} if cls in (MajorFormSet, PassStandardFormSet) else {}
        formset = cls(data, files, instance=application, prefix=cls.default_prefix, form_kwargs=kwargs)
        if data is None and not formset.initial_form_count():
            formset.extra = 1  # an empty table starts with one row (set before the forms are built)
        formsets.append(formset)
    return form, formsets


class ReasonForm(forms.Form):
    reasons = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              max_length=2000)


class ReportForm(forms.ModelForm):
    """附件5, drafted by the panel leader; one conclusion per occupation applied for."""

    class Meta:
        model = EvaluationReport
        fields = ["evaluated_on", "organisation", "basic", "courses", "occupations_text", "opinion"]
        widgets = {"evaluated_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   **{n: forms.Textarea(attrs={"rows": 6}) for n in
                      ["organisation", "basic", "courses", "occupations_text", "opinion"]}}

    def __init__(self, *args, occupations=(), conclusions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.occupations = list(occupations)
        conclusions = conclusions or {}
        for occupation in self.occupations:
            self.fields[f"conclusion_{occupation.pk}"] = forms.TypedChoiceField(
                label=f"{occupation.code} {occupation.name}", coerce=int, required=False, empty_value="",
                choices=[("", _("— 请选择结论 —"))] + list(TrainingTarget.choices),
                initial=conclusions.get(occupation.pk, ""))

    def conclusion_fields(self):
        return [self[f"conclusion_{o.pk}"] for o in self.occupations]

    def report_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def conclusions(self):
        return {o.pk: self.cleaned_data.get(f"conclusion_{o.pk}") for o in self.occupations}


class FilingForm(forms.Form):
    """The office files the occupations the report supports, at most at the supported level (≤ 三级)."""

    opinion = forms.CharField(label=_("人力资源社会保障部门意见"), widget=forms.Textarea(attrs={"rows": 4}),
                              max_length=2000)

    def __init__(self, *args, supported=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.supported = supported or {}
        for occupation_id, (occupation, highest) in sorted(self.supported.items(), key=lambda i: i[1][0].code):
            self.fields[f"include_{occupation_id}"] = forms.BooleanField(
                label=f"{occupation.code} {occupation.name}", required=False, initial=True)
            self.fields[f"level_{occupation_id}"] = forms.TypedChoiceField(
                label=_("最高等级"), coerce=int,
                choices=[(v, label) for v, label in SkillLevel.choices if v >= highest], initial=highest)

    def rows(self):
        return [(self[f"include_{i}"], self[f"level_{i}"], occ, highest)
                for i, (occ, highest) in sorted(self.supported.items(), key=lambda i: i[1][0].code)]

    def levels(self):
        return {i: self.cleaned_data[f"level_{i}"] for i in self.supported if self.cleaned_data.get(f"include_{i}")}


class EntrustmentForm(OccupationSelectMixin, forms.ModelForm):
    occupation_field = "occupations"

    class Meta:
        model = Entrustment
        fields = ["plan", "plan_file", "evaluation", "occupations", "level", "expected_students", "entrusted_kind",
                  "entrusted_filing", "entrusted_name", "entrusted_code", "voluntary"]
        widgets = {"plan": forms.Textarea(attrs={"rows": 6}), "evaluation": forms.Textarea(attrs={"rows": 4}),
                   "occupations": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, occupation_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_occupation_choices(occupation_choices, empty=False)
        filed = FilingApplication.objects.filter(state=FilingState.FILED).select_related("institution") \
            .order_by("filing_code")
        if self.instance and self.instance.institution_id:
            filed = filed.exclude(institution_id=self.instance.institution_id)
        self.fields["entrusted_filing"].queryset = filed
        self.fields["entrusted_filing"].label_from_instance = lambda f: f"{f.filing_code} {f.institution.name}"
        self.fields["entrusted_code"].widget.attrs.update({"autocapitalize": "characters", "maxlength": 13})


class ExemptionForm(OccupationSelectMixin, forms.ModelForm):
    class Meta:
        model = ExemptionRequest
        fields = ["name", "id_number", "major", "certificate_name", "certificate_level", "certificate_number",
                  "certificate_issuer", "certificate_file", "occupation", "level", "subjects", "reason"]
        widgets = {"id_number": ID_WIDGET, "reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, occupation_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_occupation_choices(occupation_choices)
        self.fields["occupation"].queryset = Occupation.objects.filter(is_skill=True)

    def clean_id_number(self):
        value = (self.cleaned_data.get("id_number") or "").strip().upper()
        validate_ric(value)
        return value


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("决定"), choices=[("agree", _("同意免试")), ("refuse", _("不予免试"))],
                                widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


# --- 平台外历史备案 (issue #12 item 4) ----------------------------------------------------------------------

RECEIPT_SCAN_MAX_MB = 10


class HistoricalFilingForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("备案单位"), queryset=Institution.objects.none(),
                                         empty_label=_("— 请选择本部门受理范围内的高校 —"))
    receipt_number = forms.CharField(label=_("备案回执编号（备案编号）"), max_length=13, min_length=13,
                                     help_text=_("13位，首位为“Y”，如 Y000034000017。"),
                                     widget=forms.TextInput(attrs={"autocapitalize": "characters", "maxlength": 13}))
    filed_on = forms.DateField(label=_("备案日期（回执所载）"), widget=forms.DateInput(attrs={"type": "date"}))
    unit_name = forms.CharField(label=_("评价机构名称（与回执一致）"), max_length=100)
    receipt_scan = forms.FileField(
        label=_("备案回执扫描件"), help_text=_("PDF 或 JPG/PNG 图片，不超过 %(mb)d MB。") % {"mb": RECEIPT_SCAN_MAX_MB})

    def __init__(self, *args, institutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.filter(pk__in=[i.pk for i in institutions])

    def clean_receipt_number(self):
        return (self.cleaned_data.get("receipt_number") or "").strip().upper()

    def clean_receipt_scan(self):
        scan = self.cleaned_data.get("receipt_scan")
        check_upload(scan, kinds=("pdf", *IMAGES), max_mb=RECEIPT_SCAN_MAX_MB)  # size, type and content
        return scan


class HistoricalOccupationForm(OccupationSelectMixin, forms.Form):
    occupation = forms.ModelChoiceField(label=_("备案职业（工种）"), queryset=Occupation.objects.filter(is_skill=True),
                                        required=False)
    level = forms.TypedChoiceField(label=_("最高等级"), choices=SkillLevel.choices, coerce=int, required=False)
    job_types = forms.CharField(label=_("工种"), max_length=200, required=False)

    def __init__(self, *args, occupation_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_occupation_choices(occupation_choices)

    def clean(self):
        data = super().clean()
        if data.get("occupation") and not data.get("level"):
            self.add_error("level", _("请选择备案等级。"))
        return data


HistoricalOccupationFormSet = forms.formset_factory(HistoricalOccupationForm, extra=3, max_num=20)
