"""Forms of the evaluation committee: forming it, its members, the office's review, adjustment and revocation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.track_a import rules, selectors
from applications.track_a.forms import DATE, ExpectedStateMixin, RowFormSet
from applications.track_a.models import CommitteeFiling, CommitteeKind, CommitteeState, EvaluationCommittee

# --- the committee --------------------------------------------------------------------------------------------------

class CommitteeForm(forms.ModelForm):
    class Meta:
        model = EvaluationCommittee
        fields = ["name", "level", "kind", "temporary_reason", "temporary_until", "talent_pool", "method", "standard",
                  "rules_file"]
        widgets = {"level": forms.RadioSelect, "kind": forms.RadioSelect, "temporary_until": DATE,
                   "temporary_reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].required = False
        self.fields["kind"].initial = CommitteeKind.STANDING

    def clean_kind(self):
        return self.cleaned_data.get("kind") or CommitteeKind.STANDING

    def clean(self):
        data = super().clean()
        if data.get("kind") == CommitteeKind.TEMPORARY and not (data.get("temporary_reason") or "").strip():
            self.add_error("temporary_reason", _("临时组建评委会须说明特殊情况（附件2 二(二)）。"))
        return data


class MemberForm(forms.Form):
    expert = forms.TypedChoiceField(label=_("评审专家"), coerce=int)
    is_chair = forms.BooleanField(label=_("主任委员"), required=False)
    term_start = forms.DateField(label=_("任期开始"), widget=DATE)
    term_end = forms.DateField(label=_("任期结束"), widget=DATE, help_text=_("任期不超过3年。"))

    def __init__(self, *args, pool, **kwargs):
        super().__init__(*args, **kwargs)
        self.pool = pool  # {pk: ExpertProfile}, loaded once for the whole formset
        self.fields["expert"].choices = [("", "—")] + [
            (pk, f"{e.user.display_name}（{e.title}，{e.get_title_level_display()}）") for pk, e in pool.items()]

    def clean_expert(self):
        return self.pool[self.cleaned_data["expert"]]

    def clean(self):
        data = super().clean()
        start, end = data.get("term_start"), data.get("term_end")
        if start and end:
            if end <= start:
                self.add_error("term_end", _("任期结束日期应晚于开始日期。"))
            elif end > rules.add_years(start, rules.COMMITTEE_MAX_TERM_YEARS):
                self.add_error("term_end", _("任期不超过3年。"))
        return data


class MemberFormSet(RowFormSet):
    unique_field = "expert"


MemberFormSetClass = forms.formset_factory(MemberForm, formset=MemberFormSet, extra=1, can_delete=True)


def member_formset(committee, data=None):
    initial = [{"expert": m.expert_id, "is_chair": m.is_chair, "term_start": m.term_start, "term_end": m.term_end}
               for m in committee.members.all()]
    pool = {e.pk: e for e in selectors.committee_pool()}
    return MemberFormSetClass(data=data, initial=initial, prefix="members", form_kwargs={"pool": pool})


class CommitteeReviewForm(ExpectedStateMixin):
    """The filing office's decision on what is pending: a first filing (核准备案/退回修改), or an adjustment,
    renewal or revocation (同意/不同意)."""

    decision = forms.ChoiceField(label=_("审核结论"), widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              help_text=_("退回修改或不同意时必填。"))

    def __init__(self, *args, state=CommitteeState.FILED, **kwargs):
        super().__init__(*args, **kwargs)
        D = CommitteeFiling.Decision
        if state == CommitteeState.FILED:
            self.fields["decision"].choices = [(D.APPROVE, _("核准备案")), (D.RETURN, D.RETURN.label)]
        else:
            self.fields["decision"].choices = [(D.APPROVE, D.APPROVE.label), (D.REFUSE, D.REFUSE.label)]

    def clean(self):
        data = super().clean()
        if data.get("decision") != CommitteeFiling.Decision.APPROVE and not (data.get("reasons") or "").strip():
            self.add_error("reasons", _("退回修改或不同意时请写明理由。"))
        return data


class AdjustmentForm(ExpectedStateMixin):
    """报送调整（续期）: members out, members in (or re-appointed for a new term), the chair, renewal, reason."""

    remove = forms.TypedMultipleChoiceField(label=_("调出的委员"), coerce=int, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    chair = forms.TypedChoiceField(label=_("主任委员"), coerce=int, required=False, empty_value=None,
                                   help_text=_("不更换则留空。"))
    renew = forms.BooleanField(label=_("申请核准备案续期"), required=False)
    reason = forms.CharField(label=_("调整（续期）理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, serving, pool, **kwargs):
        super().__init__(*args, **kwargs)
        self.pool = pool
        self.fields["remove"].choices = [(m.pk, f"{m.expert.user.display_name}（{m.term_start}—{m.term_end}）")
                                         for m in serving]
        self.fields["chair"].choices = [("", "—")] + [(pk, e.user.display_name) for pk, e in pool.items()]


def adjustment_formsets(data=None):
    pool = {e.pk: e for e in selectors.committee_pool()}
    return pool, AddFormSetClass(data=data, prefix="add", form_kwargs={"pool": pool})


class AddMemberForm(MemberForm):
    is_chair = None


AddFormSetClass = forms.formset_factory(AddMemberForm, formset=MemberFormSet, extra=2)


class RevocationForm(ExpectedStateMixin):
    reason = forms.CharField(label=_("撤销理由"), widget=forms.Textarea(attrs={"rows": 3}))
