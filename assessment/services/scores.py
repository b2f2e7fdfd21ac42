"""Scores (DOMAIN §4.2: entered twice by different people, and they must agree): an examiner of the session enters,
a second examiner enters again; equal entries are confirmed, a mismatch is refused and nothing changes. Exempted
subjects (granted 1+X) carry no score. The XLSX/CSV import reads with the transcript import's reader and reports
errors the same way (row, column, message), all or nothing."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.importing.columns import normalise_header
from evaluation.importing.read import TableError, read_table
from evaluation.rounds.rules import same_employer
from portal import audit, identifiers
from portal.models import Role

from ..models import Attendance, Candidate, ExaminerConflict, SessionExaminer, SessionState
from .common import AssessmentError, require


@dataclass
class ScoreProblem:
    row: int
    column: str
    message: str


def parse_score(text):
    text = str(text if text is not None else "").strip()
    if text == "":
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("应为0到100之间的数字")) from None
    if not (0 <= value <= 100):
        raise ValueError(_("应为0到100之间的数字"))
    return value.quantize(Decimal("0.1"))


def _check(candidate, user, theory, practical):
    """Reasons this entry is refused, or []."""
    session = candidate.session
    problems = []
    if session.state != SessionState.REPORTED or session.start_date > timezone.localdate():
        problems.append(_("考核开始后、成绩公布前方可录入成绩。"))
    if candidate.attendance != Attendance.PRESENT:
        problems.append(_("%(name)s 未登记为到考，不能录入成绩。") % {"name": candidate.graduate.name})
    conflicted = set(ExaminerConflict.objects.filter(graduate_id=candidate.graduate_id,
                                                     user_id__in=[user.pk, candidate.first_by_id])
                     .values_list("user_id", flat=True))
    if user.pk in conflicted:
        problems.append(_("您已申报与 %(name)s 回避，不能为其评分。") % {"name": candidate.graduate.name})
    elif candidate.first_by_id in conflicted and candidate.confirmed_at is None:
        problems.append(_("%(name)s 的第一次录入者已申报回避，该录入作废，请由其他考评员重新录入。")
                        % {"name": candidate.graduate.name})
    employer = (SessionExaminer.objects.filter(session_id=candidate.session_id, user=user)
                .values_list("examiner__employer", flat=True).first())
    if employer and same_employer(employer, candidate.graduate.employer):  # found, as for committee members
        problems.append(_("您任职于 %(name)s 的就业单位（%(org)s），应当回避，不能为其评分。")
                        % {"name": candidate.graduate.name, "org": employer})
    if candidate.confirmed_at is not None:
        problems.append(_("%(name)s 的成绩已复核确认，不能再改。") % {"name": candidate.graduate.name})
    for key, label, value, exempt in (("theory", _("理论知识"), theory, candidate.exempt_theory),
                                      ("practical", _("操作技能"), practical, candidate.exempt_practical)):
        set_by_plan = getattr(session, f"{key}_pass_mark") is not None
        if (exempt or not set_by_plan) and value is not None:
            problems.append(_("%(label)s为免试科目或实施方案未设该科目，不应有成绩。") % {"label": label})
        if set_by_plan and not exempt and value is None:
            problems.append(_("请填写%(label)s成绩。") % {"label": label})
    return problems


def enter_scores(candidate, *, user, theory, practical):
    """First entry, or the second examiner's confirming entry. Returns "entered" or "confirmed"."""
    require(user, "assessment.score", candidate.session)
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().select_related("session", "graduate").get(pk=candidate.pk)
        problems = _check(candidate, user, theory, practical)
        if problems:
            raise AssessmentError(problems)
        if candidate.first_by_id is None or candidate.first_by_id == user.pk:
            Candidate.objects.filter(pk=candidate.pk).update(first_theory=theory, first_practical=practical,
                                                             first_by=user)
            outcome = "entered"
        else:
            if (candidate.first_theory, candidate.first_practical) != (theory, practical):
                raise AssessmentError(_("与第一次录入不一致（理论 %(a)s / %(b)s，操作 %(c)s / %(d)s），未确认；请两位考评员核对"
                                        "评分记录后由第一位考评员更正或重新录入。") % {
                    "a": candidate.first_theory, "b": theory, "c": candidate.first_practical, "d": practical})
            Candidate.objects.filter(pk=candidate.pk).update(theory_score=theory, practical_score=practical,
                                                             confirmed_by=user, confirmed_at=timezone.now())
            outcome = "confirmed"
        audit.record(actor=user, action=f"assessment.score_{outcome}", obj=candidate.session, role=Role.EXPERT,
                     changes={"candidate": candidate.pk})
    return outcome


SCORE_COLUMNS = {"证件号码": "id_number", "身份证号": "id_number", "公民身份号码": "id_number", "sfzh": "id_number",
                 "姓名": "name", "xm": "name", "理论知识成绩": "theory", "理论知识考试成绩": "theory", "理论": "theory",
                 "操作技能成绩": "practical", "操作技能考核成绩": "practical", "操作": "practical"}


def import_scores(session, *, user, upload):
    """Scores for the session's candidates from CSV/XLSX (columns 证件号码, 姓名, 理论知识成绩, 操作技能成绩).
    Returns (count, problems): with any problem nothing is stored."""
    require(user, "assessment.score", session)
    try:
        table = read_table(upload)
    except TableError as exc:
        return 0, [ScoreProblem(0, "", str(exc))]
    keys = [SCORE_COLUMNS.get(normalise_header(h)) for h in table.headers]
    missing = [label for label, key in (("证件号码", "id_number"), ("姓名", "name")) if key not in keys]
    if missing:
        return 0, [ScoreProblem(0, "", _("缺少列：%(c)s") % {"c": "、".join(missing)})]
    candidates = {c.graduate.id_number: c for c in session.candidates.select_related("graduate", "session")}
    staged, problems, seen = [], [], set()
    for number, row in enumerate(table.rows, start=table.first_row):
        if not any(str(c).strip() for c in row):
            continue
        cells = {k: (row[i] if i < len(row) else "") for i, k in enumerate(keys) if k}
        ric = identifiers.normalize_ric(cells.get("id_number", ""))
        candidate = candidates.get(ric)
        if candidate is None:
            problems.append(ScoreProblem(number, "证件号码", _("本场次没有证件号码为 %(id)s 的考生") % {
                "id": identifiers.mask_ric(ric) or "—"}))
            continue
        if ric in seen:
            problems.append(ScoreProblem(number, "证件号码", _("重复的考生")))
            continue
        seen.add(ric)
        if cells.get("name", "").strip() != candidate.graduate.name:
            problems.append(ScoreProblem(number, "姓名", _("姓名与报名信息不一致")))
            continue
        values = {}
        for key, label in (("theory", "理论知识成绩"), ("practical", "操作技能成绩")):
            try:
                values[key] = parse_score(cells.get(key, ""))
            except ValueError as exc:
                problems.append(ScoreProblem(number, label, str(exc)))
        if len(values) < 2:
            continue
        for message in _check(candidate, user, values["theory"], values["practical"]):
            problems.append(ScoreProblem(number, "", message))
        staged.append((candidate, values))
    if not staged and not problems:
        problems.append(ScoreProblem(0, "", _("文件中没有成绩行。")))
    if problems:
        return 0, problems
    try:
        with transaction.atomic():
            for candidate, values in staged:
                enter_scores(candidate, user=user, theory=values["theory"], practical=values["practical"])
    except AssessmentError as exc:
        return 0, [ScoreProblem(0, "", m) for m in exc.messages]
    return len(staged), []
