"""May the graduate be evaluated at all: 附件2 一(四) (employment) and 一(六) (general conditions), with
one reason per failed condition, each citing its clause (used by engine.evaluate)."""

from __future__ import annotations

from .clauses import (
    ASSESSMENT_NAMES,
)
from .profile import Profile

# --- may_apply: 附件2 一(四) and 一(六) -----------------------------------------------

# One reason per failed condition, each citing its clause.
NOT_PILOT_SCHOOL = "所在学校不是“工程师职称证书自主评审”试点学校（附件2 一(三)、一(四)；通知 二(一)）"
NOT_PILOT_MAJOR = "所学专业不是试点专业（附件2 一(三)、一(四)）"
NOT_EMPLOYED = "毕业离校当年度尚未在省内企业就业（附件2 一(四)：须在省内企业就业、签订三方就业协议并已到岗）"
NOT_IN_PROVINCE = "就业单位不在安徽省内（附件2 一(四)）"
NO_TRIPARTITE = "尚未签订三方就业协议（附件2 一(四)）"
NOT_ON_DUTY = "尚未到岗工作（附件2 一(四)）"
CONDUCT = "思想政治条件不符合要求（附件2 一(六)1）"
ASSESSMENT = "年度综合考核为{}，未达到良好以上（附件2 一(六)2）"
NOT_FIT = "不具备从事工程技术工作的身体条件（附件2 一(六)3）"
NO_CONTINUING_EDUCATION = "未完成学校规定的继续教育（公需课）学时（附件2 一(六)4）"
#: Unknown is not met (DOMAIN §3.6): one reason naming every condition the school has not stated.
NOT_PROVIDED = "未提供：{}（附件2 一(六)：学校记录前不能参评）"
GENERAL_LABELS = (("conduct_ok", "思想政治条件"), ("assessment", "年度综合考核"), ("physically_fit", "身体条件"),
                  ("continuing_education_done", "继续教育（公需课）学时"))

_GOOD_OR_BETTER = ("good", "excellent")  # 一(六)2: 综合表现考核达到良好以上


def blocking_reasons(p: Profile) -> tuple[str, ...]:
    """Why ``p`` may not be evaluated at all; empty when it may.

    附件2 一(四): a pilot major of a pilot school (when known — None does not
    block), employed by an enterprise in Anhui with a tripartite agreement and
    on duty in the graduation year; 附件2 一(六): general conditions, each stated by the school — one
    not stated (None) is unknown and blocks with "未提供：…", never counted as met.
    """
    e, g = p.employment, p.general
    if (e is not None and e.in_province and e.tripartite_agreement and e.on_duty
            and g.conduct_ok and g.physically_fit and g.continuing_education_done
            and g.assessment in _GOOD_OR_BETTER and p.pilot_major is not False and p.pilot_school is not False):
        return ()  # the common case
    reasons = []
    if p.pilot_school is False:
        reasons.append(NOT_PILOT_SCHOOL)
    if p.pilot_major is False:
        reasons.append(NOT_PILOT_MAJOR)
    if e is None:
        reasons.append(NOT_EMPLOYED)
    else:
        if not e.in_province:
            reasons.append(NOT_IN_PROVINCE)
        if not e.tripartite_agreement:
            reasons.append(NO_TRIPARTITE)
        if not e.on_duty:
            reasons.append(NOT_ON_DUTY)
    unknown = [label for key, label in GENERAL_LABELS if getattr(g, key) is None]
    if unknown:
        reasons.append(NOT_PROVIDED.format("、".join(unknown)))
    if g.conduct_ok is False:
        reasons.append(CONDUCT)
    if g.assessment is not None and g.assessment not in _GOOD_OR_BETTER:
        reasons.append(ASSESSMENT.format(ASSESSMENT_NAMES[g.assessment]))
    if g.physically_fit is False:
        reasons.append(NOT_FIT)
    if g.continuing_education_done is False:
        reasons.append(NO_CONTINUING_EDUCATION)
    return tuple(reasons)
