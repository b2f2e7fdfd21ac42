"""工作地 (正文 四(二), 附件2 一(四)): the graduate chooses, themself, to apply at the place of work.

The choice takes them out of the school's round for the title (an application not yet past the eligibility review
is withdrawn, with the choice as the reason; one already a candidate cannot be moved) and, for skill certification,
out of the school's skill sessions (``signals.workplace_chosen``, received by ``assessment``); it is recorded and
logged, and the school is told. ``workplace_export`` gives them their records — the engine's verdict with its criteria, the
records it rests on and the evidence list — to take to the body at the place of work.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.profiles import graduate_profile
from evaluation.rounds.models import EDITABLE, ApplicationState, EmployerKind, WorkplaceChoice
from evaluation.rounds.selectors import active_application, latest_application, round_of_graduate
from evaluation.rounds.signals import workplace_chosen
from evaluation.rules import DEFAULT_STANDARD, evaluate
from portal import access, audit
from portal.identifiers import mask_ric
from portal.models import Role
from portal.notify import notify

from .common import school_staff, transition, verdict_for


def choose_workplace(*, graduate, actor, employer, employer_kind, for_title=True, for_skill=False, note=""):
    access.require(actor, "rounds.choose_workplace", graduate)
    employer = (employer or "").strip()
    if not employer:
        raise ValidationError(_("请填写工作单位名称。"), code="employer")
    if employer_kind not in EmployerKind.values:
        raise ValidationError(_("请选择单位性质。"), code="employer_kind")
    if not (for_title or for_skill):
        raise ValidationError(_("请至少选择一项在工作地申报的评价。"), code="nothing")
    # 正文 四(二)：“在省内企业就业并签订三方就业协议，可自愿选择在工作地或试点学校申报工程系列职称、职业技能等级认定”:
    # the same conditions for either choice (DOMAIN §7: a graduate employed by a 机关 or 事业单位 may not choose 工作地,
    # for a title nor for skills; the school's own skill assessment stays open to them).
    if employer_kind != EmployerKind.ENTERPRISE:
        raise ValidationError(_("在机关、事业单位就业的，不能选择在工作地申报工程系列职称或职业技能等级认定（通知 四(二)：须在省内企业"
                                "就业）；职业技能等级认定可在本校参加。"), code="not_enterprise")
    if not (graduate.employed_in_anhui and graduate.tripartite_agreement):
        raise ValidationError(_("在工作地申报须在省内企业就业并签订三方就业协议（通知 四(二)）；学校的记录尚未显示，请先请学校更正记录。"),
                              code="not_employed")
    rnd = round_of_graduate(graduate)
    application = active_application(rnd, graduate) if (rnd is not None and for_title) else None
    if application is not None and application.state not in (*EDITABLE, ApplicationState.SUBMITTED):
        raise ValidationError(_("您已是学校本年度评审的评审对象，不能再改为在工作地申报。"), code="candidate")
    try:
        with transaction.atomic():
            choice = WorkplaceChoice.objects.create(graduate=graduate, employer=employer, employer_kind=employer_kind,
                                                    for_title=for_title, for_skill=for_skill, note=(note or "").strip(),
                                                    chosen_by=actor)
            workplace_chosen.send(sender=WorkplaceChoice, choice=choice, actor=actor)
            if application is not None:
                transition(application, "withdraw", actor=actor, role=Role.STUDENT,
                           comment=_("本人选择在工作地（%(employer)s）申报（通知 四(二)）") % {"employer": employer},
                           expected_state=application.state)
            audit.record(actor=actor, action="rounds.choose_workplace", obj=choice, role=Role.STUDENT,
                         changes={"employer": employer, "employer_kind": employer_kind, "for_title": for_title,
                                  "for_skill": for_skill, "withdrawn": application.pk if application else None})
            notify(school_staff(graduate.institution_id),
                   title=_("毕业生选择在工作地申报：%(name)s（%(employer)s）") % {"name": graduate.name, "employer": employer},
                   body=note or "")
    except IntegrityError as exc:
        raise ValidationError(_("您已作出选择，记录不可更改；如有误请联系学校。"), code="duplicate") from exc
    return choice


def workplace_export(*, graduate, actor):
    """The graduate's records for the body at the place of work (a dict, served as JSON); logged."""
    access.require(actor, "rounds.choose_workplace", graduate)
    rnd = round_of_graduate(graduate)
    if rnd is not None:
        verdict, standard = verdict_for(graduate, rnd), rnd.standard_version.name
    else:
        verdict, standard = evaluate(graduate_profile(graduate), DEFAULT_STANDARD), "附件2 基本条件"
    choice = getattr(graduate, "workplace_choice", None)
    application = latest_application(rnd, graduate) if rnd is not None else None
    evidence = [{"kind": e.get_kind_display(), "file": e.original_name, "uploaded_at": e.uploaded_at.isoformat()}
                for e in (application.evidence.all() if application is not None else [])]
    data = {
        "exported_at": timezone.now().isoformat(),
        "graduate": {"name": graduate.name, "id_number": mask_ric(graduate.id_number),
                     "school": graduate.institution.name, "student_number": graduate.student_number,
                     "graduation_year": graduate.graduation_year, "major": graduate.major,
                     "degree_level": graduate.get_degree_level_display(), "pilot_major": graduate.pilot_major},
        "choice": None if choice is None else {"employer": choice.employer,
                                               "employer_kind": choice.get_employer_kind_display(),
                                               "for_title": choice.for_title, "for_skill": choice.for_skill,
                                               "chosen_at": choice.chosen_at.isoformat()},
        "standard": standard,
        "verdict": verdict.to_dict(),
        "records": graduate_profile(graduate).to_dict(),
        "achievements": [a.describe() for a in graduate.achievements.all()],
        "evidence": evidence,
    }
    audit.record(actor=actor, action="rounds.workplace_export", obj=graduate, role=Role.STUDENT)
    return data
