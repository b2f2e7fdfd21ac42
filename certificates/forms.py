import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal import identifiers
from portal.uploads import check_upload

from .models import CertificateKind, RevocationReason
from .services import CORRECTABLE


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("证书编号"), max_length=32)
    name = forms.CharField(label=_("姓名"), max_length=50, help_text=_("请输入持证人完整姓名。"))

    def clean_number(self):
        # NFKC: a number typed with a Chinese IME's full-width letters and digits, or an ideographic space
        return unicodedata.normalize("NFKC", self.cleaned_data["number"]).strip().upper().replace(" ", "")

    def clean_name(self):
        return self.cleaned_data["name"].strip()


class IdCheckForm(forms.Form):
    id_number = forms.CharField(label=_("完整证件号码"), max_length=20)


class PhotoZipForm(forms.Form):
    file = forms.FileField(label=_("照片压缩包（ZIP，文件名为证件号码）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload, kinds=("zip",), max_mb=50)
        return upload


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(label=_("撤销原因"), choices=RevocationReason.choices)
    note = forms.CharField(label=_("撤销说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)
    confirm = forms.BooleanField(label=_("我确认撤销该证书。撤销后不可恢复，证书编号不再使用。"))


CORRECT_LABELS = {
    "name": _("姓名"), "id_number": _("证件号码"), "job_type": _("工种/职业方向"), "gender": _("性别"),
    "birth_date": _("出生日期"), "employer": _("工作单位"), "major": _("专业"), "approval_no": _("批准文号"),
}


class CorrectForm(forms.Form):
    note = forms.CharField(label=_("更正说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)

    def __init__(self, *args, certificate, **kwargs):
        super().__init__(*args, **kwargs)
        self.certificate = certificate
        for name in CORRECTABLE[CertificateKind(certificate.kind)]:
            self.fields[name] = forms.CharField(label=CORRECT_LABELS[name], initial=certificate.data.get(name),
                                                max_length=100)
        self.order_fields([*CORRECTABLE[CertificateKind(certificate.kind)], "note"])

    def clean_id_number(self):
        result = identifiers.check_ric(self.cleaned_data["id_number"])
        if result.error:
            raise ValidationError(result.error)
        return result.number

    def changes(self):
        return {name: self.cleaned_data[name] for name in CORRECTABLE[CertificateKind(self.certificate.kind)]
                if self.cleaned_data.get(name) != self.certificate.data.get(name)}


PDF_CHECK_MAX_MB = 10


class PdfCheckForm(forms.Form):
    file = forms.FileField(label=_("电子证书或文件（PDF）"),
                           help_text=_("不超过10 MB。文件只用于本次核验，不保存。"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload, kinds=("pdf",), max_mb=PDF_CHECK_MAX_MB)
        return upload
