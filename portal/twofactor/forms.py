from django import forms
from django.utils.translation import gettext_lazy as _


class ResetForm(forms.Form):
    """An administrator resets another account's second factor (a lost phone)."""

    username = forms.CharField(label=_("账号（用户名）"), max_length=150, strip=True,
                               error_messages={"required": _("请输入要重置的账号。")})
    reason = forms.CharField(label=_("重置原因"), max_length=500, strip=True, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("例如：手机丢失，已电话核实本人身份。原因记入审计日志并告知本人。"),
                             error_messages={"required": _("请填写重置原因。")})
    confirm = forms.BooleanField(label=_("我已核实申请人身份，确认重置其两步验证"),
                                 error_messages={"required": _("请勾选确认已核实申请人身份。")})


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label=_("验证码"), max_length=32, strip=True,
        error_messages={"required": _("请输入验证码。")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True,
                                      "spellcheck": "false", "autocapitalize": "off"}))
