"""Tables of the evaluation app: graduates and their achievements, school standards and their
versions, stored verdicts and the cohort runs that produce them, transcript import batches and
student activation codes."""

from .graduates import (
    Achievement,
    ActivationCode,
    Assessment,
    DegreeLevel,
    DesignGrade,
    Gender,
    Graduate,
)
from .imports import ImportBatch
from .standards import SchoolStandard, StandardComment, StandardVersion
from .verdicts import CohortSummary, EvaluationRun, StoredVerdict, TitleLevel

__all__ = [
    "Achievement",
    "ActivationCode",
    "CohortSummary",
    "Assessment",
    "DegreeLevel",
    "DesignGrade",
    "EvaluationRun",
    "Gender",
    "Graduate",
    "ImportBatch",
    "SchoolStandard",
    "StandardComment",
    "StandardVersion",
    "StoredVerdict",
    "TitleLevel",
]
