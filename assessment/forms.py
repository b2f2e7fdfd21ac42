from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from certificates.filing import from_application

from .models import AnnualPlan, PlanLine, SupervisionReport
from .models.candidates import ConflictKind
from .services.sessions import venues_of


class PlanLineForm(forms.ModelForm):
    class Meta:
        model = PlanLine
        fields = ["occupation", "level", "months", "expected_candidates", "examiners"]

    def __init__(self, *args, occupations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if occupations is not None:
            self.fields["occupation"].queryset = occupations


PlanLineFormSet = inlineformset_factory(AnnualPlan, PlanLine, form=PlanLineForm, extra=1, can_delete=True,
                                        max_num=50, validate_max=True)


class NewPlanForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2023, max_value=2100)


class SessionForm(forms.Form):
    occupation_level = forms.ChoiceField(label=_("职业（工种）和等级"))
    job_type = forms.CharField(label=_("工种/职业方向"), max_length=60, required=False,
                               help_text=_("无工种的职业留空，证书打印“--”。"))
    start_date = forms.DateField(label=_("考核开始日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end_date = forms.DateField(label=_("考核结束日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    site = forms.ChoiceField(label=_("考核场地（备案场地）"))
    examiners = forms.MultipleChoiceField(label=_("考评人员（备案考评人员）"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, filing, **kwargs):
        super().__init__(*args, **kwargs)
        filed = from_application(filing)
        levels = {3: _("三级/高级工"), 4: _("四级/中级工"), 5: _("五级/初级工")}
        self.fields["occupation_level"].choices = [
            (f"{o.occupation_id}:{lv}", f"{o.code} {o.name} · {levels[lv]}")
            for o in sorted(filed.occupations.values(), key=lambda o: o.code) for lv in (3, 4, 5) if lv >= o.level]
        self.fields["site"].choices = [(v, v) for v in venues_of(filing)]
        self.fields["examiners"].choices = [
            (e.pk, f"{e.name}（{e.title or '—'}；{_('考评职业领域')}：{e.domain or '—'}）")
            for e in filing.examiners.order_by("position")]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class SupervisionForm(forms.ModelForm):
    class Meta:
        model = SupervisionReport
        fields = ["checked", "anomalies", "has_anomalies"]
        widgets = {"checked": forms.Textarea(attrs={"rows": 4}), "anomalies": forms.Textarea(attrs={"rows": 3})}


class ConflictForm(forms.Form):
    graduate = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("回避情形"), choices=ConflictKind.choices)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class ScoreImportForm(forms.Form):
    file = forms.FileField(label=_("成绩文件（XLSX 或 CSV：学号、姓名、身份证号、理论知识成绩、操作技能成绩）"))


class DeclarationForm(forms.Form):
    statement = forms.CharField(label=_("本人声明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000,
                                initial=_("本人离校后至今未就业，申请视同应届毕业生参加职业技能等级认定。"))


class DeadlineForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2023, max_value=2100)
    due_on = forms.DateField(label=_("报告截止日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
