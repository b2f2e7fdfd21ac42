"""Track A use cases, one function each, with keyword-only arguments. Every state change goes through
``applications.workflow.run_transition`` (lock, permission, log, audit, notify) — whether a person, a task or a
command calls it. The offices' decisions are recorded as their own rows in the same transaction.

- ``applications``: 附件1 and its workflow through the city and provincial offices;
- ``reviews``: the expert review (论证) and on-site evaluation (实地评估) organised by the province;
- ``committees``: the evaluation committee — formed, filed, adjusted, renewed, revoked — and what a round asks.
"""

from applications.track_a import selectors

from .applications import *  # noqa: F401,F403
from .applications import _city_role_of, rows_of  # noqa: F401
from .committee_changes import *  # noqa: F401,F403
from .committees import *  # noqa: F401,F403
from .common import *  # noqa: F401,F403
from .common import _link, _transition  # noqa: F401
from .reviews import *  # noqa: F401,F403

# Re-exported for other apps: the evaluation round asks these.
granted_authority_for = selectors.granted_authority_for
filed_committee_for = selectors.filed_committee_for
