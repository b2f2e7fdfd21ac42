"""The certificate's life (``docs/certificates_workflow.md``), written by the one generator
``applications.diagrams`` (``manage.py workflow_diagrams``; a test fails when the file is stale)."""

from applications.diagrams import Document, Section

from .models import Certificate

DOCUMENT = Document(
    name="certificates_workflow",
    heading="证书状态（由代码生成，勿手工修改）",
    prose=(
        "由 `python manage.py workflow_diagrams` 根据 django_fsm 的转换元数据生成。证书只由颁发服务写入"
        "（`certificates.services`），转换没有 `permission`：由服务先检查颁发单位经办人的权限；撤销须写明理由，"
        "更正由新版本替代旧版本，两者都显示在公开核验页上。职称证书随其评审结果决定：评委会复查改为未通过、"
        "或人社部门对评审结果不予备案时，证书在同一事务中自动撤销（`certificates.signals`）；复查仍为通过的，"
        "依新决定颁发的证书替代原证书。",
    ),
    sections=(Section(Certificate, "证书", field_name="status"),),
)
