"""Signals of the rounds app.

``workplace_chosen`` is sent inside the transaction that records a graduate's 工作地 choice (通知 四(二)), with
``choice`` (the ``WorkplaceChoice``) and ``actor``. Skill certification lives in another app (``assessment``): its
receiver takes the graduate out of the school's skill sessions not yet held, or refuses the choice (by raising
``ValidationError``, which rolls the choice back) when the graduate already sits one.

``decision_superseded`` (``old``, ``new``, ``actor``) is sent inside the transaction in which a 复查 ends with a new
decision; ``result_refused`` (``decision``, ``reason``, ``actor``, ``role``) inside the one in which the office
that filed the committee refuses to record a passed result. Certificates live in another app (``certificates``):
its receivers revoke a title certificate the decision no longer supports (DOMAIN §7: no certificate for a refused
result, a change of outcome only by 复查).
"""

from django.dispatch import Signal

workplace_chosen = Signal()
decision_superseded = Signal()
result_refused = Signal()
