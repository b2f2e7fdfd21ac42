from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Role

from .models import TokenScope


class TokenForm(forms.Form):
    name = forms.CharField(label=_("用途说明"), max_length=60,
                           help_text=_("例如：教务系统同步成绩单。"))
    holder = forms.ChoiceField(label=_("代表"))
    scope = forms.ChoiceField(label=_("权限范围"), choices=TokenScope.choices, initial=TokenScope.READ,
                              widget=forms.RadioSelect,
                              help_text=_("省人社厅令牌只用于导出报备数据，总是只读。"))

    def __init__(self, *args, holders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.holders = {self.key(role, inst): (role, inst) for role, inst in holders}
        self.fields["holder"].choices = [
            (key, inst.name if inst is not None else Role(role).label) for key, (role, inst) in self.holders.items()]

    @staticmethod
    def key(role, institution):
        return f"{role}:{institution.pk if institution else ''}"

    def clean_holder(self):
        return self.holders[self.cleaned_data["holder"]]


def errors_text(form):
    """A bound form's errors as one Chinese line, each with its field's label: “证书编号：…；姓名：…”."""
    return "；".join(f"{form.fields[name].label if name in form.fields else ''}：{message}".lstrip("：")
                    for name, messages in form.errors.items() for message in messages)
