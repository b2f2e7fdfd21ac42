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

from collections.abc import Callable
from functools import partial
from operator import attrgetter, is_, itemgetter
from typing import Any, NamedTuple

from .clauses import (
    ASSESSMENT_NAMES,
    DEGREE_CLASS_MIN,
    DEGREES,
    ENGINEER,
    LEVEL_NAMES,
    LEVELS,
    NONE,
    OPTION_KINDS,
    PATH_DEGREE,
    PATH_LEVEL,
    PATH_OPTIONS,
    PATHS,
    path_clause,
)
from .criteria import AT_LEAST, AT_MOST, CUSTOM, GATE_KINDS, KINDS, POOL, CriterionKind, Facts, make_check
from .profile import Profile
from .standard import DEFAULT_STANDARD, LevelStandard, PathStandard, SchoolStandard, ensure_valid

# --- results ---------------------------------------------------------------------


class CriterionResult(NamedTuple):
    """One criterion of a path: its clause, Chinese label, whether met, and the evidence used."""

    clause: str
    label: str
    met: bool
    evidence: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"clause": self.clause, "label": self.label, "met": self.met, "evidence": self.evidence}


class Verdict(NamedTuple):
    """The engine's answer for one profile (immutable); :meth:`to_dict` is the verdict contract."""

    id: str
    level: str  # engineer / assistant_engineer / technician / none
    path: str | None  # "1(3)", "2(1)", "3" … ; None when level is none
    may_apply: bool
    blocking: tuple[str, ...]
    criteria: tuple[CriterionResult, ...]  # of the deciding path, or of the nearest path when none
    missing_for_next: tuple[str, ...]

    @property
    def level_name(self) -> str:
        """工程师 / 助理工程师 / 技术员 / 未达到技术员条件."""
        return LEVEL_NAMES[self.level]

    @property
    def path_clause(self) -> str | None:
        """'附件2 一(八)1(3)' for path '1(3)'."""
        return None if self.path is None else path_clause(self.path)

    def to_dict(self) -> dict[str, Any]:
        """Exactly ``eligibility-verdict.schema.json``."""
        return {
            "id": self.id,
            "level": self.level,
            "path": self.path,
            "may_apply": self.may_apply,
            "blocking": list(self.blocking),
            "criteria": [c.to_dict() for c in self.criteria],
            "missing_for_next": list(self.missing_for_next),
        }


# --- may_apply: 附件2 一(四) and 一(六) -----------------------------------------------

# One reason per failed condition, each citing its clause.
NOT_PILOT_SCHOOL = "所在学校不是“工程师职称证书自主评审”试点学校（附件2 一(三)、一(四)；通知 二(一)）"
NOT_PILOT_MAJOR = "所学专业不是试点专业（附件2 一(三)、一(四)）"
NOT_EMPLOYED = "毕业离校当年度尚未在省内企业就业（附件2 一(四)：须在省内企业就业、签订三方就业协议并已到岗）"
NOT_IN_PROVINCE = "就业单位不在安徽省内（附件2 一(四)）"
NO_TRIPARTITE = "尚未签订三方就业协议（附件2 一(四)）"
NOT_ON_DUTY = "尚未到岗工作（附件2 一(四)）"
CONDUCT = "思想政治条件不符合要求（附件2 一(六)1）"
ASSESSMENT = "年度综合考核为{}，未达到良好以上（附件2 一(六)2）"
NOT_FIT = "不具备从事工程技术工作的身体条件（附件2 一(六)3）"
NO_CONTINUING_EDUCATION = "未完成学校规定的继续教育（公需课）学时（附件2 一(六)4）"
#: Unknown is not met (DOMAIN §3.6): one reason naming every condition the school has not stated.
NOT_PROVIDED = "未提供：{}（附件2 一(六)：学校记录前不能参评）"
GENERAL_LABELS = (("conduct_ok", "思想政治条件"), ("assessment", "年度综合考核"), ("physically_fit", "身体条件"),
                  ("continuing_education_done", "继续教育（公需课）学时"))

_GOOD_OR_BETTER = ("good", "excellent")  # 一(六)2: 综合表现考核达到良好以上


