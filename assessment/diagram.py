"""The skill assessment's workflow diagrams (``docs/assessment_workflow.md``), written by the one generator
``applications.diagrams`` (``manage.py workflow_diagrams``; a test fails when the file is stale)."""

from applications.diagrams import Document, Section

from .models import AnnualPlan, Session, UnemployedDeclaration

DOCUMENT = Document(
    name="assessment_workflow",
    heading="评价实施（职业技能等级认定）状态机（由代码生成，勿手工修改）",
    prose=(
        "由 `python manage.py workflow_diagrams` 根据 django_fsm 的转换元数据生成；"
        "每个转换都经 `applications.workflow.run_transition` 执行并记录。",
    ),
    sections=(
        Section(AnnualPlan, "年度计划报告"),
        Section(Session, "考务场次（报送、实施、结果公示与报送）"),
        Section(UnemployedDeclaration, "离校未就业声明（视同应届：学生声明，学校确认）"),
    ),
    actors={"_may_edit": "认定机构（高校）经办人", "_may_oversee": "备案部门（派生）官员",
            "_may_report": "认定机构（高校）经办人", "_may_answer": "备案部门（派生）官员",
            "_may_decide": "毕业生所在学校经办人"},
)
