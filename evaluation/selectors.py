"""Reads of graduates, standards, runs and imports — always scoped by who asks."""

from django.db import connection
from django.db.models import Q

from applications.track_a.models import GrantedAuthority
from portal import access
from portal.models import CITY_ROLES, Institution

from .models import (
    CohortSummary,
    EvaluationRun,
    Graduate,
    ImportBatch,
    SchoolStandard,
    StandardVersion,
    StoredVerdict,
)


def managed_institution_ids(user):
    """Institutions whose graduates the user manages; None means all (site admins)."""
    if access.is_site_admin(user):
        return None
    return access.institution_ids(user)


def graduates_visible_to(user):
    """Staff: their institution's; site admins: all; a student: their own record; others: none."""
    qs = Graduate.objects.select_related("institution")
    if not user.is_authenticated:
        return qs.none()
    if access.is_site_admin(user):
        return qs
    ids = access.institution_ids(user)
    return qs.filter(Q(institution_id__in=ids) | Q(user=user))


def graduates_managed_by(user, *, year=None, major="", level="", q=""):
    """The list page: records the user manages (not merely their own), filtered, with the stored verdict."""
    ids = managed_institution_ids(user)
    qs = Graduate.objects.select_related("institution", "verdict")
    if ids is not None:
        qs = qs.filter(institution_id__in=ids)
    if year:
        qs = qs.filter(graduation_year=year)
    if major:
        qs = qs.filter(major=major)
    if level == "unevaluated":
        qs = qs.filter(verdict__isnull=True)
    elif level:
        qs = qs.filter(verdict__level=level)
    if q:
        qs = qs.filter(Q(student_number__startswith=q) | Q(name__contains=q))
    return qs.order_by("-graduation_year", "institution_id", "student_number")


def own_graduate(user):
    """The student's own record (with its stored verdict), or None.

    The answer is also left in ``user.graduate_record``'s cache, so that other panels of the same
    request reading that reverse relation pay no query.
    """
    if not user.is_authenticated:
        return None
    graduate = (Graduate.objects.select_related("institution", "verdict", "verdict__standard_version")
                .filter(user=user).first())
    Graduate._meta.get_field("user").remote_field.set_cached_value(user, graduate)
    return graduate


def cohort_years(institution_ids):
    """Graduation years with records, newest first (for filters and the run form).

    A loose index scan — one probe of an index per year (``graduate_cohort_idx`` for given schools,
    ``graduate_list_all_idx`` for all) — instead of a DISTINCT over every record: the years are few, the records
    up to hundreds of thousands."""
    if institution_ids is not None:
        institution_ids = list(institution_ids)
        if not institution_ids:
            return []
    table = connection.ops.quote_name(Graduate._meta.db_table)
    scope, params = "", []
    if institution_ids is not None:
        scope = f"institution_id IN ({', '.join(['%s'] * len(institution_ids))}) AND "
        params = [int(pk) for pk in institution_ids]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE t(y) AS (SELECT MAX(graduation_year) FROM {table} WHERE {scope}1 = 1 UNION ALL "
            f"SELECT (SELECT MAX(graduation_year) FROM {table} WHERE {scope}graduation_year < t.y) FROM t "
            "WHERE t.y IS NOT NULL) SELECT y FROM t WHERE y IS NOT NULL", params + params)
        return [row[0] for row in cursor.fetchall()]


