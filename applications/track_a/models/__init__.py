"""Track A models: 附件1 and its workflow (application), the provincial expert group (experts), the offices'
decisions (reviews), the committee."""

from applications.track_a.models.application import (  # noqa: F401
    EDITABLE_STATES,
    TRANSITION_LABELS,
    ApplicationPdf,
    PilotApplication,
    State,
    Submission,
    Venue,
)
from applications.track_a.models.committee import (  # noqa: F401
    IN_FORCE_STATES,
    CommitteeFiling,
    CommitteeKind,
    CommitteeLevel,
    CommitteeMember,
    CommitteeState,
    EvaluationCommittee,
)
from applications.track_a.models.experts import (  # noqa: F401
    ExpertGroup,
    ExpertOpinion,
    GroupConflict,
    GroupMember,
    GroupReport,
    GroupSignature,
    GroupState,
)
from applications.track_a.models.reviews import (  # noqa: F401
    CityReview,
    CoConstructionAgreement,
    Decision,
    DocumentReview,
    GrantedAuthority,
    Office,
    Recognition,
    SiteEvaluation,
)
from applications.track_a.models.rows import (  # noqa: F401
    CooperationDocument,
    FullTimeTeacher,
    PartnerEnterprise,
    PilotMajor,
    TeacherSource,
)
