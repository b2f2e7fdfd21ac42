"""Which institutions are filed skill-level evaluation institutions, for what, since when and under which code.

The only source is Track B: a ``track_b.FilingApplication`` in state ``filed`` — filed through the portal, or a
historical filing made outside it and registered by the filing office with its receipt number and scan
(``historical``) — with its ``filed_occupations`` (issue #12 item 4: there is no other way to be "filed").
Certificates never read this live after issuance: the code and the name as filed are frozen into each result
and certificate.
"""

from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.utils import timezone

from .models import SkillLevel


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
    source: str = "track_b"
    filed_on: date | None = None
    historical: bool = False
    application_id: int | None = None

    @property
    def max_level(self):
        return min((o.level for o in self.occupations.values()), default=SkillLevel.JUNIOR)

    def covers(self, occupation_id, level):
        filed = self.occupations.get(occupation_id)
        return filed is not None and int(level) >= filed.level


def _job_types(row):
    return tuple(t.strip() for t in (row.job_types or "").replace("、", "\n").replace(",", "\n").splitlines()
                 if t.strip()) or tuple(row.occupation.job_type_list)


def from_application(application):
    """The ``Filing`` of one filed Track-B application."""
    rows = list(application.filed_occupations.select_related("occupation"))
    occupations = {row.occupation_id: FiledOccupation(row.occupation_id, row.occupation.code, row.occupation.name,
                                                      _job_types(row), max(int(row.level), SkillLevel.SENIOR))
                   for row in rows}
    filed_on = timezone.localdate(application.filed_at) if application.filed_at else None
    return Filing(application.institution_id, application.filing_code, application.unit_name
                  or application.institution.name, occupations, "track_b", filed_on, application.historical,
                  application.pk)


def filing_of(institution):
    """The institution's current filing, or None when it is not a filed evaluation institution."""
    if institution is None:
        return None
    model = apps.get_model("track_b", "FilingApplication")
    application = (model.objects.filter(institution=institution, state="filed", filing_code__isnull=False)
                   .select_related("institution").order_by("-filed_at", "-pk").first())
    return from_application(application) if application is not None else None
