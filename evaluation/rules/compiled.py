"""A school standard compiled once into per-path criterion descriptors, and the assignment of achievements
to criteria (how the engine is fast: see engine's docstring)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from .clauses import (
    DEGREE_CLASS_MIN,
    DEGREES,
    OPTION_KINDS,
    PATH_DEGREE,
    PATH_LEVEL,
    PATH_OPTIONS,
    PATHS,
    path_clause,
)
from .criteria import AT_LEAST, AT_MOST, CUSTOM, GATE_KINDS, KINDS, POOL, CriterionKind, Facts, make_check
from .results import CriterionResult
from .standard import LevelStandard, PathStandard, SchoolStandard, ensure_valid

# --- compiling a standard ---------------------------------------------------------------


class CompiledCriterion(NamedTuple):
    slot: int  # index of its test in the witness list
    clause: str
    label: str
    pool: str | None
    accepts: Callable[[Any], bool] | None
    evidence: Callable[[Any], str]
    rows: dict  # witness -> CriterionResult; None -> the unmet row; met rows are added as seen
    missing_of: Callable[[Facts], Any]  # the facts the "missing" wording depends on
    missing: Callable[[Any], str]  # those facts -> wording, for a mandatory criterion unmet
    missing_cache: dict


class CompiledPath(NamedTuple):
    path: str
    clause: str
    level: str
    min_prog: int  # lowest programme that can ever meet the degree requirement
    gates: tuple[CompiledCriterion, ...]  # mandatory: degree, practice, rank, school extras
    options: tuple[CompiledCriterion, ...]  # the M of "M 选 N"
    m: int
    n: int
    gate_ws: Callable[[list], tuple]
    option_ws: Callable[[list], tuple]
    gate_slots: tuple[int, ...]
    option_slots: tuple[int, ...]
    rows: tuple[CompiledCriterion | None, ...]  # gates, None for the "M选N" summary, options: the rows' order
    row_dicts: tuple[dict, ...]  # per row: witness -> CriterionResult (the summary: options met -> row)
    matching: tuple  # ((pool, ((is_gate, index, accepts), ...)), ...) for pools feeding >1 criterion
    options_missing: dict  # (number met, unmet pattern) -> wording


class _Plan(NamedTuple):
    """What one programme (专科/本科/硕士/博士) needs tested: only its attainable paths.

    A path whose degree requirement the programme can never meet (a bachelor and
    1(1)) can be neither reached, nor nearest, nor cheapest, so neither it nor
    the tests only it uses are run.  Tests are grouped by the fact or pool they
    read, so threshold tests cost one comparison each and a profile without,
    say, patents skips all patent tests at once.
    """

    blank: list  # [None] * number of slots
    custom: tuple[tuple[int, Callable[[Facts], Any]], ...]  # (slot, check)
    at_least: tuple[tuple[Callable[[Facts], Any], tuple[tuple[int, Any], ...]], ...]  # (get, ((slot, min), …))
    at_most: tuple[tuple[Callable[[Facts], Any], tuple[tuple[int, Any], ...]], ...]  # (get, ((slot, max), …))
    pools: tuple[tuple[Callable[[Facts], Any], tuple[tuple[int, Callable[[Any], bool]], ...]], ...]
    paths: tuple[CompiledPath, ...]  # attainable paths, highest level first
    steps: tuple[tuple, ...]  # per path (path, gate_ws, option_ws, m, n, matching), for the hot loop

    def witnesses(self, f: Facts) -> list:
        """Run every distinct test once: the witness (or None) per slot."""
        ws = self.blank[:]
        for slot, check in self.custom:
            ws[slot] = check(f)
        for get, tests in self.at_least:
            v = get(f)
            for slot, minimum in tests:
                if v >= minimum:
                    ws[slot] = v
        for get, tests in self.at_most:
            v = get(f)
            if v is not None:
                for slot, maximum in tests:
                    if v <= maximum:
                        ws[slot] = v
        for get, tests in self.pools:
            items = get(f)
            if items:
                for slot, accepts in tests:
                    for item in items:
                        if accepts(item):
                            ws[slot] = item
                            break
        return ws


class _Compiled(NamedTuple):
    checks: tuple[Callable[[Facts], Any], ...]  # per slot, for lazy use (level_only)
    plans: tuple[_Plan, ...]  # indexed by programme order (clauses.DEGREES)
    paths: tuple[CompiledPath, ...]  # every path, PATHS order


def _generic_missing(label: str, clause: str) -> tuple[Callable[[Facts], None], Callable[[Any], str]]:
    text = f"需满足：{label}（{clause}）"
    return (lambda f: None), (lambda _: text)


class _Builder:
    """Allocates one test slot per distinct (kind, params) across all paths."""

    def __init__(self) -> None:
        self.slots: dict[tuple, int] = {}
        self.checks: list[Callable[[Facts], Any]] = []  # per slot, stand-alone
        self.tests: list[tuple[CriterionKind, tuple]] = []  # per slot: (kind, params)

    def compiled(self, paths: tuple[CompiledPath, ...]) -> _Compiled:
        plans = tuple(self._plan(prog, paths) for prog in range(len(DEGREES)))
        return _Compiled(tuple(self.checks), plans, paths)

    def _plan(self, prog: int, all_paths: tuple[CompiledPath, ...]) -> _Plan:
        paths = tuple(cp for cp in all_paths if cp.min_prog <= prog)
        used = sorted({s for cp in paths for s in cp.gate_slots + cp.option_slots})
        custom, groups = [], {AT_LEAST: {}, AT_MOST: {}, POOL: {}}
        for s in used:
            kind, params = self.tests[s]
            if kind.shape == CUSTOM:
                custom.append((s, self.checks[s]))
            else:
                test = kind.test(*params) if kind.shape == POOL else params[0]
                groups[kind.shape].setdefault(kind.source, []).append((s, test))

        def grouped(shape: str) -> tuple:
            return tuple((attrgetter(src), tuple(tests)) for src, tests in groups[shape].items())

        steps = tuple((cp, cp.gate_ws, cp.option_ws, cp.m, cp.n, cp.matching) for cp in paths)
        return _Plan([None] * len(self.checks), tuple(custom), grouped(AT_LEAST), grouped(AT_MOST),
                     grouped(POOL), paths, steps)

    def criterion(self, key: str, params: tuple, clause: str, label: str) -> CompiledCriterion:
        kind: CriterionKind = KINDS[key]
        slot = self.slots.get((key, params))
        if slot is None:
            slot = self.slots[(key, params)] = len(self.checks)
            self.tests.append((kind, params))
            self.checks.append(make_check(kind, params))
        pool = kind.source if kind.shape == POOL else None
        accepts = kind.test(*params) if pool else None
        if kind.missing is not None:
            read = kind.missing_from
            missing_of = attrgetter(*read) if isinstance(read, tuple) else attrgetter(read)
            missing = partial(kind.missing, clause, *params)
        else:
            missing_of, missing = _generic_missing(label, clause)
        return CompiledCriterion(slot, clause, label, pool, accepts, kind.evidence,
                          {None: CriterionResult(clause, label, False, None)}, missing_of, missing, {})

    def of_path(self, key: str, path: str, ps: PathStandard, lv: LevelStandard) -> CompiledCriterion | None:
        """A gate or option of a path, with thresholds from the standard; None if not set for it."""
        kind = KINDS[key]
        params = kind.params(path, ps, lv)
        return None if params is None else self.criterion(key, params, path_clause(path), kind.label(*params))

    def extra(self, key: str, path: str, ps: PathStandard, lv: LevelStandard) -> CompiledCriterion:
        """A mandatory criterion the school added (PathStandard.extra_requirements)."""
        kind = KINDS[key]
        params = kind.params(path, ps, lv)
        label = kind.label(*params) + ("（必备）" if key in OPTION_KINDS else "")
        return self.criterion(key, params, f"{kind.clause or path_clause(path)} 学校标准", label)


def _slots_getter(slots: tuple[int, ...]) -> Callable[[list], tuple]:
    if not slots:
        return lambda ws: ()
    if len(slots) == 1:
        only = slots[0]
        return lambda ws: (ws[only],)
    return itemgetter(*slots)


def _matching_plan(gates: tuple[CompiledCriterion, ...], options: tuple[CompiledCriterion, ...]) -> tuple:
    """Pools that feed more than one criterion of the path, mandatory criteria first."""
    members: dict[str, list] = {}
    for is_gate, part in ((True, gates), (False, options)):
        for i, c in enumerate(part):
            if c.pool is not None:
                members.setdefault(c.pool, []).append((is_gate, i, c.accepts))
    return tuple((pool, tuple(ms)) for pool, ms in members.items() if len(ms) > 1)


def _compile_path(b: _Builder, path: str, ps: PathStandard, lv: LevelStandard) -> CompiledPath:
    clause = path_clause(path)
    gates = [c for c in (b.of_path(k, path, ps, lv) for k in GATE_KINDS) if c is not None]
    gates += [b.extra(k, path, ps, lv) for k in ps.extra_requirements]
    options = tuple(b.of_path(k, path, ps, lv) for k in PATH_OPTIONS[path])
    m, n = len(options), ps.options_required
    summary = {
        k: CriterionResult(clause, f"以下{m}项条件中满足{n}项（{m}选{n}）", k >= n, f"已满足{k}项" if k else None)
        for k in range(m + 1)
    }
    gates = tuple(gates)
    rows = gates + ((None,) + options if m else ())
    row_dicts = tuple(summary if c is None else c.rows for c in rows)
    gate_slots = tuple(c.slot for c in gates)
    option_slots = tuple(c.slot for c in options)
    return CompiledPath(path, clause, PATH_LEVEL[path], DEGREE_CLASS_MIN[PATH_DEGREE[path]], gates, options, m, n,
                 _slots_getter(gate_slots), _slots_getter(option_slots), gate_slots, option_slots,
                 rows, row_dicts, _matching_plan(gates, options), {})


def _compile(std: SchoolStandard) -> _Compiled:
    ensure_valid(std)  # 通知 四(四): a standard looser than the baseline is refused
    b = _Builder()
    return b.compiled(tuple(_compile_path(b, p, std.path(p), std.level(PATH_LEVEL[p])) for p in PATHS))


_BY_ID: dict[int, tuple[SchoolStandard, _Compiled]] = {}
_BY_VALUE: dict[SchoolStandard, _Compiled] = {}


def compiled_standard(std: SchoolStandard) -> _Compiled:
    hit = _BY_ID.get(id(std))
    if hit is not None and hit[0] is std:
        return hit[1]
    compiled = _BY_VALUE.get(std)
    if compiled is None:
        compiled = _compile(std)
        if len(_BY_VALUE) >= 128:
            _BY_VALUE.clear()
        _BY_VALUE[std] = compiled
    if len(_BY_ID) >= 1024:
        _BY_ID.clear()
    _BY_ID[id(std)] = (std, compiled)  # holding std keeps its id from being reused
    return compiled


# --- assignment of achievements to criteria ---------------------------------------------


def assign(accepts: list[Callable[[Any], bool]], items: tuple) -> list[Any]:
    """Give each criterion at most one item and each item to at most one criterion.

    Maximum bipartite matching (Kuhn's augmenting paths).  Criteria are taken in
    order and an augmenting path never unmatches a criterion already matched, so
    with mandatory criteria first the result satisfies as many of them as
    possible and then as many options as possible.  Returns, per criterion, the
    item assigned or None.
    """
    adjacent = [[j for j, item in enumerate(items) if acc(item)] for acc in accepts]
    owner = [-1] * len(items)

    def augment(c: int, seen: set[int]) -> bool:
        for j in adjacent[c]:
            if j not in seen:
                seen.add(j)
                if owner[j] < 0 or augment(owner[j], seen):
                    owner[j] = c
                    return True
        return False

    for c in range(len(accepts)):
        augment(c, set())
    result: list[Any] = [None] * len(accepts)
    for j, c in enumerate(owner):
        if c >= 0:
            result[c] = items[j]
    return result


def assigned_witnesses(cp: CompiledPath, f: Facts, ws: list) -> tuple[tuple, tuple]:
    """Witnesses of a path whose pools feed several criteria: each achievement used once."""
    gl, ol = list(cp.gate_ws(ws)), list(cp.option_ws(ws))
    for pool, members in cp.matching:
        got = assign([acc for _, _, acc in members], getattr(f, pool))
        for (is_gate, i, _), item in zip(members, got, strict=True):
            (gl if is_gate else ol)[i] = item
    return tuple(gl), tuple(ol)
