"""Publishing a school's own standard (自主评审标准条件) — never looser than the baseline (通知 四(四))."""

from django.core.exceptions import ValidationError
from django.db import transaction

from evaluation.models import SchoolStandard, StandardVersion
from evaluation.rules import DEFAULT_STANDARD, validate_standard
from evaluation.rules.standard import SchoolStandard as RuleStandard
from portal import access, audit
from portal.models import Role


class StandardRefused(ValidationError):
    """The standard is looser than the baseline (or invalid); ``violations`` name each clause."""

    def __init__(self, violations):
        self.violations = violations
        super().__init__([v.message for v in violations], code="looser_than_baseline")


def rules_of(version):
    """The engine's standard for a stored version (None = the default standard of DOMAIN §3.6)."""
    return DEFAULT_STANDARD if version is None else version.rules()


def check_standard_data(data):
    """Parses and checks a standard dict; returns the engine's standard or raises a ValidationError."""
    try:
        rules = RuleStandard.from_dict(data)
    except ValueError as exc:
        raise ValidationError(str(exc), code="invalid_standard") from exc
    violations = validate_standard(rules)
    if violations:
        raise StandardRefused(violations)
    return rules


@transaction.atomic
def publish_standard(*, institution, data, actor, note=""):
    """Stores ``data`` as the institution's next standard version, or refuses it.

    A version is never changed afterwards: stored verdicts keep pointing at the version they used.
    """
    access.require(actor, "evaluation.publish_standard", institution)
    rules = check_standard_data(data)
    standard, _created = SchoolStandard.objects.select_for_update().get_or_create(institution=institution)
    last = standard.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = StandardVersion.objects.create(standard=standard, number=last + 1, name=rules.name[:100],
                                             data=rules.to_dict(), note=note, published_by=actor)
    audit.record(actor=actor, action="evaluation.publish_standard", obj=version, role=Role.UNIVERSITY_STAFF,
                 changes={"institution": institution.pk, "number": version.number, "note": note})
    return version