def blocking_reasons(p: Profile) -> tuple[str, ...]:
    """Why ``p`` may not be evaluated at all; empty when it may.

    附件2 一(四): a pilot major of a pilot school (when known — None does not
    block), employed by an enterprise in Anhui with a tripartite agreement and
    on duty in the graduation year; 附件2 一(六): general conditions, each stated by the school — one
    not stated (None) is unknown and blocks with "未提供：…", never counted as met.
    """
    e, g = p.employment, p.general
    if (e is not None and e.in_province and e.tripartite_agreement and e.on_duty
            and g.conduct_ok and g.physically_fit and g.continuing_education_done
            and g.assessment in _GOOD_OR_BETTER and p.pilot_major is not False and p.pilot_school is not False):
        return ()  # the common case
    reasons = []
    if p.pilot_school is False:
        reasons.append(NOT_PILOT_SCHOOL)
    if p.pilot_major is False:
        reasons.append(NOT_PILOT_MAJOR)
    if e is None:
        reasons.append(NOT_EMPLOYED)
    else:
        if not e.in_province:
            reasons.append(NOT_IN_PROVINCE)
        if not e.tripartite_agreement:
            reasons.append(NO_TRIPARTITE)
        if not e.on_duty:
            reasons.append(NOT_ON_DUTY)
    unknown = [label for key, label in GENERAL_LABELS if getattr(g, key) is None]
    if unknown:
        reasons.append(NOT_PROVIDED.format("、".join(unknown)))
    if g.conduct_ok is False:
        reasons.append(CONDUCT)
    if g.assessment is not None and g.assessment not in _GOOD_OR_BETTER:
        reasons.append(ASSESSMENT.format(ASSESSMENT_NAMES[g.assessment]))
    if g.physically_fit is False:
        reasons.append(NOT_FIT)
    if g.continuing_education_done is False:
        reasons.append(NO_CONTINUING_EDUCATION)
    return tuple(reasons)


# --- compiling a standard ---------------------------------------------------------------


class _Criterion(NamedTuple):
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


class _Path(NamedTuple):
    path: str
    clause: str
    level: str
    min_prog: int  # lowest programme that can ever meet the degree requirement
    gates: tuple[_Criterion, ...]  # mandatory: degree, practice, rank, school extras
    options: tuple[_Criterion, ...]  # the M of "M 选 N"
    m: int
    n: int
    gate_ws: Callable[[list], tuple]
    option_ws: Callable[[list], tuple]
    gate_slots: tuple[int, ...]
    option_slots: tuple[int, ...]
    rows: tuple[_Criterion | None, ...]  # gates, None for the "M选N" summary, options: the rows' order
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
    paths: tuple[_Path, ...]  # attainable paths, highest level first
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
    paths: tuple[_Path, ...]  # every path, PATHS order


def _generic_missing(label: str, clause: str) -> tuple[Callable[[Facts], None], Callable[[Any], str]]:
    text = f"需满足：{label}（{clause}）"
    return (lambda f: None), (lambda _: text)


class _Builder:
    """Allocates one test slot per distinct (kind, params) across all paths."""

    def __init__(self) -> None:
        self.slots: dict[tuple, int] = {}
        self.checks: list[Callable[[Facts], Any]] = []  # per slot, stand-alone
        self.tests: list[tuple[CriterionKind, tuple]] = []  # per slot: (kind, params)

    def compiled(self, paths: tuple[_Path, ...]) -> _Compiled:
        plans = tuple(self._plan(prog, paths) for prog in range(len(DEGREES)))
        return _Compiled(tuple(self.checks), plans, paths)

    def _plan(self, prog: int, all_paths: tuple[_Path, ...]) -> _Plan:
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

    def criterion(self, key: str, params: tuple, clause: str, label: str) -> _Criterion:
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
        return _Criterion(slot, clause, label, pool, accepts, kind.evidence,
                          {None: CriterionResult(clause, label, False, None)}, missing_of, missing, {})

    def of_path(self, key: str, path: str, ps: PathStandard, lv: LevelStandard) -> _Criterion | None:
        """A gate or option of a path, with thresholds from the standard; None if not set for it."""
        kind = KINDS[key]
        params = kind.params(path, ps, lv)
        return None if params is None else self.criterion(key, params, path_clause(path), kind.label(*params))

    def extra(self, key: str, path: str, ps: PathStandard, lv: LevelStandard) -> _Criterion:
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


