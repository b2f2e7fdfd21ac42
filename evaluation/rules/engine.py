"""The title eligibility engine: profile + school standard -> verdict (附件2 一(四)、(六)、(八)).

Two questions are answered separately (DOMAIN §3.6):

* *which level do the records reach* — every path of 附件2 一(八) is tried
  (1(1), 1(2), 1(3), 2(1), 2(2), 3) and the highest level any path reaches is
  reported with the path's clause, each criterion met/unmet with the evidence
  used, and what is still missing for the next level by its cheapest path;
* *may the graduate be evaluated at all* (``may_apply``) — 附件2 一(四)
  (employed in Anhui, tripartite agreement, on duty) and 一(六) (general
  conditions), plus pilot school/major when known — each failure one reason.

How it is fast (a cohort of 10^5 profiles in about a second): a standard is
compiled once (cached by identity, then by value) into per-path tuples of
criterion descriptors from :mod:`.criteria`, each bound to a *slot*.  Identical
criteria of different paths share a slot, so one profile runs each distinct
test once; paths then read their witnesses with ``itemgetter``.  Results of
unmet criteria are prebuilt; met ones are cached per witness.  Only when one
achievement pool feeds two criteria of a path (possible only through a
school's extra requirements) does a path pay for a real assignment.
"""

from __future__ import annotations

from functools import partial
from operator import is_
from typing import Any

from .clauses import (
    ENGINEER,
    LEVELS,
    NONE,
    PATHS,
)
from .compiled import CompiledCriterion, CompiledPath, assigned_witnesses, compiled_standard
from .conditions import blocking_reasons
from .criteria import Facts
from .profile import Profile
from .results import CriterionResult, Verdict
from .standard import DEFAULT_STANDARD, SchoolStandard

# --- evaluation -----------------------------------------------------------------------------


_CACHE_MAX = 4096  # per criterion; rows and wordings depend on few distinct values in practice


def _criteria(cp: CompiledPath, gw: tuple, ow: tuple, k: int) -> tuple[CriterionResult, ...]:
    """Rows of a path: its gates, then the "M选N" summary and each option.

    Rows are cached per criterion and witness, so the common case is one lookup
    per row done in C; a witness seen for the first time gets its row built here.
    """
    keys = gw + (k,) + ow if cp.m else gw
    rows = tuple(map(dict.get, cp.row_dicts, keys))
    if None in rows:
        rows = tuple(r if r is not None else _met_row(c, w) for r, c, w in zip(rows, cp.rows, keys))
    return rows


def _met_row(c: CompiledCriterion, witness: Any) -> CriterionResult:
    row = CriterionResult(c.clause, c.label, True, c.evidence(witness))
    if len(c.rows) < _CACHE_MAX:
        c.rows[witness] = row
    return row


_is_none = partial(is_, None)


def _missing(cp: CompiledPath, gw: tuple, ow: tuple, k: int, f: Facts) -> tuple[str, ...]:
    """What a student must still do to reach ``cp``, in words, each citing the clause."""
    out = []
    for c, w in zip(cp.gates, gw):
        if w is None:
            value = c.missing_of(f)
            text = c.missing_cache.get(value)
            if text is None:
                text = c.missing(value)
                if len(c.missing_cache) < _CACHE_MAX:
                    c.missing_cache[value] = text
            out.append(text)
    if k < cp.n:
        key = (k, tuple(map(_is_none, ow)))
        text = cp.options_missing.get(key)
        if text is None:
            labels = "；".join([c.label for c, w in zip(cp.options, ow) if w is None])
            text = cp.options_missing[key] = f"再满足以下任意{cp.n - k}项：{labels}（{cp.clause}）"
        out.append(text)
    return tuple(out)


def evaluate(profile: Profile, standard: SchoolStandard = DEFAULT_STANDARD) -> Verdict:
    """The full verdict for one graduate under ``standard`` (附件2 一(四)、(六)、(八)).

    Raises :class:`~.standard.StandardError` if ``standard`` is looser than the baseline.
    """
    f = Facts(profile)
    plan = compiled_standard(standard).plans[f.prog]
    ws = plan.witnesses(f)
    tried = []  # (path, gate witnesses, option witnesses, options met, items missing), highest first
    for cp, gate_ws, option_ws, m, n, matching in plan.steps:
        if matching:
            gw, ow = assigned_witnesses(cp, f, ws)
        else:
            gw, ow = gate_ws(ws), option_ws(ws)
        k = m - ow.count(None)
        short = gw.count(None) + (n - k if k < n else 0)
        if not short:
            level, path = cp.level, cp.path
            criteria = _criteria(cp, gw, ow, k)
            break
        tried.append((cp, gw, ow, k, short))
    else:
        level, path = NONE, None
        # Nearest path: fewest missing items; ties go to the lower level.
        nearest = tried[-1]
        for row in reversed(tried):
            if row[4] < nearest[4]:
                nearest = row
        criteria = _criteria(*nearest[:4])

    missing: tuple[str, ...] = ()
    if level != ENGINEER:
        # Cheapest path of the next level; they are all above the one reached, so all tried.
        next_level = _NEXT_LEVEL[level]
        cheapest = None
        for row in tried:
            if row[0].level == next_level and (cheapest is None or row[4] < cheapest[4]):
                cheapest = row
        missing = _missing(*cheapest[:4], f)

    blocking = blocking_reasons(profile)
    return Verdict(profile.id, level, path, not blocking, blocking, criteria, missing)


_NEXT_LEVEL = {NONE: LEVELS[2], LEVELS[2]: LEVELS[1], LEVELS[1]: LEVELS[0]}
_UNSET = object()


def level_only(profile: Profile, standard: SchoolStandard = DEFAULT_STANDARD) -> str:
    """Just the level code reached (same answer as ``evaluate(...).level``), as fast as possible.

    Tests run lazily; a path stops at its first failing gate or as soon as N options are met.
    """
    f = Facts(profile)
    cs = compiled_standard(standard)
    checks = cs.checks
    memo = [_UNSET] * len(checks)
    for cp in cs.plans[f.prog].paths:
        if cp.matching:
            gw, ow = assigned_witnesses(cp, f, [c(f) for c in checks])
            if None not in gw and cp.m - ow.count(None) >= cp.n:
                return cp.level
            continue
        for s in cp.gate_slots:
            w = memo[s]
            if w is _UNSET:
                w = memo[s] = checks[s](f)
            if w is None:
                break
        else:
            need = cp.n
            if need:
                for s in cp.option_slots:
                    w = memo[s]
                    if w is _UNSET:
                        w = memo[s] = checks[s](f)
                    if w is not None:
                        need -= 1
                        if not need:
                            break
            if not need:
                return cp.level
    return NONE


def path_criteria(path: str, standard: SchoolStandard = DEFAULT_STANDARD) -> tuple[tuple[str, str], ...]:
    """(clause, label) of every criterion of ``path`` under ``standard`` — for showing a standard."""
    cp = compiled_standard(standard).paths[PATHS.index(path)]
    rows = [(c.clause, c.label) for c in cp.gates]
    if cp.options:
        rows.append((cp.clause, cp.row_dicts[len(cp.gates)][0].label))
        rows += [(c.clause, c.label) for c in cp.options]
    return tuple(rows)
