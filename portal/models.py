"""People and places every app shares: users and their roles, cities, institutions,
the audit log and the in-app inbox."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import identifiers
from portal.choicelabels import ChoiceLabels


class User(AbstractUser):
    """A person with an account. What they may do comes from their role assignments."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self):
        return self.full_name or self.username


class City(models.Model):
    """A prefecture-level city of Anhui (GB/T 2260 four-digit code), or the province itself (34)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("设区市")

    code = models.CharField(_("行政区划代码"), max_length=4, primary_key=True)
    name = models.CharField(_("名称"), max_length=20, unique=True)
    level = models.CharField(_("层级"), max_length=8, choices=Level.choices, default=Level.CITY)

    class Meta:
        verbose_name = _("设区市")
        verbose_name_plural = _("设区市")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def division_code(self):
        return self.code.ljust(6, "0")


HEFEI = "3401"


class Affiliation(models.TextChoices):
    MINISTRY = "ministry", _("部属")
    PROVINCIAL = "provincial", _("省属")
    MUNICIPAL = "municipal", _("市属")
    PRIVATE = "private", _("民办")


class ApproverLevel(models.TextChoices):
    """The level of the education authority that approved a 民办 school (our decision, DOMAIN §3.4)."""

    PROVINCIAL = "provincial", _("省教育厅批准设立")
    CITY = "city", _("市级教育行政部门批准设立")


class InstitutionKind(models.TextChoices):
    UNDERGRADUATE = "undergraduate", _("本科院校")
    VOCATIONAL = "vocational", _("高职院校")
    TECHNICIAN = "technician", _("技师学院")


class IndustryCollegeLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")


class Institution(ChoiceLabels, models.Model):
    """A university or college. Its affiliation and city decide where its applications go (DOMAIN §4.2)."""

    name = models.CharField(_("全称"), max_length=100, unique=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True,
                            validators=[identifiers.validate_uscc])
    school_code = models.CharField(
        _("院校代码"), max_length=5, blank=True, validators=[RegexValidator(r"^\d{5}$", _("院校代码为5位数字"))],
        help_text=_("教育部5位院校代码（如 10360），即毕业证书编号的前5位；导入成绩单时据此核对证书编号。"))
    affiliation = models.CharField(_("隶属"), max_length=12, choices=Affiliation.choices)
    city = models.ForeignKey(City, on_delete=models.PROTECT, verbose_name=_("所在市"), related_name="institutions",
                             limit_choices_to={"level": "city"})
    kind = models.CharField(_("类型"), max_length=16, choices=InstitutionKind.choices)
    private_approver_level = models.CharField(
        _("民办院校审批机关级别"), max_length=12, choices=ApproverLevel.choices, blank=True,
        help_text=_("仅民办院校填写：批准其设立的教育行政部门的级别，决定评委会向哪一级人社部门申请核准备案"
                    "（附件2 二(三)）。"))
    applied_engineering = models.BooleanField(_("应用型理工科院校"), default=False)
    industry_college_name = models.CharField(_("现代产业学院名称"), max_length=100, blank=True)
    industry_college_level = models.CharField(_("现代产业学院级别"), max_length=12,
                                              choices=IndustryCollegeLevel.choices, blank=True)
    industry_college_year = models.PositiveSmallIntegerField(_("现代产业学院获批年份"), null=True, blank=True)
    address = models.CharField(_("单位地址"), max_length=200, blank=True)
    website = models.URLField(_("单位网址"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    contact_email = models.EmailField(_("联系人邮箱"), blank=True)

    class Meta:
        verbose_name = _("院校")
        verbose_name_plural = _("院校")
        ordering = ["city_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(industry_college_name="") | ~Q(industry_college_level=""),
                name="institution_industry_college_has_level",
                violation_error_message=_("填写了现代产业学院名称时必须选择其级别。"),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.industry_college_name and not self.industry_college_level:
            raise ValidationError({"industry_college_level": _("填写了现代产业学院名称时必须选择其级别。")})

    @property
    def has_industry_college(self):
        """省级以上现代产业学院 (通知 三(一)1)."""
        return bool(self.industry_college_name and self.industry_college_level)


class Role(models.TextChoices):
    UNIVERSITY_STAFF = "university_staff", _("高校经办人")
    CITY_HRSS = "city_hrss", _("市人社局")
    CITY_EDUCATION = "city_education", _("市教育局")
    PROVINCIAL_HRSS = "provincial_hrss", _("省人社厅")
    PROVINCIAL_EDUCATION = "provincial_education", _("省教育厅")
    EXPERT = "expert", _("评审专家")
    STUDENT = "student", _("学生")
    SITE_ADMIN = "site_admin", _("系统管理员")


INSTITUTION_ROLES = {Role.UNIVERSITY_STAFF, Role.STUDENT}
CITY_ROLES = {Role.CITY_HRSS, Role.CITY_EDUCATION}


class RoleAssignment(models.Model):
    """One role a user holds, with its scope: an institution, a city, or an expert's employer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles",
                             verbose_name=_("用户"))
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="role_assignments", verbose_name=_("院校"),
                                    help_text=_("高校经办人、学生：所属院校；评审专家：若受聘于院校，则为其工作单位。"))
    city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("设区市"), limit_choices_to={"level": "city"})
    organisation = models.CharField(_("工作单位（非院校）"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "institution", "city"], name="role_assignment_unique"),
            models.UniqueConstraint(fields=["user", "role"], condition=Q(institution__isnull=True, city__isnull=True),
                                    name="role_assignment_unscoped_unique"),
            models.CheckConstraint(
                condition=~Q(role__in=["university_staff", "student"]) | Q(institution__isnull=False),
                name="role_institution_scope_required",
                violation_error_message=_("高校经办人和学生必须指定所属院校。"),
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["city_hrss", "city_education"]) | Q(city__isnull=False),
                name="role_city_scope_required",
                violation_error_message=_("市级部门人员必须指定设区市。"),
            ),
        ]

    def __str__(self):
        scope = self.institution or self.city or self.organisation
        return f"{self.get_role_display()}（{scope}）" if scope else str(self.get_role_display())

    def clean(self):
        """No scope a role does not take (the constraints above check the scope a role needs)."""
        role = self.role
        errors = {}
        if self.city_id and role not in CITY_ROLES:
            errors["city"] = _("只有市级部门人员指定设区市。")
        if self.institution_id and role not in INSTITUTION_ROLES | {Role.EXPERT}:
            errors["institution"] = _("只有高校经办人、学生和评审专家指定院校。")
        if self.organisation and role != Role.EXPERT:
            errors["organisation"] = _("只有评审专家填写非院校工作单位。")
        elif self.organisation and self.institution_id:
            errors["organisation"] = _("评审专家的工作单位为院校时不再填写非院校工作单位。")
        if errors:
            raise ValidationError(errors)

    @property
    def employer_name(self):
        return self.institution.name if self.institution_id else self.organisation


