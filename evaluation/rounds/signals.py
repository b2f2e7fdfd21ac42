"""Signals of the rounds app.

``workplace_chosen`` is sent inside the transaction that records a graduate's 工作地 choice (通知 四(二)), with
``choice`` (the ``WorkplaceChoice``) and ``actor``. Skill certification lives in another app (``assessment``): its
receiver takes the graduate out of the school's skill sessions not yet held, or refuses the choice (by raising
``ValidationError``, which rolls the choice back) when the graduate already sits one.
"""

from django.dispatch import Signal

workplace_chosen = Signal()
