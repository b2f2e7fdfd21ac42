"""Oversight figures for the filing office and the provincial HRSS (issue #13 §5): per institution and year — plans,
sessions held vs planned, candidates, pass rates per occupation and level, supervisor reports with anomalies, late or
missing reports. A fixed number of queries whatever the number of institutions."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from .models import AnnualPlan, Candidate, PlanDeadline, PlanLine, Session, SessionState, SupervisionReport
from .models.plans import REPORTED_STATES
from .selectors import filed_applications_of_office

HELD = (SessionState.PUBLISHED, SessionState.RESULTS_REPORTED, SessionState.SUSPENDED)


@dataclass
class InstitutionRow:
    institution: object
    filing: object
    plan_state: str = ""
    plan_reported_at: object = None
    due_on: object = None
    planned_sessions: int = 0
    held_sessions: int = 0
    open_sessions: int = 0
    candidates: int = 0
    passed: int = 0
    anomalies: int = 0
    unreported_results: int = 0
    suspended: int = 0
    by_occupation: dict = field(default_factory=dict)
    latest_plan: object = None

    @property
    def plan_status(self):
        if self.plan_reported_at is None:
            if self.due_on and timezone.localdate() > self.due_on:
                return "missing"
            return "none"
        if self.due_on and timezone.localdate(self.plan_reported_at) > self.due_on:
            return "late"
        return "ok"

    @property
    def pass_rate(self):
        return round(100 * self.passed / self.candidates) if self.candidates else None


def figures(user, year):
    filings = list(filed_applications_of_office(user).order_by("institution__city_id", "institution__name"))
    inst_ids = [f.institution_id for f in filings]
    rows = {f.institution_id: InstitutionRow(f.institution, f) for f in filings}
    deadlines = {(d.authority_role, d.authority_city_id): d.due_on for d in PlanDeadline.objects.filter(year=year)}
    for row in rows.values():
        row.due_on = deadlines.get((row.filing.authority_role, row.filing.authority_city_id))
    first_reports = {}
    for plan in (AnnualPlan.objects.filter(institution_id__in=inst_ids, year=year, state__in=REPORTED_STATES)
                 .order_by("institution_id", "version")):
        first_reports.setdefault(plan.institution_id, plan)
        rows[plan.institution_id].plan_state = plan.get_state_display()
        rows[plan.institution_id].latest_plan = plan
    for institution_id, plan in first_reports.items():
        rows[institution_id].plan_reported_at = plan.reported_at
    latest = {r.latest_plan.pk for r in rows.values() if r.latest_plan is not None}
    for line in PlanLine.objects.filter(plan_id__in=latest).select_related("plan"):
        rows[line.plan.institution_id].planned_sessions += len(line.month_list)
    sessions = (Session.objects.filter(institution_id__in=inst_ids, start_date__year=year)
                .exclude(state=SessionState.CANCELLED).select_related("occupation"))
    for s in sessions:
        row = rows[s.institution_id]
        if s.state in HELD:
            row.held_sessions += 1
        elif s.state != SessionState.DRAFT:
            row.open_sessions += 1
        if s.state == SessionState.PUBLISHED:
            row.unreported_results += 1
        if s.state == SessionState.SUSPENDED:
            row.suspended += 1
    counts = (Candidate.objects.filter(session__institution_id__in=inst_ids, session__start_date__year=year,
                                       session__state__in=HELD)
              .values("session__institution_id", "session__occupation__name", "session__level")
              .annotate(total=Count("id"), present=Count("id", filter=Q(attendance="present"))))
    passed = defaultdict(int)
    for c in (Candidate.objects.filter(session__institution_id__in=inst_ids, session__start_date__year=year,
                                       session__state__in=HELD, attendance="present", confirmed_at__isnull=False)
              .select_related("session__occupation")):
        if c.passed:
            passed[(c.session.institution_id, c.session.occupation.name, c.session.level)] += 1
    for item in counts:
        institution_id = item["session__institution_id"]
        key = (item["session__occupation__name"], item["session__level"])
        n_passed = passed[(institution_id, *key)]
        row = rows[institution_id]
        row.by_occupation[key] = (item["present"], n_passed)
        row.candidates += item["present"]
        row.passed += n_passed
    for report in SupervisionReport.objects.filter(session__institution_id__in=inst_ids, session__start_date__year=year,
                                                   has_anomalies=True).select_related("session"):
        rows[report.session.institution_id].anomalies += 1
    return list(rows.values())


def anomaly_reports(user, year):
    inst_ids = filed_applications_of_office(user).values("institution_id")
    return (SupervisionReport.objects.filter(session__institution_id__in=inst_ids, session__start_date__year=year,
                                             has_anomalies=True)
            .select_related("session__institution", "session__occupation").order_by("-filed_at"))


def bars(rows, width=320, bar=16, gap=6):  # label column 300px, bars up to 320px
    """Pass-rate bars (server-rendered SVG data): [(label, percent, y)] and the chart height."""
    items = []
    for row in rows:
        for (occupation, level), (present, n_passed) in sorted(row.by_occupation.items()):
            if present:
                items.append((f"{row.institution.name} · {occupation} {level}级", round(100 * n_passed / present)))
    out = [(label, pct, i * (bar + gap), int(width * pct / 100)) for i, (label, pct) in enumerate(items)]
    return out, max(1, len(out)) * (bar + gap)
