"""The arithmetic of a committee session and of conflicts of interest — plain values in, answers out.

DOMAIN §7 (人社部令第40号《职称评审管理暂行规定》第二十四、二十五条, 附件2 二):

- quorum: the members present (checked in) are at least two thirds of *this meeting's* committee (the members
  called to it: the chair and those drawn);
- a candidate passes with at least two thirds of the members present voting yes — of those *present and not
  recused* (回避): a member with a conflict of interest leaves for that candidate, so the denominator of that
  vote shrinks by one; 不同意, 弃权 and a present member who casts nothing all count against;
- our decision: the present non-recused members must themselves still be ≥ 2/3 of the meeting's committee,
  otherwise that candidate is not decided at this meeting (暂缓, with the reason);
- every comparison is in integers (``3 * yes >= 2 * voters``), never in floats: 2/3 of 6 is 4, and 4 of 6
  passes while 3.99… never appears.
"""

import random
import re

from applications.track_a.rules import TITLE_LEVELS

#: 技术员 < 助理工程师 < 工程师 (``evaluation.rules.clauses.LEVEL_RANK`` uses the same order).
LEVEL_RANK = {"none": 0, "technician": 1, "assistant_engineer": 2, "engineer": 3}
LEVEL_NAMES = dict(TITLE_LEVELS)


def quorum_met(present, members):
    """出席评审会议的专家人数不少于评委会委员人数的2/3."""
    return members > 0 and 3 * present >= 2 * members


def min_present(members):
    """The smallest attendance that is a quorum (ceil(2m/3))."""
    return (2 * members + 2) // 3


def levels_within(levels, verdict_level):
    """The levels of ``levels`` at or below ``verdict_level`` (none when the engine reaches no level)."""
    return [lv for lv in levels if not above(lv, verdict_level)]


def passes(yes, voters):
    """同意票数达到出席（且未回避）专家总数的2/3以上为通过. No voters, no decision."""
    return voters > 0 and 3 * yes >= 2 * voters


def min_yes(voters):
    """The smallest number of yes votes that passes (ceil(2v/3))."""
    return (2 * voters + 2) // 3


def decide(*, size, present, recused, yes):
    """``("passed" | "failed" | "deferred", voters)`` for one candidate at a meeting of ``size`` members."""
    voters = present - recused
    if not quorum_met(voters, size):
        return "deferred", voters
    return ("passed" if passes(yes, voters) else "failed"), voters


def draw(pool, seats, seed, reserved=(), reserved_seats=0):
    """The members drawn (随机抽取) from ``pool`` (ids) for ``seats`` seats, reproducible from ``seed``, sorted.

    ``reserved_seats`` of them first from ``reserved`` (a part of the pool: the 副高级 and above members a 中级
    committee's meeting must seat in majority), then the rest from what is left of the pool, with one
    ``random.Random(seed)``. Without reserved seats this is ``random.Random(seed).sample(sorted(pool), seats)``.
    """
    rng = random.Random(seed)
    first = rng.sample(sorted(reserved), reserved_seats)
    return sorted(first + rng.sample(sorted(set(pool) - set(first)), seats - reserved_seats))


def above(applied_level, verdict_level):
    """Whether ``applied_level`` is higher than what the engine found under the school's standard.

    Such an application is refused, whatever reason is given: 通知 四(四) 不得擅自降低评价标准, and 附件2 一(二)
    对照条件直接申请相应级别职称 — a graduate whose records are wrong has them corrected and re-evaluated.
    """
    return LEVEL_RANK[applied_level] > LEVEL_RANK.get(verdict_level or "none", 0)


_NOISE = re.compile(r"[\s\u3000·.,，。、()（）\[\]【】\"'“”‘’-]+")


def normalise_org(name):
    """An employer's name for comparison: no spaces, brackets or punctuation, lower case."""
    return _NOISE.sub("", name or "").lower()


def same_employer(a, b):
    """Whether two employer names name the same organisation, as far as the text shows.

    Equal after normalising, or one contains the other when the shorter has at least four characters
    ("奇瑞汽车" ⊂ "奇瑞汽车股份有限公司"). Too short a name ("公司") never matches: a false conflict
    would take an expert out of a vote for nothing, a missed one is still declared by the member.
    """
    na, nb = normalise_org(a), normalise_org(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    short, long_ = sorted((na, nb), key=len)
    return len(short) >= 4 and short in long_
