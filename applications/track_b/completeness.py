"""What must be true of 附件3/附件4 before a university may submit: the completeness checklist.

A draft may hold anything; ``problems_of`` lists, per section, what is missing or wrong — every
统一社会信用代码, telephone number and 身份证号 checked, occupations from the dictionary, rows
complete. Errors block the submission; warnings (an unknown place code in an ID number, a missing
file) are shown and do not.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from portal.identifiers import check_ric, mask_ric, normalize_ric, validate_uscc

from .models import ImplementationPlan
from .sections import SECTIONS
from .validators import validate_phone

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    section: str
    message: str
    row: int | None = None
    level: str = ERROR
    field: str = ""  # the form field it is about, when there is one (shown under that field on save)

    def __str__(self):
        if self.row is None:
            return self.message
        return _("第%(row)d行：%(msg)s") % {"row": self.row, "msg": self.message}


def _label(model, field):
    return str(model._meta.get_field(field).verbose_name)


def _messages(exc):
    return [str(m) for m in exc.messages]


class _Collector:
    def __init__(self):
        self.items = []

    def add(self, section, message, row=None, level=ERROR, field=""):
        self.items.append(Problem(section, message, row, level, field))

    def required(self, section, obj, fields, row=None):
        for field in fields:
            value = getattr(obj, field)
            if value is None or (isinstance(value, str) and not value.strip()):
                self.add(section, _("“%(label)s”未填写") % {"label": _label(type(obj), field)}, row,
                         field=field if row is None else "")

    def run(self, section, validator, value, row=None, field=""):
        if value in (None, ""):
            return
        try:
            validator(value)
        except ValidationError as exc:
            for msg in _messages(exc):
                self.add(section, msg, row, field=field)


def _people(c, section, rows, required, *, empty_message):
    if not rows:
        c.add(section, empty_message)
        return
    seen = {}
    for i, person in enumerate(rows, 1):
        c.required(section, person, required, i)
        if person.id_number:
            result = check_ric(person.id_number)
            if result.error:
                c.add(section, _("身份证号 %(num)s：%(err)s") % {"num": mask_ric(person.id_number),
                                                            "err": result.error}, i)
            elif result.warning:
                c.add(section, result.warning, i, WARNING)
            key = normalize_ric(person.id_number)
            if key in seen:
                c.add(section, _("身份证号与第%(n)d行重复") % {"n": seen[key]}, i)
            else:
                seen[key] = i


def problems_of(application, *, plan=None, rows=None):
    """Every problem of the application, in section order. ``rows`` may pass preloaded row lists."""
    app = application
    rows = rows or load_rows(app)
    c = _Collector()

    # 一、基本信息
    c.required("basic", app, ["unit_name", "unit_address", "unit_nature", "uscc", "head_name", "head_phone",
                              "org_head_name", "org_head_phone", "org_contact_name", "org_contact_phone",
                              "contact_email"])
    c.run("basic", validate_uscc, app.uscc.strip().upper() if app.uscc else "", field="uscc")
    if app.uscc and app.uscc.strip().upper() != app.institution.uscc:
        c.add("basic", _("统一社会信用代码与院校登记信息（%(uscc)s）不一致，请核对。") % {"uscc": app.institution.uscc},
              level=WARNING, field="uscc")
    for field in ("head_phone", "org_head_phone", "org_contact_phone"):
        c.run("basic", validate_phone, getattr(app, field), field=field)
    c.run("basic", EmailValidator(message=_("联系人邮箱格式不正确。")), app.contact_email, field="contact_email")
    if app.website:
        url = app.website if "://" in app.website else f"http://{app.website}"
        c.run("basic", URLValidator(message=_("单位网址格式不正确。")), url, field="website")

    # 二、专业及职业（工种）
    majors = rows["majors"]
    if not majors:
        c.add("majors", _("至少填写一个专业及其对应的职业（工种）。"))
    seen = {}
    for i, m in enumerate(majors, 1):
        c.required("majors", m, ["major_name", "occupation", "job_type", "item_writers", "examiners_count"], i)
        occ = m.occupation
        if occ is not None:
            if not occ.is_skill:
                c.add("majors", _("“%(occ)s”不是技能类职业，不能开展职业技能等级认定。") % {"occ": occ}, i)
            jobs = occ.job_type_list
            if jobs and m.job_type and m.job_type.strip() not in jobs + ["--"]:
                c.add("majors", _("工种“%(job)s”不属于职业“%(occ)s”，应为：%(jobs)s。")
                      % {"job": m.job_type, "occ": occ.name, "jobs": "、".join(jobs)}, i)
        if m.examiners_count == 0:
            c.add("majors", _("具备资格条件的考评人员人数至少为1人。"), i)
        key = (m.major_name.strip(), m.occupation_id, m.job_type.strip())
        if m.occupation_id and key in seen:
            c.add("majors", _("与第%(n)d行重复。") % {"n": seen[key]}, i)
        seen.setdefault(key, i)

    # 三、规章制度文件和质量管控文件
    regulations = rows["regulations"]
    if not regulations:
        c.add("regulations", _("至少填写一个规章制度文件或质量管控文件。"))
    for i, doc in enumerate(regulations, 1):
        c.required("regulations", doc, ["title"], i)
        if not doc.file:
            c.add("regulations", _("“%(title)s”尚未上传文件（文件另附）。") % {"title": doc.title or "—"}, i, WARNING)

    # 四、五
    c.required("advantages", app, ["advantages"])
    c.required("venues", app, ["venues", "exam_it"])
    equipment = rows["equipment"]
    if not equipment:
        c.add("venues", _("至少填写一项设施设备。"))
    for i, e in enumerate(equipment, 1):
        c.required("venues", e, ["name", "spec", "quantity", "ownership"], i)
        if e.quantity == 0:
            c.add("venues", _("数量应大于0。"), i)

    # 六、人员情况
    _people(c, "staff", rows["staff"], ["name", "id_number", "title", "education", "duties"],
            empty_message=_("至少填写一名专职工作人员。"))
    _people(c, "experts", rows["experts"], ["name", "id_number", "employer", "title", "education", "specialty"],
            empty_message=_("至少填写一名专家。"))
    _people(c, "examiners", rows["examiners"], ["name", "id_number", "employer", "title", "education", "domain"],
            empty_message=_("至少填写一名具备资格条件的考评人员。"))
    most = max((m.examiners_count or 0 for m in majors), default=0)
    if rows["examiners"] and most > len(rows["examiners"]):
        c.add("examiners", _("“二”中某职业填报的考评人员人数（%(n)d人）多于此处列出的考评人员（%(m)d人），请核对。")
              % {"n": most, "m": len(rows["examiners"])}, level=WARNING)

    # 七、申报单位负责人意见
    c.required("other", app, ["applicant_opinion"])
    if not app.declaration:
        c.add("other", _("申报单位须确认所填信息真实、完整，并同意申请备案。"))

    # 相关材料
    attachments = rows["attachments"]
    for i, a in enumerate(attachments, 1):
        if not a.file:
            c.add("attachments", _("“%(title)s”未选择文件。") % {"title": a.title or "—"}, i)
        if not a.title:
            c.add("attachments", _("“材料名称”未填写"), i)
    if not any(a.category == "qualification" and a.file for a in attachments):
        c.add("attachments", _("尚未上传人员技术技能水平证明复印件。"), level=WARNING)

    # 附件4
    if plan is None:
        plan = ImplementationPlan.objects.filter(application=app).first()
    if plan is None:
        c.add("plan", _("尚未填写实施方案。"))
    else:
        c.required("plan", plan, ["target_level", "basic", "training", "duties", "evaluation_design", "commitment",
                                  "signatory"])
    # 附件4 四、科目设置、成绩合格标准: each occupation applied for needs at least one subject with its pass mark.
    standards = rows.get("pass_standards")
    if standards is None:
        standards = list(app.pass_standards.select_related("occupation"))
    for i, s in enumerate(standards, 1):
        c.required("standards", s, ["occupation", "subject", "pass_mark"], i)
    covered = {s.occupation_id for s in standards if s.subject and s.pass_mark is not None}
    for major in rows["majors"]:
        if major.occupation_id and major.occupation_id not in covered:
            c.add("standards", _("“%(occ)s”尚未设定考核科目和成绩合格标准。")
                  % {"occ": major.occupation.name})
            covered.add(major.occupation_id)
    return c.items


def load_rows(app):
    """All row sets of 附件3, one query each (occupations joined)."""
    return {
        "majors": list(app.majors.select_related("occupation")),
        "regulations": list(app.regulations.all()),
        "equipment": list(app.equipment.all()),
        "staff": list(app.staff.all()),
        "experts": list(app.listed_experts.all()),
        "examiners": list(app.examiners.all()),
        "attachments": list(app.attachments.all()),
        "pass_standards": list(app.pass_standards.select_related("occupation")),
    }


def errors(problems):
    return [p for p in problems if p.level == ERROR]


def checklist(problems):
    """[(section, [problems])] in the annexes' order, for the page before submitting."""
    by_section = defaultdict(list)
    for p in problems:
        by_section[p.section].append(p)
    return [(section, by_section.get(section.key, [])) for section in SECTIONS]
