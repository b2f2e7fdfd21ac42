"""The provincial education department's expert review (论证) and on-site evaluation (实地评估), 通知 三(一)2(3)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications.track_a import selectors
from applications.track_a.models import DocumentReview, SiteEvaluation
from portal.models import Role

from .common import _transition

MIN_REVIEW_EXPERTS = 3  # 专家论证/实地评估: a panel of at least three (the notice is silent; a panel needs a majority)


def _check_experts(application, experts):
    experts = list(experts)
    if len(experts) < MIN_REVIEW_EXPERTS:
        raise ValidationError(_("专家不少于%d人。") % MIN_REVIEW_EXPERTS)
    allowed = set(selectors.expert_pool_for(application).values_list("pk", flat=True))
    conflicted = [str(e) for e in experts if e.pk not in allowed]
    if conflicted:
        raise ValidationError(_("以下专家受聘于申报单位，应当回避：%s") % "、".join(conflicted))
    return experts


def document_review(*, application, actor, held_on, experts, conclusion, opinion, expected_state=None):
    """专家论证 (provincial education): passed → on-site evaluation next; otherwise returned to the school."""
    experts = _check_experts(application, experts)
    if not opinion.strip():
        raise ValidationError(_("请填写专家论证意见。"))
    name = "pass_document_review" if conclusion == DocumentReview.Conclusion.PASS else "province_return"
    with transaction.atomic():
        application = _transition(application, name, actor=actor, role=Role.PROVINCIAL_EDUCATION, comment=opinion,
                                  expected_state=expected_state, data={"conclusion": conclusion})
        review = DocumentReview.objects.create(application=application, held_on=held_on, conclusion=conclusion,
                                               opinion=opinion, decided_by=actor,
                                               submission_number=application.submission_count)
        review.experts.set(experts)
    return application


def return_from_province(*, application, actor, reasons, expected_state=None):
    if not reasons.strip():
        raise ValidationError(_("退回修改时请写明理由。"))
    return _transition(application, "province_return", actor=actor, role=Role.PROVINCIAL_EDUCATION,
                       comment=reasons, expected_state=expected_state)


def site_evaluation(*, application, actor, visited_on, experts, training_model, foundations, policy_support,
                    guarantees, recommendation, expected_state=None):
    """实地评估: date, experts from the pool, findings on the four points of 通知 三(一)2(3)."""
    experts = _check_experts(application, experts)
    with transaction.atomic():
        application = _transition(application, "record_site_evaluation", actor=actor,
                                  role=Role.PROVINCIAL_EDUCATION, expected_state=expected_state,
                                  data={"recommendation": recommendation})
        evaluation = SiteEvaluation.objects.create(
            application=application, visited_on=visited_on, training_model=training_model, foundations=foundations,
            policy_support=policy_support, guarantees=guarantees, recommendation=recommendation, decided_by=actor)
        evaluation.experts.set(experts)
    return application


