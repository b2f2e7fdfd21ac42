"""Throughput of the title eligibility engine (evaluation/rules), in verdicts per second.

Why: a school evaluates a whole graduating cohort — and a province all of its pilot
schools — whenever a standard changes, so the engine must be cheap per graduate.
The goal is >= 100,000 full verdicts/s (``evaluate``: every criterion with its
evidence and the missing list, no JSON) and ~250,000/s for ``level_only``, in one
process.

The profiles are seeded (random.Random(42)) and shaped like a real cohort (DOMAIN
§7: of 277 graduates of 马鞍山学院's first cohort, 1 reached 工程师, 13 助理工程师,
199 技术员): most reach 技术员, few 工程师.  Building the profiles is not timed.

Wall-clock figures are the claim; CPU-time figures are printed beside them because a
shared machine's other load inflates wall time.

Run from the repository root:  python benchmarks/bench_engine.py [N]
"""

from __future__ import annotations

import gc
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evaluation.rules import (  # noqa: E402
    DEFAULT_STANDARD,
    CompetitionAward,
    Employment,
    General,
    InnovationProject,
    Paper,
    Patent,
    Profile,
    SkillCertificate,
    evaluate,
    level_only,
)


def _pick(rng: random.Random, weighted: dict) -> object:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def make_profile(rng: random.Random, i: int) -> Profile:
    """One graduate of a typical applied-science cohort (mostly 专科/本科, few postgraduates)."""
    degree = _pick(rng, {"junior_college": 38, "bachelor": 58, "master": 3.6, "phd": 0.4})
    months = _pick(rng, {0: 6, 0.5: 4, 1: 20, 2: 24, 3: 24, 4: 9, 6: 7, 12: 4, 18: 2})
    awards = [
        CompetitionAward(_pick(rng, {"school": 60, "municipal": 10, "provincial": 25, "national": 4.5,
                                     "international": 0.5}), _pick(rng, {1: 30, 2: 30, 3: 40}))
        for _ in range(_pick(rng, {0: 62, 1: 30, 2: 8}))
    ]
    patents = [
        Patent(_pick(rng, {"invention": 20, "utility_model": 50, "software_copyright": 30}), rng.randint(1, 5))
        for _ in range(_pick(rng, {0: 90, 1: 8, 2: 2}))
    ]
    skills = [
        SkillCertificate(_pick(rng, {5: 40, 4: 50, 3: 10}), "6-31-01-03", rng.random() < 0.3)
        for _ in range(_pick(rng, {0: 30, 1: 63, 2: 7}))
    ]
    projects = [
        InnovationProject(_pick(rng, {"school": 70, "provincial": 25, "national": 5}),
                          _pick(rng, {"leader": 35, "member": 65}), rng.random() < 0.8)
        for _ in range(_pick(rng, {0: 78, 1: 20, 2: 2}))
    ]
    papers = [Paper(rng.random() < 0.4, rng.random() < 0.9) for _ in range(_pick(rng, {0: 95, 1: 4, 2: 1}))]
    employed = rng.random() < 0.85
    return Profile(
        id=f"S{i:06d}",
        degree=degree,
        has_diploma=rng.random() < 0.97,
        has_degree=degree == "junior_college" or rng.random() < 0.95,
        practice_months=months,
        major_rank_percent=None if rng.random() < 0.1 else round(rng.uniform(1, 100), 1),
        design_grade=_pick(rng, {"excellent": 10, "good": 35, "medium": 35, "pass": 15, "fail": 2, None: 3}),
        ncre_level=_pick(rng, {0: 45, 1: 15, 2: 33, 3: 6, 4: 1}),
        competition_awards=tuple(awards),
        patents=tuple(patents),
        skill_certificates=tuple(skills),
        innovation_projects=tuple(projects),
        papers=tuple(papers),
        general=General(conduct_ok=True, assessment=_pick(rng, {"excellent": 20, "good": 70, "pass": 9, "fail": 1}),
                        physically_fit=True, continuing_education_done=True),
        employment=Employment(rng.random() < 0.95, rng.random() < 0.9, rng.random() < 0.95) if employed else None,
    )


def _rate(fn, profiles) -> tuple[float, float, Counter]:
    """(per second by wall clock, per second by this process's CPU time, counts of fn's results)."""
    counts: Counter = Counter()
    wall, cpu = time.perf_counter(), time.process_time()
    for p in profiles:
        counts[fn(p)] += 1
    return len(profiles) / (time.perf_counter() - wall), len(profiles) / (time.process_time() - cpu), counts


def _best(fn, profiles, repeats: int) -> tuple[float, float, Counter]:
    runs = [_rate(fn, profiles) for _ in range(repeats)]
    return max(r[0] for r in runs), max(r[1] for r in runs), runs[0][2]


def main(n: int = 200_000, repeats: int = 5) -> None:
    rng = random.Random(42)
    profiles = [make_profile(rng, i) for i in range(n)]
    evaluate(profiles[0], DEFAULT_STANDARD)  # compile the standard outside the timing

    def full(p: Profile) -> tuple[str, str | None]:
        v = evaluate(p)
        return v.level, v.path

    full_wall, full_cpu, paths = _best(full, profiles, repeats)
    level_wall, level_cpu, levels = _best(level_only, profiles, repeats)
    for level in levels:  # both functions agree on every profile's level
        assert levels[level] == sum(c for (lv, _), c in paths.items() if lv == level)

    sample = profiles[:20_000]
    start = time.perf_counter()
    for p in sample:
        json.dumps(evaluate(p).to_dict(), ensure_ascii=False)
    with_json = len(sample) / (time.perf_counter() - start)

    print(f"profiles: {n:,} (seed 42), best of {repeats}, gc {'on' if gc.isenabled() else 'off'}, "
          f"Python {sys.version.split()[0]}")
    print(f"evaluate()   : {full_wall:>10,.0f} verdicts/s wall  ({1e6 / full_wall:.2f} µs each), "
          f"{full_cpu:,.0f}/s CPU time   goal >= 100,000")
    print(f"level_only() : {level_wall:>10,.0f} levels/s   wall  ({1e6 / level_wall:.2f} µs each), "
          f"{level_cpu:,.0f}/s CPU time   goal ~ 250,000")
    print(f"evaluate()+to_dict()+json.dumps (not part of the goal): {with_json:,.0f}/s wall")
    print("level distribution:")
    for code in ("engineer", "assistant_engineer", "technician", "none"):
        print(f"  {code:<19}{levels[code]:>8,}  {100 * levels[code] / n:5.1f}%")
    by_path = sorted(paths.items(), key=lambda x: str(x[0][1]))
    print("by path:", ", ".join(f"{p or '-'}: {c:,}" for (_, p), c in by_path))


if __name__ == "__main__":
    smoke = os.environ.get("BENCH_SMOKE") == "1"  # tests/perf: prove it runs, at a tiny size
    main(int(sys.argv[1]) if len(sys.argv) > 1 else (500 if smoke else 200_000), repeats=1 if smoke else 5)
