"""HTTP of the evaluation round, by area — HTTP only: parse, ask access/selectors, call a service, render. A round
or application the user may not see is a 404; one they see but may not act on is a 403. The public notices are
in ``public.py``.

- ``rounds``: lists, the round page and its steps; ``applications``: a graduate's application;
- ``meetings``: the committee meeting (the secretary's page, the members' pages, the ballot);
- ``results``: 复查 and 评审结果备案; ``workplace``: the graduate's choice to apply at the place of work;
- ``common``: what they share.
"""
