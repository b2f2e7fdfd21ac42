"""Forms of the provincial expert review: the group proposed and confirmed, each expert's opinion, the group's
reports (the leader drafts, everyone signs), and the office acting on a signed report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.track_a import selectors
from applications.track_a.forms import DATE, ExpectedStateMixin, ExpertsField
from applications.track_a.models import GroupReport


class ProposeGroupForm(forms.Form):
    experts = ExpertsField(label=_("论证专家"), queryset=None,
                           help_text=_("从专家库选择，不少于3人；受聘于申报单位的专家已回避。"))
    leader = forms.ModelChoiceField(label=_("组长"), queryset=None, help_text=_("负责汇总专家组意见、起草报告。"))

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        pool = selectors.expert_pool_for(application)
        self.fields["experts"].queryset = pool
        self.fields["leader"].queryset = pool
        self.fields["leader"].label_from_instance = lambda e: e.user.display_name

    def clean(self):
        data = super().clean()
        if data.get("leader") and data.get("experts") is not None and data["leader"] not in data["experts"]:
            self.add_error("leader", _("组长应为所选专家之一。"))
        return data


class ConfirmGroupForm(ExpectedStateMixin):
    add = ExpertsField(label=_("增加专家（可不选）"), queryset=None, required=False,
                       help_text=_("省人社厅可从专家库增加专家；确认后论证开始，专家组不再调整。"))

    def __init__(self, *args, application, group, **kwargs):
        super().__init__(*args, **kwargs)
        existing = group.members.values_list("expert_id", flat=True)
        self.fields["add"].queryset = selectors.expert_pool_for(application).exclude(pk__in=existing)


class OpinionForm(forms.Form):
    score = forms.IntegerField(label=_("评分（百分制）"), min_value=0, max_value=100,
                               widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    opinion = forms.CharField(label=_("论证意见"), widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("对照通知 三(一)1 的申报条件和试点建设方案，写明本人意见。"))


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("回避事由"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("如：与申报单位存在隶属、合作或亲属关系。申请后即退出专家组，本人意见和签字一并撤回。"))


class ReportForm(forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = GroupReport
        fields = []
        widgets = {"held_on": DATE}

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conclusion"].widget = forms.RadioSelect(choices=[
            (c.value, c.label) for c in GroupReport.Conclusion
            if c in (REVIEW_CONCLUSIONS if kind == GroupReport.Kind.REVIEW else SITE_CONCLUSIONS)])
        self.fields["conclusion"].choices = self.fields["conclusion"].widget.choices
        for name, field in self.fields.items():
            if name != "expected_version":
                field.required = True


REVIEW_CONCLUSIONS = (GroupReport.Conclusion.PASS, GroupReport.Conclusion.REVISE)
SITE_CONCLUSIONS = (GroupReport.Conclusion.RECOMMEND, GroupReport.Conclusion.NOT_RECOMMEND)


def report_form(kind, *args, **kwargs):
    fields = list(GroupReport.SITE_FIELDS if kind == GroupReport.Kind.SITE else GroupReport.REVIEW_FIELDS)
    meta = type("Meta", (ReportForm.Meta,), {"fields": fields})
    cls = type("GroupReportForm", (ReportForm,), {"Meta": meta})
    return cls(*args, kind=kind, **kwargs)


class SignForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class ActOnReportForm(ExpectedStateMixin):
    """The office acts on the signed report; it types nothing of the conclusion."""
