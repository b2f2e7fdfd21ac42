"""评价实施 use cases: plans (``plans``), sessions and their oversight (``sessions``), candidates (``candidates``),
scores (``scores``) and results and issuance (``results``). Every state change runs through
``applications.workflow.run_transition``; every refusal is an ``AssessmentError`` with Chinese reasons."""
