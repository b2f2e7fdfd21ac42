"""Publishing a school's own standard (自主评审标准条件) — never looser than the baseline (通知 四(四))."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from evaluation.models import SchoolStandard, StandardComment, StandardVersion
from evaluation.rules import DEFAULT_STANDARD, validate_standard
from evaluation.rules.standard import SchoolStandard as RuleStandard
from portal import access, audit
from portal.models import Role
from portal.notify import notify


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
    # The 属地 city HRSS sees each draft (正文 三(一)2(4)); it reaches HRSS formally in the committee's filing.
    notify(_users(Role.CITY_HRSS, city_id=institution.city_id),
           title=_("%(school)s发布了自主评审标准条件第%(n)d版，请指导") % {"school": institution.name,
                                                                 "n": version.number},
           link=reverse("evaluation:standard_detail", args=[version.pk]))
    return version


def _users(role, **scope):
    return list(get_user_model().objects.filter(is_active=True, roles__role=role,
                                                **{f"roles__{k}": v for k, v in scope.items()}).distinct())


@transaction.atomic
def comment_on_standard(*, version, actor, text):
    """The city HRSS where the school is comments on a version of its standard; the school is told."""
    institution = version.standard.institution
    access.require(actor, "evaluation.comment_standard", institution)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请填写指导意见。"))
    comment = StandardComment.objects.create(version=version, author=actor, text=text)
    audit.record(actor=actor, action="evaluation.comment_standard", obj=version, role=Role.CITY_HRSS,
                 changes={"comment": comment.pk})
    notify(_users(Role.UNIVERSITY_STAFF, institution_id=institution.pk),
           title=_("市人社局对本校自主评审标准条件第%(n)d版提出了指导意见") % {"n": version.number},
           body=text[:200], link=reverse("evaluation:standard_detail", args=[version.pk]))
    return comment
