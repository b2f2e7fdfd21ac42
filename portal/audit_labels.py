"""What the audit log's codes mean, in Chinese (issue 15 §20): "下载证书PDF", not ``certificates.download_pdf``.

``ACTIONS`` names every action code the code base records with ``audit.record(action=...)``. Transitions are
recorded as ``<app>.<model>.<transition>`` by ``applications.workflow.run_transition``; each app registers the
names of its transitions (``register_transitions``, in its AppConfig.ready) and the label reads
"<model>：<transition>" ("证书：撤销"). tests/portal/test_audit_labels.py fails on a code without a label.
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # sign-in (portal/auth.py; django-axes may add its own)
    "login": _("登录"),
    "login_failed": _("登录失败"),
    "login_refused_locked": _("账号已锁定，拒绝登录"),
    "account_locked": _("连续登录失败，账号锁定"),
    "login_unlocked": _("管理员解除登录锁定"),
    # two-factor sign-in (portal/twofactor)
    "otp_verified": _("通过两步验证"),
    "otp_failed": _("两步验证码错误"),
    "otp_enrolled": _("启用两步验证（绑定身份验证器）"),
    "otp_recovery_renewed": _("重新生成两步验证恢复码"),
    "otp_turned_off": _("关闭两步验证"),
    "otp_reset": _("管理员重置两步验证（手机丢失等）"),
    "otp_devices_deleted_admin": _("管理员在后台删除两步验证设备"),
    "db_roles": _("设置数据库角色与审计表权限"),
    # accounts of staff, officials and experts (portal/accounts.py: the Django admin and the demo)
    "portal.create_account": _("创建账号"),
    "portal.grant_role": _("授予角色"),
    "portal.change_role": _("修改角色授权"),
    "portal.revoke_role": _("撤销角色"),
    "portal.expert_profile": _("登记专家库信息"),
    # the open API (api/): tokens and every use of one
    "api.create_token": _("创建接口令牌"),
    "api.revoke_token": _("吊销接口令牌"),
    "api.token_use": _("以接口令牌调用开放接口"),
    "api.token_refused": _("接口令牌被拒绝（已吊销或创建人已无此角色）"),
    # certificates
    "certificates.issue": _("颁发证书"),
    "certificates.issue_round_titles": _("按评审结果颁发职称证书"),
    "certificates.download_pdf": _("下载证书PDF"),
    "certificates.download_zip": _("下载证书压缩包"),
    "certificates.import_photos": _("导入证件照"),
    "certificates.import_results": _("导入评价结果"),
    "certificates.record_result": _("登记评价结果"),
    "certificates.start_batch": _("开始批量发证"),
    "certificates.print_record": _("打印证书冻结记录（管理命令）"),
    "certificates.print_pdf": _("导出证书PDF（管理命令）"),
    # graduates and eligibility
    "evaluation.activate_account": _("学生激活账号"),
    "evaluation.activation_failed": _("学生激活账号失败"),
    "evaluation.add_achievement": _("添加成果"),
    "evaluation.delete_achievement": _("删除成果"),
    "evaluation.create_student_accounts": _("生成学生账号激活码"),
    "evaluation.export_full_ids": _("导出完整身份证号"),
    "evaluation.import_transcript": _("导入成绩单"),
    "evaluation.publish_standard": _("发布学校评价标准"),
    "evaluation.reveal_id_number": _("查看完整身份证号"),
    "evaluation.start_run": _("开始资格评价"),
    "evaluation.comment_standard": _("市人社局对评价标准草案提出意见"),
    # the evaluation round
    "rounds.open_round": _("开启年度评审"),
    "rounds.create_application": _("创建职称申报"),
    "rounds.update_application": _("修改职称申报"),
    "rounds.add_evidence": _("上传申报材料"),
    "rounds.remove_evidence": _("删除申报材料"),
    "rounds.view_evidence": _("查看申报材料"),
    "rounds.lodge_objection": _("提出公示异议"),
    "rounds.record_ballot": _("登记表决结果（旧记录）"),
    "rounds.session_attendance": _("登记评审会议出席（旧记录）"),
    "rounds.convene_meeting": _("召集评审会议（随机抽取委员）"),
    "rounds.check_in": _("评审会议签到"),
    "rounds.declare_conflict": _("申请回避"),
    "rounds.withdraw_conflict": _("撤回回避申请"),
    "rounds.vote": _("无记名投票（不记录投票内容）"),
    "rounds.member_view_candidate": _("委员查阅评审对象材料"),
    "rounds.decisions": _("形成评审结果"),
    "rounds.correct_decision": _("更正评审结果"),
    "rounds.export_report": _("导出评审结果报表"),
    "rounds.submit_results": _("学校报送评审结果备案"),
    "rounds.record_results": _("人社部门办理评审结果备案"),
    "rounds.request_rereview": _("申请复查"),
    "rounds.choose_workplace": _("毕业生选择在工作地申报"),
    "rounds.workplace_export": _("导出在工作地申报材料"),
    # 评价实施 (assessment)
    "assessment.create_plan": _("新建年度评价计划"),
    "assessment.save_plan": _("保存年度评价计划"),
    "assessment.set_plan_deadline": _("设定年度计划报送期限"),
    "assessment.save_session": _("保存评价批次"),
    "assessment.answer_objection": _("答复备案部门对评价批次的意见"),
    "assessment.name_supervisor": _("指派质量督导员"),
    "assessment.supervision_report": _("提交质量督导报告"),
    "assessment.register": _("报名参加评价"),
    "assessment.withdraw": _("撤回评价报名"),
    "assessment.withdraw_for_workplace": _("选择在工作地申报，退出学校的认定场次"),
    "assessment.attendance": _("登记考生到考情况"),
    "assessment.major_mapping": _("设置专业与职业对应"),
    "assessment.declare_unemployed": _("毕业生声明未就业"),
    "assessment.decide_declaration": _("审核毕业生未就业声明"),  # before it became a transition (confirm / reject)
    "assessment.opt_in": _("学生报名参加评价"),
    "assessment.declare_conflict": _("考评人员申请回避"),
    "assessment.export_results": _("导出评价结果"),
    "assessment.export_oversight": _("导出监管数据"),
    # Track A
    "track_a.start": _("开始填报试点申请（附件1）"),
    "track_a.update_section": _("保存试点申请内容"),
    "track_a.add_document": _("上传试点申请附件"),
    "track_a.remove_document": _("删除试点申请附件"),
    "track_a.create_committee": _("组建职称评审委员会"),
    "track_a.update_committee": _("修改职称评审委员会"),
    "track_a.set_members": _("设置评审委员会委员"),
    "track_a.review_committee": _("办理评委会核准备案"),
    "track_a.propose_group": _("省教育厅提出论证专家组"),
    "track_a.expert_opinion": _("专家填写个人论证意见"),
    "track_a.edit_group_report": _("专家组组长起草（修改）报告"),
    "track_a.sign_group_report": _("专家在专家组报告上签字"),
    "track_a.group_conflict": _("论证专家申请回避并退出专家组"),
    # Track B
    "track_b.create": _("开始填报备案申请（附件3/4）"),
    "track_b.save_section": _("保存备案申请内容"),
    "track_b.download": _("下载备案文书"),
    "track_b.download_attachment": _("下载备案申请附件"),
    "track_b.view_ids": _("查看完整身份证号"),
    "track_b.change_panel": _("调整评估论证专家组"),
    "track_b.record_conflict": _("登记专家回避"),
    "track_b.declare_conflict": _("专家声明回避"),
    "track_b.edit_report": _("修改评估论证报告"),
    "track_b.sign_report": _("专家签署评估论证报告"),
    "track_b.filing_code": _("分配备案编号"),
    "track_b.entrustment_create": _("新建委托认定报备"),
    "track_b.entrustment_save": _("保存委托认定报备"),
    "track_b.exemption_request": _("填报“1+X”免试科目申请"),
    "track_b.exemption_submit": _("学校报送“1+X”免试科目申请（批次）"),
}

_TRANSITIONS = {}  # app label -> {transition name: label}


def register(labels):
    """Adds labels of action codes (an app's own ``audit.record`` actions)."""
    ACTIONS.update(labels)


def register_transitions(app_label, labels):
    """The on-screen names of an app's workflow transitions (``{"revoke": "撤销"}``)."""
    _TRANSITIONS.setdefault(app_label, {}).update(labels)


def transition_label(app_label, name):
    return _TRANSITIONS.get(app_label, {}).get(name)


def action_label(code):
    """The Chinese label of an audit action code; the code itself if nobody named it."""
    if code in ACTIONS:
        return str(ACTIONS[code])
    parts = code.split(".")
    if len(parts) == 3:
        app_label, model_name, name = parts
        label = transition_label(app_label, name)
        if label is not None:
            try:
                model = apps.get_model(app_label, model_name)
            except LookupError:
                return str(label)
            return f"{model._meta.verbose_name}：{label}"
    return code


def state_label(object_type, value):
    """The label of a workflow state value of the model ``object_type`` ("certificates.certificate")."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return value
    for field_name in ("state", "status"):
        try:
            field = model._meta.get_field(field_name)
        except FieldDoesNotExist:
            continue
        return str(dict(field.flatchoices).get(value, value))
    return value


OUTCOMES = {"ok": _("成功"), "refused": _("被拒绝"), "failed": _("失败")}


def changes_text(object_type, changes):
    """A change summary people read: the state as "有效 → 已撤销", other keys as "key：value"."""
    parts = []
    for key, value in (changes or {}).items():
        if key == "state" and isinstance(value, list) and len(value) == 2:
            parts.append(f"{state_label(object_type, value[0])} → {state_label(object_type, value[1])}")
        elif key == "comment":
            parts.append(str(_("理由：%(text)s") % {"text": value}))
        else:
            parts.append(f"{key}：{value}")
    return "；".join(parts)
