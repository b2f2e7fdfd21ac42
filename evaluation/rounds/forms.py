"""Forms of the round's pages. They parse; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Choice, ConflictKind, EmployerKind, EvidenceKind, ObjectionState, RereviewGrounds
from .models.applications import EVIDENCE_KINDS
from .rules import LEVEL_NAMES, levels_within

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FILE_ACCEPT = ",".join(f".{k}" for k in EVIDENCE_KINDS)


class OpenRoundForm(forms.Form):
    graduation_year = forms.TypedChoiceField(label=_("毕业年份"), coerce=int)
    majors = forms.MultipleChoiceField(label=_("评审专业"), widget=forms.CheckboxSelectMultiple)
    levels = forms.MultipleChoiceField(label=_("评审级别"), widget=forms.CheckboxSelectMultiple)
    application_deadline = forms.DateField(label=_("申报截止日期"), required=False, widget=DATE,
                                           help_text=_("可不填；不填则在公示评审对象前均可申报。"))

    def __init__(self, *args, authority, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["graduation_year"].choices = [(y, f"{y}届") for y in years]
        self.fields["majors"].choices = [(m, m) for m in authority.majors]
        self.fields["majors"].initial = list(authority.majors)
        self.fields["levels"].choices = [(lv, LEVEL_NAMES[lv]) for lv in ("technician", "assistant_engineer",
                                                                           "engineer") if lv in authority.levels]
        self.fields["levels"].initial = [c for c, _label in self.fields["levels"].choices]


class ApplicationForm(forms.Form):
    """Apply (a graduate), enrol (the school: with ``graduates``) or edit; evidence files may come along."""

    level = forms.ChoiceField(label=_("申报级别"), widget=forms.RadioSelect)
    employer_kind = forms.ChoiceField(
        label=_("就业单位性质"), choices=EmployerKind.choices, widget=forms.RadioSelect,
        help_text=_("附件2 一(四)：须在省内企业就业；在机关、事业单位就业的不能通过试点申报职称。"
                    "选择在工作地申报的，请在“在工作地申报”页面办理，不在学校评审中申报。"))
    employment = forms.FileField(label=EvidenceKind.EMPLOYMENT.label, required=False,
                                 widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}))
    tripartite = forms.FileField(label=EvidenceKind.TRIPARTITE.label, required=False,
                                 widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}))
    on_duty = forms.FileField(label=EvidenceKind.ON_DUTY.label, required=False,
                              widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}))
    other = forms.FileField(label=EvidenceKind.OTHER.label, required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}))

    FILE_FIELDS = ("employment", "tripartite", "on_duty", "other")

    def __init__(self, *args, round, graduates=None, verdict_level=None, with_files=True, **kwargs):
        super().__init__(*args, **kwargs)
        # 通知 四(四): never above the level the engine grants under the school's standard (the service refuses it too).
        levels = round.levels if verdict_level is None else levels_within(round.levels, verdict_level)
        self.fields["level"].choices = [(lv, LEVEL_NAMES[lv]) for lv in levels]
        if verdict_level is not None:
            self.fields["level"].help_text = _("只能申报资格评价结果及以下的级别；记录有误的，请学校更正记录后重新评价。")
        if graduates is not None:
            self.fields = {"graduate": forms.ModelChoiceField(
                label=_("毕业生"), queryset=graduates, empty_label=_("请选择"),
                help_text=_("本轮试点专业、本届毕业生中尚未申报的。")), **self.fields}
            self.fields["graduate"].label_from_instance = lambda g: f"{g.student_number} {g.name}（{g.major}）"
        if not with_files:
            for name in self.FILE_FIELDS:
                del self.fields[name]

    def files_by_kind(self):
        return [(name, self.cleaned_data[name]) for name in self.FILE_FIELDS
                if name in self.cleaned_data and self.cleaned_data[name]]


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类别"), choices=EvidenceKind.choices)
    file = forms.FileField(label=_("文件"), help_text=_("PDF、JPG 或 PNG，不超过10MB。"),
                           widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}))


class ReviewForm(forms.Form):
    DECISIONS = [("pass", _("资格审查通过")), ("return", _("退回修改")), ("refuse", _("资格审查不通过"))]
    decision = forms.ChoiceField(label=_("审查结论"), choices=DECISIONS, widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("审查意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("退回修改或不通过时必须写明理由，申报人可见。"))
    expected_state = forms.CharField(widget=forms.HiddenInput)


class NoticeForm(forms.Form):
    starts_on = forms.DateField(label=_("公示开始日期"), widget=DATE)
    contact = forms.CharField(label=_("异议受理联系方式"), max_length=200, required=False,
                              help_text=_("如：学校人事处 0555-2311000（可不填）"))
    expected_state = forms.CharField(widget=forms.HiddenInput)


class FinaliseForm(forms.Form):
    document_number = forms.CharField(label=_("批准文号"), max_length=60,
                                      help_text=_("学校确认评审结果的发文字号，如：安工大职评〔2025〕1号"))
    expected_state = forms.CharField(widget=forms.HiddenInput)


class ObjectionForm(forms.Form):
    entry = forms.ChoiceField(label=_("所涉人员"), required=False)
    content = forms.CharField(label=_("异议内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("请写明具体事实和依据。"))
    name = forms.CharField(label=_("反映人（可不填）"), max_length=50, required=False)
    contact = forms.CharField(label=_("联系方式（可不填）"), max_length=100, required=False,
                              help_text=_("留下联系方式便于学校核实；也可凭受理编号查询书面答复。"))
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1",
                                                                            "autocomplete": "off"}))

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [("", _("针对评审工作本身"))] + [
            (str(e.pk), f"{e.position}. {e.masked_name}（{e.major}，{e.get_level_display()}）") for e in entries]


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处理结论"), widget=forms.RadioSelect,
                                choices=[(ObjectionState.UPHELD, ObjectionState.UPHELD.label),
                                         (ObjectionState.DISMISSED, ObjectionState.DISMISSED.label)])
    answer = forms.CharField(label=_("书面答复"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("写明核查情况和理由；反映人可凭受理编号查看。"))
    revoke = forms.BooleanField(label=_("异议成立时，取消所涉人员的评审资格（评审对象公示）或评审结果（评审结果公示）"),
                                required=False, initial=True)


class ConveneForm(forms.Form):
    held_on = forms.DateField(label=_("会议日期"), widget=DATE)
    place = forms.CharField(label=_("会议地点"), max_length=100)
    size = forms.TypedChoiceField(label=_("本次会议评委会人数"), coerce=int,
                                  help_text=_("单数；主任委员出席，其余委员由平台从在任委员中随机抽取（留存随机种子，可复核）。"))

    def __init__(self, *args, pool_size, **kwargs):
        super().__init__(*args, **kwargs)
        sizes = [n for n in range(3, pool_size + 1) if n % 2]
        self.fields["size"].choices = [(n, _("%(n)d人") % {"n": n}) for n in reversed(sizes)]


class ConflictForm(forms.Form):
    kind = forms.ChoiceField(label=_("回避情形"), choices=ConflictKind.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("说明"), max_length=150, required=False,
                             help_text=_("“其他”须写明事由。在本校任职或给评审对象上过课不属于回避情形。"))


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("表决意见"), choices=Choice.choices, widget=forms.RadioSelect)


class RereviewForm(forms.Form):
    """复查: the outcome is the committee's to change; the request says why."""

    grounds = forms.ChoiceField(label=_("复查事由"), choices=RereviewGrounds.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("复查理由"), widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("写明申诉、投诉内容或发现的错误；评委会将在下次评审会议上对该申报人重新表决，"
                                         "新的结果经公示后生效。姓名、证件号码等打印信息有误的，请在证书页面更正证书。"))


class WorkplaceChoiceForm(forms.Form):
    """正文 四(二): the graduate's own choice to apply at the place of work."""

    employer = forms.CharField(label=_("工作单位"), max_length=100)
    employer_kind = forms.ChoiceField(
        label=_("单位性质"), choices=EmployerKind.choices, widget=forms.RadioSelect,
        help_text=_("通知 四(二)：须在省内企业就业并签订三方就业协议。在机关、事业单位就业的不能选择在工作地申报，"
                    "职业技能等级认定可在本校参加。"))
    for_title = forms.BooleanField(label=_("在工作地申报工程系列职称"), required=False, initial=True)
    for_skill = forms.BooleanField(label=_("在工作地申报职业技能等级认定"), required=False)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(
        label=_("我确认选择在工作地申报：将退出学校本年度的相应评审，学校不再为我申报。"), required=True)
