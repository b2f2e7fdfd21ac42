from django import forms
from django.utils.translation import gettext_lazy as _

from portal import audit_labels
from portal.models import AuditLog


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    action = forms.CharField(label=_("操作"), required=False, max_length=64)
    object_type = forms.CharField(label=_("对象类型"), required=False, max_length=64)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actions = AuditLog.objects.order_by().values_list("action", flat=True).distinct()
        self.fields["action"].widget = forms.Select(choices=[("", _("全部"))] + sorted(
            ((a, audit_labels.action_label(a)) for a in actions), key=lambda choice: choice[1]))
