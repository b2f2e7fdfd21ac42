"""Use cases of the evaluation app, one function each (HackSoft style: keyword-only, validate, change, log).

- ``standards``: publish a school standard version (refused when looser than the baseline)
- ``records``: achievements with evidence, showing a full ID number (audited)
- ``accounts``: student accounts in bulk with one-time activation codes; activation
- ``imports``: transcript preview and all-or-nothing import (django-import-export or the fast path)
- ``cohort``: cohort evaluation runs and verdict storage
"""