class AuditLog(models.Model):
    """Append-only record of who did what (DOMAIN §8; kept ≥ 6 months, Cybersecurity Law art. 21).

    Rows are written in the same transaction as the change they describe. Updating or deleting
    a row raises here, the admin offers neither, and on PostgreSQL a trigger refuses both.
    """

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    # DO_NOTHING without a database constraint: deleting a user must not rewrite history.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, null=True, blank=True,
                              related_name="+", verbose_name=_("操作人"), db_constraint=False)
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    role = models.CharField(_("角色"), max_length=24, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更摘要"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, default="ok")

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计日志不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志不可删除。")


class Notification(models.Model):
    """An in-app inbox item for whoever must act next."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name=_("接收人"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title


class TitleLevel(models.TextChoices):
    SENIOR = "senior", _("正高级")
    DEPUTY_SENIOR = "deputy_senior", _("副高级")
    INTERMEDIATE = "intermediate", _("中级")
    JUNIOR = "junior", _("初级")
    SKILLED = "skilled", _("高技能人才")
    NONE = "none", _("无")


class ExpertProfile(models.Model):
    """The expert pool: a person who may sit on panels and committees (with an expert role assignment)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile",
                                verbose_name=_("用户"))
    title = models.CharField(_("职务/职称/技能等级"), max_length=100)
    title_level = models.CharField(_("职称级别"), max_length=16, choices=TitleLevel.choices)
    specialty = models.CharField(_("专业方向"), max_length=100, blank=True)
    education = models.CharField(_("学历"), max_length=20, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)

    class Meta:
        verbose_name = _("专家库")
        verbose_name_plural = _("专家库")

    def __str__(self):
        return f"{self.user.display_name}（{self.title}）"


class Occupation(models.Model):
    """An occupation of the 中华人民共和国职业分类大典（2022年版）: ``大类-中类-小类-细类``, e.g. 电工 6-31-01-03."""

    class Focus(models.TextChoices):
        NEW_ENERGY_VEHICLES = "nev", _("新能源汽车")
        INTELLIGENT_MANUFACTURING = "im", _("智能制造")
        DIGITAL_ECONOMY = "de", _("数字经济")
        OTHER = "other", _("其他")

    code = models.CharField(_("职业编码"), max_length=11, unique=True,
                            validators=[identifiers.validate_occupation_code])
    name = models.CharField(_("职业名称"), max_length=60)
    job_types = models.TextField(_("工种"), blank=True, help_text=_("每行一个工种名称；无工种则留空。"))
    focus = models.CharField(_("重点领域"), max_length=8, choices=Focus.choices, default=Focus.OTHER)
    is_skill = models.BooleanField(_("技能类职业"), default=True)
    max_level = models.PositiveSmallIntegerField(_("最高等级"), default=1, help_text=_("1 一级/高级技师 … 5 五级/初级工"))

    class Meta:
        verbose_name = _("职业（2022年版大典）")
        verbose_name_plural = _("职业（2022年版大典）")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def job_type_list(self):
        return [line.strip() for line in self.job_types.splitlines() if line.strip()]
