"""Track B: skill-level certification filing (职业技能等级认定备案, 通知 三(二); DOMAIN §4).

- ``application``: 附件3 (the case itself and its row tables), 附件4 (``ImplementationPlan``),
  attachments and the snapshot of each submission.
- ``evaluation``: the expert panel and 附件5 (report, per-occupation conclusions, signatures).
- ``filing``: the province-wide code counter, filed occupations and generated PDFs.
- ``requests``: entrustment reports (委托报备); ``exemptions``: 1+X exemption requests (免试科目), batches, decisions.
"""

from .application import (
    EDITABLE_STATES,
    OPEN_STATES,
    Attachment,
    Equipment,
    Examiner,
    FilingApplication,
    FilingState,
    ImplementationPlan,
    ListedExpert,
    MajorOccupation,
    RegulationDocument,
    SkillLevel,
    Staff,
    Submission,
)
from .evaluation import (
    EvaluationReport,
    PanelConflict,
    PanelMember,
    ReportConclusion,
    ReportSignature,
    TrainingTarget,
)
from .exemptions import DECIDING_STATES, ExemptionBatch, ExemptionDecision, ExemptionRequest, ExemptionState
from .filing import FiledOccupation, FilingCodeCounter, GeneratedDocument
from .requests import ENTRUSTMENT_EDITABLE, Entrustment, EntrustmentState
from .standards import PassStandard, Subject

__all__ = [
    "EDITABLE_STATES", "OPEN_STATES", "ENTRUSTMENT_EDITABLE",
    "Attachment", "Equipment", "Examiner", "FilingApplication", "FilingState", "ImplementationPlan",
    "MajorOccupation", "ListedExpert", "RegulationDocument", "SkillLevel", "Staff", "Submission",
    "EvaluationReport", "PanelConflict", "PanelMember", "ReportConclusion", "ReportSignature", "TrainingTarget",
    "FiledOccupation", "FilingCodeCounter", "GeneratedDocument",
    "PassStandard", "Subject",
    "Entrustment", "EntrustmentState", "ExemptionRequest", "ExemptionState", "ExemptionBatch", "ExemptionDecision",
    "DECIDING_STATES",
]