def _matching_plan(gates: tuple[_Criterion, ...], options: tuple[_Criterion, ...]) -> tuple:
    """Pools that feed more than one criterion of the path, mandatory criteria first."""
    members: dict[str, list] = {}
    for is_gate, part in ((True, gates), (False, options)):
        for i, c in enumerate(part):
            if c.pool is not None:
                members.setdefault(c.pool, []).append((is_gate, i, c.accepts))
    return tuple((pool, tuple(ms)) for pool, ms in members.items() if len(ms) > 1)


def _compile_path(b: _Builder, path: str, ps: PathStandard, lv: LevelStandard) -> _Path:
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
    return _Path(path, clause, PATH_LEVEL[path], DEGREE_CLASS_MIN[PATH_DEGREE[path]], gates, options, m, n,
                 _slots_getter(gate_slots), _slots_getter(option_slots), gate_slots, option_slots,
                 rows, row_dicts, _matching_plan(gates, options), {})


def _compile(std: SchoolStandard) -> _Compiled:
    ensure_valid(std)  # 通知 四(四): a standard looser than the baseline is refused
    b = _Builder()
    return b.compiled(tuple(_compile_path(b, p, std.path(p), std.level(PATH_LEVEL[p])) for p in PATHS))


_BY_ID: dict[int, tuple[SchoolStandard, _Compiled]] = {}
_BY_VALUE: dict[SchoolStandard, _Compiled] = {}


def _compiled(std: SchoolStandard) -> _Compiled:
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


def _assigned(cp: _Path, f: Facts, ws: list) -> tuple[tuple, tuple]:
    """Witnesses of a path whose pools feed several criteria: each achievement used once."""
    gl, ol = list(cp.gate_ws(ws)), list(cp.option_ws(ws))
    for pool, members in cp.matching:
        got = assign([acc for _, _, acc in members], getattr(f, pool))
        for (is_gate, i, _), item in zip(members, got, strict=True):
            (gl if is_gate else ol)[i] = item
    return tuple(gl), tuple(ol)


# --- evaluation -----------------------------------------------------------------------------


_CACHE_MAX = 4096  # per criterion; rows and wordings depend on few distinct values in practice


def _criteria(cp: _Path, gw: tuple, ow: tuple, k: int) -> tuple[CriterionResult, ...]:
    """Rows of a path: its gates, then the "M选N" summary and each option.

    Rows are cached per criterion and witness, so the common case is one lookup
    per row done in C; a witness seen for the first time gets its row built here.
    """
    keys = gw + (k,) + ow if cp.m else gw
    rows = tuple(map(dict.get, cp.row_dicts, keys))
    if None in rows:
        rows = tuple(r if r is not None else _met_row(c, w) for r, c, w in zip(rows, cp.rows, keys))
    return rows


def _met_row(c: _Criterion, witness: Any) -> CriterionResult:
    row = CriterionResult(c.clause, c.label, True, c.evidence(witness))
    if len(c.rows) < _CACHE_MAX:
        c.rows[witness] = row
    return row


_is_none = partial(is_, None)


def _missing(cp: _Path, gw: tuple, ow: tuple, k: int, f: Facts) -> tuple[str, ...]:
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
    plan = _compiled(standard).plans[f.prog]
    ws = plan.witnesses(f)
    tried = []  # (path, gate witnesses, option witnesses, options met, items missing), highest first
    for cp, gate_ws, option_ws, m, n, matching in plan.steps:
        if matching:
            gw, ow = _assigned(cp, f, ws)
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
    cs = _compiled(standard)
    checks = cs.checks
    memo = [_UNSET] * len(checks)
    for cp in cs.plans[f.prog].paths:
        if cp.matching:
            gw, ow = _assigned(cp, f, [c(f) for c in checks])
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
    cp = _compiled(standard).paths[PATHS.index(path)]
    rows = [(c.clause, c.label) for c in cp.gates]
    if cp.options:
        rows.append((cp.clause, cp.row_dicts[len(cp.gates)][0].label))
        rows += [(c.clause, c.label) for c in cp.options]
    return tuple(rows)
