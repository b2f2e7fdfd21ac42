"""What each transition is called on screen, in the log and in the diagram."""

from django.utils.translation import gettext_lazy as _

TRANSITION_LABELS = {
    # the round
    "publish_candidates": _("公示评审对象"),
    "close_candidates_notice": _("公示期满，提交评委会评审"),
    "close_session": _("评委会评审结束"),
    "publish_results": _("公示评审结果"),
    "finalise": _("确定评审结果（发文）"),
    # an application
    "submit": _("提交申报"),
    "withdraw": _("撤回申报"),
    "pass_review": _("资格审查通过"),
    "return_for_correction": _("退回修改"),
    "refuse": _("资格审查不通过"),
    "disqualify": _("异议成立，取消"),
    "record_pass": _("评委会表决通过"),
    "record_fail": _("评委会表决未通过"),
    # a meeting
    "close_vote": _("主任委员结束表决"),
    "sign_minutes": _("主任委员签署会议纪要"),
    # an objection
    "uphold": _("答复：异议成立"),
    "dismiss": _("答复：异议不成立"),
    # 评审结果备案
    "record": _("人社部门予以备案"),
    "resubmit": _("复查后重新报送备案"),
    "rereview_pass": _("复查表决通过"),
    "rereview_fail": _("复查表决未通过"),
    # 复查
    "schedule": _("列入复查会议议程"),
    "record_revote": _("委员重新表决（按票数记录）"),
    "defer": _("回避后人数不足，暂缓复查"),
    "publish_result": _("公示复查结果"),
    "conclude": _("评委会复查后作出新的决定"),
}