def majors_of(institution_ids, years):
    """Majors with records of the given graduation years, sorted, for the filters and the run form.

    A loose index scan like ``cohort_years``: for each school and year (or each year, for all schools) one index
    probe finds the smallest major after the last one found — one probe per distinct major, however many records
    share it — instead of a DISTINCT over up to hundreds of thousands of records. Given schools walk
    ``graduate_cohort_idx`` (institution, year, major); all schools walk ``graduate_year_major_idx`` (year, major).
    Plain SQL that PostgreSQL and SQLite (``make demo``) both run."""
    # A year typed into the query string may be any size: one out of the column's range has no records (and
    # SQLite could not even bind it).
    years = [y for y in map(int, years) if 0 < y < 2**15]
    if institution_ids is None:
        columns, seeds = "y", [(y,) for y in years]
        scope = "graduation_year = {t}.y"
    else:
        columns, seeds = "i, y", [(int(pk), y) for pk in institution_ids for y in years]
        scope = "institution_id = {t}.i AND graduation_year = {t}.y"
    if not seeds:
        return []
    table = connection.ops.quote_name(Graduate._meta.db_table)
    row = "(" + ", ".join(["%s"] * len(seeds[0])) + ")"
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE s({columns}) AS (VALUES {', '.join([row] * len(seeds))}), "
            f"t({columns}, m) AS (SELECT {columns}, (SELECT MIN(major) FROM {table} WHERE {scope.format(t='s')}) "
            f"FROM s UNION ALL SELECT {columns}, (SELECT MIN(major) FROM {table} WHERE {scope.format(t='t')} "
            "AND major > t.m) FROM t WHERE t.m IS NOT NULL) "
            "SELECT DISTINCT m FROM t WHERE m IS NOT NULL ORDER BY m", [v for seed in seeds for v in seed])
        return [row[0] for row in cursor.fetchall()]


def cohort_counts(institution_id, year):
    """{level or 'unevaluated': n} of one school's graduation year, for the dashboard: the summary the last
    evaluation run kept (``CohortSummary``) and the year's graduate count (an index-only count), never a scan of
    the verdicts. Graduates added since the last run count as unevaluated."""
    summary = CohortSummary.objects.filter(institution_id=institution_id, graduation_year=year).first()
    total = Graduate.objects.filter(institution_id=institution_id, graduation_year=year).count()
    counts = dict(summary.counts) if summary else {}
    unevaluated = total - sum(counts.values())
    if unevaluated > 0:
        counts["unevaluated"] = unevaluated
    return counts


def standard_institutions_visible_to(user):
    """Institutions whose standard the user may read."""
    qs = Institution.objects.select_related("city")
    if access.is_site_admin(user) or access.has_role(user, *access.PROVINCIAL_ROLES):
        return qs
    cities = {a.city_id for a in access.roles_of(user) if a.role in CITY_ROLES}
    own = access.institution_ids(user)
    if not cities and not own:
        return qs.none()
    return qs.filter(Q(city_id__in=cities) | Q(pk__in=own))


def current_version(institution_id):
    """The version in force for an institution, or None (the default standard of DOMAIN §3.6)."""
    return (StandardVersion.objects.filter(standard__institution_id=institution_id)
            .select_related("standard").order_by("-number").first())


def versions_of(institution):
    return (StandardVersion.objects.filter(standard__institution=institution)
            .select_related("published_by").order_by("-number"))


def standard_of(institution):
    return SchoolStandard.objects.filter(institution=institution).first()


def runs_visible_to(user):
    ids = managed_institution_ids(user)
    qs = EvaluationRun.objects.select_related("institution", "standard_version", "started_by")
    if ids is not None:
        qs = qs.filter(institution_id__in=ids)
    return qs


def imports_visible_to(user):
    """Staff see their own uploads to a school they still serve (a registrar moved to another school no longer sees
    the old school's previewed rows); site admins see all. Nobody sees another's file."""
    qs = ImportBatch.objects.select_related("institution", "uploaded_by")
    if access.is_site_admin(user):
        return qs
    return qs.filter(uploaded_by=user, institution_id__in=access.institution_ids(user))


def verdicts_of(graduate_ids):
    return StoredVerdict.objects.filter(graduate_id__in=graduate_ids)


def comments_on(version):
    """The city HRSS's comments on a version (its readers may see them: the school and its supervisors)."""
    return list(version.comments.select_related("author").order_by("created_at", "id"))


def authorised_pilot_majors(institution_ids):
    """{institution id: frozenset of pilot majors} from the Track A authority granted (附件1 试点专业 as granted):
    what 是否试点专业 is when a transcript has no such column."""
    out = {pk: set() for pk in institution_ids}
    for pk, majors in GrantedAuthority.objects.filter(institution_id__in=list(out)).values_list("institution_id",
                                                                                                 "majors"):
        out[pk].update(majors or ())
    return {pk: frozenset(majors) for pk, majors in out.items()}
