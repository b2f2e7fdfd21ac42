"""Who may do what in an evaluation round (registered with ``portal.access``; transitions ask these rules).

- the school's staff (高校经办人) open and run the round: review applications, publish the notices, answer
  objections, record the session and the votes, finalise, correct a decision — the school evaluates and
  answers for it (谁评价、谁负责);
- a graduate (student account linked to their ``Graduate`` record) applies in the round of their school and
  graduation year, and sees only their own application;
- the offices that supervise the school (its city's HRSS and education bureau; the provincial offices) see the
  rounds, applications, objections and reports, and act on none;
- site admins see everything and act on nothing;
- anyone, signed in or not, reads the public notices and lodges an objection (public.py, no rule needed).
"""

from portal import access


def _round_of(obj):
    """The round behind a round, application, objection, notice or decision."""
    from evaluation.rounds.models import EvaluationRound, Objection

    if isinstance(obj, EvaluationRound):
        return obj
    if isinstance(obj, Objection):
        return obj.notice.round
    return obj.round


def _staff_of(user, rnd):
    return rnd.institution_id in access.institution_ids(user)


def _supervises(user, rnd):
    return access.oversees_institution(user, rnd.institution)


def _applicant(user, application):
    return application.graduate.user_id is not None and application.graduate.user_id == user.pk


@access.rule("rounds.open_round")
def _open_round(user, institution):
    if institution is None:
        return bool(access.institution_ids(user))
    return institution.pk in access.institution_ids(user)


@access.rule("rounds.view_round")
def _view_round(user, rnd):
    return access.is_site_admin(user) or _staff_of(user, rnd) or _supervises(user, rnd)


@access.rule("rounds.manage_round")
def _manage_round(user, rnd):
    return _staff_of(user, _round_of(rnd))


@access.rule("rounds.view_personal")
def _view_personal(user, rnd):
    """Lists with names and the export's candidate sheet: the school and site admins (supervisors get counts)."""
    return access.is_site_admin(user) or _staff_of(user, _round_of(rnd))


@access.rule("rounds.enrol")
def _enrol(user, rnd):
    return _staff_of(user, rnd)


@access.rule("rounds.apply")
def _apply(user, rnd):
    from evaluation.models import Graduate

    return Graduate.objects.filter(user=user, institution_id=rnd.institution_id,
                                   graduation_year=rnd.graduation_year).exists()


@access.rule("rounds.view_application")
def _view_application(user, application):
    rnd = application.round
    return (_applicant(user, application) or access.is_site_admin(user) or _staff_of(user, rnd)
            or _supervises(user, rnd))


@access.rule("rounds.edit_application")
def _edit_application(user, application):
    from evaluation.rounds.models import RoundState

    return (application.is_editable and application.round.state == RoundState.OPEN
            and (_applicant(user, application) or _staff_of(user, application.round)))


@access.rule("rounds.submit_application")
def _submit_application(user, application):
    return _applicant(user, application) or _staff_of(user, application.round)


@access.rule("rounds.withdraw_application")
def _withdraw_application(user, application):
    return _applicant(user, application) or _staff_of(user, application.round)


@access.rule("rounds.review_application")
def _review_application(user, application):
    return _staff_of(user, application.round)


@access.rule("rounds.record_votes")
def _record_votes(user, application):
    return _staff_of(user, _round_of(application))


@access.rule("rounds.answer_objection")
def _answer_objection(user, obj):
    return _staff_of(user, _round_of(obj))


@access.rule("rounds.correct_decision")
def _correct_decision(user, decision):
    return _staff_of(user, _round_of(decision))
