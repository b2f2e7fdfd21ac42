"""Track B's workflow diagrams (``docs/track_b_workflow.md`` and ``.dot``), written by the one generator
``applications.diagrams`` (``manage.py workflow_diagrams``; a test fails when the files are stale)."""

from applications.diagrams import Document, Section
from applications.track_b.models import Entrustment, ExemptionRequest, FilingApplication

DOCUMENT = Document(
    name="track_b_workflow",
    heading="Track B 状态机（由代码生成，勿手工修改）",
    prose=(
        "由 `python manage.py workflow_diagrams` 根据 django_fsm 的转换元数据生成；"
        "每个转换都经 `applications.workflow.run_transition` 执行并记录（操作人、角色、时间、意见）。"
        "Graphviz 版本：`dot -Tsvg docs/track_b_workflow.dot`。",
    ),
    sections=(
        Section(FilingApplication, "职业技能等级认定备案申请（附件3/4 → 评估论证 附件5 → 备案）"),
        Section(Entrustment, "委托认定报备"),
        Section(ExemptionRequest, "“1+X”免试科目申请"),
    ),
    # The permission callable of each transition, as the people who may make it.
    actors={"_may_submit": "申报单位经办人", "_may_review": "受理部门（派生）官员",
            "_may_register_historical": "备案部门（派生）官员", "_may_sign": "专家组成员",
            "_may_report": "报备单位经办人", "_may_acknowledge": "受理部门（派生）官员",
            "_may_decide": "省人社厅、省教育厅（各自决定）",
            "_may_school_submit": "学生所在高校经办人（批次报送）", "_may_withdraw": "申请学生"},
    dot=True,
)
