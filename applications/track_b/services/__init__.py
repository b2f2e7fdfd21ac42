"""Track B use cases. Each validates, changes, logs (TransitionLog + audit) and notifies whoever acts next —
the same way whether a person, a task or a command calls it. Transitions only go through
``applications.workflow.run_transition``. One module per area; everything is importable from here.
"""
from applications.workflow import WorkflowError  # noqa: F401 — raised by these services; callers catch it here

from .cases import (  # noqa: F401
    accept,
    create_application,
    prefill,
    return_for_revision,
    save_section,
    submit,
    withdraw,
)
from .common import (  # noqa: F401
    DEFAULT_OPINION,
    PANEL_MIN_SIZE,
    IncompleteApplication,
    TrackBError,
    access_role,
    link,
    schedule_documents,
)
from .entrustments import (  # noqa: F401
    acknowledge_entrustment,
    create_entrustment,
    entrustment_problems,
    report_entrustment,
    return_entrustment,
    save_entrustment,
)
from .exemptions import (  # noqa: F401
    EXEMPTION_OUTCOMES,
    create_exemption,
    decide_exemption,
    exemption_id_problem,
    submit_batch,
    withdraw_exemption,
)
from .filing import (  # noqa: F401
    file_application,
    refuse_filing,
    reveal_ids,
    supported_levels,
)
from .panel import (  # noqa: F401
    assign_panel,
    check_panel,
    classify_expert,
    conflicts_of,
    declare_conflict,
    listed_people,
    panel_problems,
)
from .report import (  # noqa: F401
    applied_occupations,
    reopen_evaluation,
    report_problems,
    save_report,
    sign_report,
)
