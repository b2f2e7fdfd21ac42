"""附件1's tables as row models: 试点专业, 合作共建企业 (at most 5, enforced by the database), 专任教师简表, and the
attachments of 二、合作事项或协议 — each row belongs to one ``PilotApplication``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.track_a import rules
from portal.uploads import DOCUMENTS, UploadValidator

from .application import PilotApplication


class PilotMajor(models.Model):
    """拟开展试点专业基本信息, with the hours that the 30% practice rule checks (通知 三(一)1(2))."""

    application = models.ForeignKey(PilotApplication, on_delete=models.CASCADE, related_name="majors")
    position = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("试点专业名称"), max_length=60)
    opened_year = models.PositiveSmallIntegerField(_("开设时间"), help_text=_("年份，如 2018"))
    students = models.PositiveIntegerField(_("在读学生总数"))
    total_hours = models.PositiveIntegerField(_("专业人才培养方案总学时"))
    practice_hours = models.PositiveIntegerField(_("实践教学学时"))

    class Meta:
        verbose_name = _("试点专业")
        verbose_name_plural = _("试点专业")
        ordering = ["application", "position"]
        constraints = [
            models.UniqueConstraint(fields=["application", "position"], name="track_a_major_position_unique"),
            models.UniqueConstraint(fields=["application", "name"], name="track_a_major_name_unique"),
            models.CheckConstraint(condition=Q(practice_hours__lte=models.F("total_hours")),
                                   name="track_a_practice_within_total"),
        ]

    def __str__(self):
        return self.name

    @property
    def practice_percent(self):
        return rules.percent(self.practice_hours, self.total_hours)

    @property
    def practice_ok(self):
        return rules.practice_ok(self.total_hours, self.practice_hours)


class PartnerEnterprise(models.Model):
    """合作共建企业(单位)基本信息 — 限填5个: the database refuses a sixth (positions 1–5, unique)."""

    application = models.ForeignKey(PilotApplication, on_delete=models.CASCADE, related_name="partners")
    position = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("合作企业(单位)名称"), max_length=100)
    industry_type = models.CharField(_("产业类型"), max_length=60)

    class Meta:
        verbose_name = _("合作共建企业(单位)")
        verbose_name_plural = _("合作共建企业(单位)")
        ordering = ["application", "position"]
        constraints = [
            models.UniqueConstraint(fields=["application", "position"], name="track_a_partner_position_unique"),
            models.CheckConstraint(condition=Q(position__gte=1, position__lte=rules.MAX_PARTNERS),
                                   name="track_a_at_most_five_partners",
                                   violation_error_message=_("合作企业(单位)限填5个。")),
        ]

    def __str__(self):
        return self.name


class TeacherSource(models.TextChoices):
    SCHOOL = "school", _("学校教师")
    ENTERPRISE = "enterprise", _("企业教师")


class FullTimeTeacher(models.Model):
    """专任教师简表, one row per teacher."""

    application = models.ForeignKey(PilotApplication, on_delete=models.CASCADE, related_name="teachers")
    position = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("姓名"), max_length=50)
    age = models.PositiveSmallIntegerField(_("年龄"))
    source = models.CharField(_("学校教师/企业教师"), max_length=12, choices=TeacherSource.choices)
    title = models.CharField(_("职称"), max_length=50, blank=True)
    post = models.CharField(_("职务"), max_length=50, blank=True)
    duties = models.CharField(_("承担教学/管理任务"), max_length=200)

    class Meta:
        verbose_name = _("专任教师")
        verbose_name_plural = _("专任教师简表")
        ordering = ["application", "position"]
        constraints = [
            models.UniqueConstraint(fields=["application", "position"], name="track_a_teacher_position_unique"),
            models.CheckConstraint(condition=Q(age__gte=18, age__lte=90), name="track_a_teacher_age_range"),
        ]

    def __str__(self):
        return self.name


class CooperationDocument(models.Model):
    """An attachment of 二、与企业达成的合作事项或协议 (a signed cooperation agreement, typically)."""

    application = models.ForeignKey(PilotApplication, on_delete=models.CASCADE, related_name="cooperation_documents")
    title = models.CharField(_("附件名称"), max_length=100)
    file = models.FileField(_("文件"), upload_to="track_a/cooperation/%Y/", validators=[UploadValidator(DOCUMENTS, 20)])
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("合作协议附件")
        verbose_name_plural = _("合作协议附件")
        ordering = ["application", "uploaded_at", "id"]

    def __str__(self):
        return self.title
