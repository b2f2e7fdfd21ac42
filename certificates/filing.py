"""Which institutions are filed skill-level evaluation institutions, for what, and under which code.

Reads the Track-B filing (``track_b.FilingApplication`` in state ``filed`` with its ``filed_occupations``)
when that app provides one, and otherwise this app's ``FiledInstitution`` stand-in. Certificates never read
this live after issuance: the code and the name as filed are frozen into each result and certificate.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import DatabaseError

from .models import FiledInstitution, SkillLevel


@dataclass(frozen=True)
class FiledOccupation:
    occupation_id: int
    code: str
    name: str
    job_types: tuple
    level: int  # the highest level (smallest digit) it may certify, never above 3


@dataclass(frozen=True)
class Filing:
    institution_id: int
    code: str
    name: str
    occupations: dict = field(default_factory=dict)  # occupation id -> FiledOccupation
    source: str = "certificates"

    @property
    def max_level(self):
        return min((o.level for o in self.occupations.values()), default=SkillLevel.JUNIOR)


def _from_track_b(institution):
    try:
        model = apps.get_model("track_b", "FilingApplication")
    except LookupError:
        return None
    if not {"filing_code", "state", "institution"} <= {f.name for f in model._meta.get_fields()}:
        return None
    try:
        application = (model.objects.filter(institution=institution, state="filed", filing_code__isnull=False)
                       .order_by("-pk").first())
        if application is None:
            return None
        rows = list(application.filed_occupations.select_related("occupation"))
    except (DatabaseError, AttributeError):
        return None
    occupations = {}
    for row in rows:
        job_types = tuple(t.strip() for t in (row.job_types or "").replace("、", "\n").replace(",", "\n").splitlines()
                          if t.strip()) or tuple(row.occupation.job_type_list)
        occupations[row.occupation_id] = FiledOccupation(row.occupation_id, row.occupation.code,
                                                         row.occupation.name, job_types,
                                                         max(int(row.level), SkillLevel.SENIOR))
    return Filing(institution.pk, application.filing_code, application.unit_name or institution.name,
                  occupations, "track_b")


def _from_stand_in(institution):
    try:
        filed = FiledInstitution.objects.prefetch_related("occupations").get(institution=institution)
    except FiledInstitution.DoesNotExist:
        return None
    level = max(filed.max_level, SkillLevel.SENIOR)
    occupations = {o.pk: FiledOccupation(o.pk, o.code, o.name, tuple(o.job_type_list), level)
                   for o in filed.occupations.all()}
    return Filing(institution.pk, filed.code, filed.name_as_filed, occupations, "certificates")


def filing_of(institution):
    """The institution's filing, or None when it is not a filed evaluation institution."""
    if institution is None:
        return None
    return _from_track_b(institution) or _from_stand_in(institution)
