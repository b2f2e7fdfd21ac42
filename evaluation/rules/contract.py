"""The JSON contracts of the engine: profiles in, verdicts out.

``eligibility-profile.schema.json`` and ``eligibility-verdict.schema.json`` are
shared with other tools (``manage.py evaluate_profiles FILE`` reads an array of
profiles and prints an array of verdicts).  The package carries byte-identical
copies in ``schemas/`` so that it works wherever it is installed; a test checks
them against the shared originals when those are present.

Errors name the profile (its index in the array and its ``id`` when it has one)
and the JSON path of the problem, e.g. ``$[3].competition_awards[0].level``, with
a Chinese message, so that a school clerk can find and fix the row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .engine import evaluate
from .profile import Profile
from .standard import DEFAULT_STANDARD, SchoolStandard

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
PROFILE_SCHEMA = "eligibility-profile.schema.json"
VERDICT_SCHEMA = "eligibility-verdict.schema.json"


def load_schema(name: str) -> dict[str, Any]:
    """A fresh copy of a bundled schema, by file name or stem ("eligibility-profile")."""
    filename = name if name.endswith(".schema.json") else f"{name}.schema.json"
    if filename not in (PROFILE_SCHEMA, VERDICT_SCHEMA):
        raise ValueError(f"未知的契约：{name}")
    return json.loads((SCHEMA_DIR / filename).read_text(encoding="utf-8"))


@cache
def _validator(filename: str) -> Draft202012Validator:
    """One validator instance per schema for the life of the process."""
    schema = load_schema(filename)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@dataclass(frozen=True, slots=True)
class ProfileError:
    """One problem in one profile of an input array."""

    index: int | None  # position in the array; None when the input is not an array at all
    profile_id: str | None
    path: str  # JSON path, e.g. "$[3].competition_awards[0].level"
    message: str  # Chinese

    def __str__(self) -> str:
        who = "输入" if self.index is None else f"第{self.index + 1}条档案"
        if self.profile_id:
            who += f"（id={self.profile_id}）"
        return f"{who} {self.path}：{self.message}"


class ProfileValidationError(ValueError):
    """Raised by :func:`evaluate_profiles` when the input breaks the profile contract."""

    def __init__(self, errors: list[ProfileError]) -> None:
        self.errors = errors
        super().__init__("\n".join(map(str, errors)))


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


_TYPE_NAMES = {"string": "字符串", "number": "数字", "integer": "整数", "boolean": "布尔值",
               "object": "对象", "array": "数组", "null": "null"}


_PY_TYPE_NAMES = {dict: "对象", str: "字符串", int: "整数", float: "数字", bool: "布尔值", type(None): "null"}


def _message(e: ValidationError) -> str:
    """A Chinese message for the validators the profile schema uses; jsonschema's own otherwise."""
    v, got = e.validator_value, _shown(e.instance)
    match e.validator:
        case "enum":
            return f"取值 {got} 无效，应为以下之一：{'、'.join(_shown(x) for x in v)}"
        case "type":
            wanted = v if isinstance(v, list) else [v]
            return f"类型错误：应为{'或'.join(_TYPE_NAMES.get(t, t) for t in wanted)}（实际为 {got}）"
        case "minimum":
            return f"不得小于 {v}（实际为 {got}）"
        case "exclusiveMinimum":
            return f"必须大于 {v}（实际为 {got}）"
        case "maximum":
            return f"不得大于 {v}（实际为 {got}）"
    return e.message


def _problems(e: ValidationError) -> list[tuple[str, str]]:
    """(json path, message) pairs for one jsonschema error; key-level errors point at the key."""
    path = e.json_path  # "$", "$.competition_awards[0].level", …
    if e.validator == "additionalProperties":
        allowed = e.schema.get("properties", {})
        return [(f"{path}.{key}", f"未知字段 {key}（契约不允许多余字段）")
                for key in e.instance if key not in allowed]
    if e.validator == "required":
        return [(f"{path}.{key}", f"缺少必填字段 {key}") for key in e.validator_value if key not in e.instance]
    return [(path, _message(e))]


def _errors_of(item: Any, index: int, validator: Draft202012Validator) -> list[ProfileError]:
    pid = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else None
    seen: set[tuple[str, str]] = set()
    out = []
    for e in validator.iter_errors(item):
        for path, message in _problems(e):
            if (path, message) not in seen:  # one "required" error per missing key would repeat
                seen.add((path, message))
                out.append(ProfileError(index, pid, f"$[{index}]{path[1:]}", message))
    return sorted(out, key=lambda err: err.path)


def validate_profiles(data: Any) -> list[ProfileError]:
    """Every contract violation in ``data`` (a parsed JSON array of profiles), in input order."""
    if not isinstance(data, list):
        return [ProfileError(None, None, "$", f"应为档案数组（实际为{_PY_TYPE_NAMES.get(type(data), '其他类型')}）")]
    validator = _validator(PROFILE_SCHEMA)
    errors: list[ProfileError] = []
    for i, item in enumerate(data):
        errors.extend(_errors_of(item, i, validator))
    return errors


def validate_verdict(verdict: dict[str, Any]) -> list[str]:
    """Messages for every way ``verdict`` breaks the verdict contract (empty = valid)."""
    return [f"{e.json_path}：{e.message}" for e in _validator(VERDICT_SCHEMA).iter_errors(verdict)]


def evaluate_profiles(data: Any, standard: SchoolStandard = DEFAULT_STANDARD) -> list[dict[str, Any]]:
    """Validate ``data`` against the profile contract, then one verdict dict per profile, in input order.

    Raises :class:`ProfileValidationError` (listing every problem) if the input is invalid,
    and :class:`~.standard.StandardError` if ``standard`` is looser than the baseline.
    """
    errors = validate_profiles(data)
    if errors:
        raise ProfileValidationError(errors)
    return [evaluate(Profile.from_dict(d), standard).to_dict() for d in data]
