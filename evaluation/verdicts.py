"""A verdict (the contract dict) as templates show it: names, clauses, next level."""

import re

from evaluation.rules.clauses import LEVEL_NAMES, LEVEL_RANK, LEVELS, path_clause

_CLAUSE_AT_END = re.compile(r"（(附件2[^（）]*)）$")

_NEXT = {0: LEVELS[2], 1: LEVELS[1], 2: LEVELS[0]}


class VerdictView:
    def __init__(self, data):
        self.data = data
        self.level = data["level"]
        self.level_name = LEVEL_NAMES[self.level]
        self.path = data.get("path")
        self.path_clause = path_clause(self.path) if self.path else None
        self.may_apply = data["may_apply"]
        self.blocking = data.get("blocking", [])
        self.criteria = data["criteria"]
        self.missing = data["missing_for_next"]
        rank = LEVEL_RANK[self.level]
        self.next_level_name = LEVEL_NAMES[_NEXT[rank]] if rank < 3 else None
        self.met_count = sum(1 for c in self.criteria if c["met"])

    @property
    def missing_items(self):
        """[(text, [options], clause)]: "再满足以下任意1项：A；B（clause）" becomes a heading and a list."""
        out = []
        for text in self.missing:
            clause = ""
            match = _CLAUSE_AT_END.search(text)
            if match:
                clause, text = match.group(1), text[:match.start()]
            head, sep, rest = text.partition("：")
            if sep and "；" in rest:
                out.append((head + sep, rest.split("；"), clause))
            else:
                out.append((text, [], clause))
        return out

    @classmethod
    def of(cls, verdict):
        """From an engine ``Verdict``."""
        return cls(verdict.to_dict())

    def as_json(self):
        return {"level": self.level, "level_name": self.level_name, "path": self.path,
                "path_clause": self.path_clause, "may_apply": self.may_apply, "blocking": self.blocking,
                "criteria": self.criteria, "missing": self.missing, "next_level_name": self.next_level_name}
