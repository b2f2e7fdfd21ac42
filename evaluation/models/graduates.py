"""A graduate's record (附件2 一(四)、(六)、(八) facts) and the achievements that back it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import identifiers
from portal.choicelabels import ChoiceLabels
from portal.models import Institution
from portal.uploads import UploadValidator

from ..storage import private_storage


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class DegreeLevel(models.TextChoices):
    """The programme being finished; values are the engine's (eligibility-profile.schema.json)."""

    PHD = "phd", _("博士研究生")
    MASTER = "master", _("硕士研究生")
    BACHELOR = "bachelor", _("本科")
    JUNIOR_COLLEGE = "junior_college", _("专科")


class DesignGrade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    MEDIUM = "medium", _("中等")
    PASS = "pass", _("及格")
    FAIL = "fail", _("不及格")


class Assessment(models.TextChoices):
    """年度综合考核 (附件2 一(六)2)."""

    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_PRACTICE_MONTHS = 120


class Graduate(ChoiceLabels, models.Model):
    """One graduate of an institution in a graduation year, as the registrar's transcript gives it.

    The student number is unique per institution; the 公民身份号码 is checked with
    ``portal.identifiers`` (an unknown place code is accepted: DOMAIN §6) and shown masked
    unless someone with the right asks for it — which is logged (DOMAIN §8).
    """

    # Indexed through the two composite indexes below, which both start with institution.
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="graduates",
                                    verbose_name=_("院校"), db_index=False)
    graduation_year = models.PositiveSmallIntegerField(_("毕业年份"))
    student_number = models.CharField(_("学号"), max_length=32)
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    id_number = models.CharField(_("公民身份号码"), max_length=18, validators=[identifiers.validate_ric])
    degree_level = models.CharField(_("学历层次"), max_length=16, choices=DegreeLevel.choices)
    major = models.CharField(_("专业"), max_length=100)
    pilot_major = models.BooleanField(_("试点专业"), default=False)
    has_diploma = models.BooleanField(_("取得毕业证"), default=False)
    diploma_number = models.CharField(_("毕业证书编号"), max_length=40, blank=True)
    has_degree = models.BooleanField(_("取得学位证"), default=False)
    degree_number = models.CharField(_("学位证书编号"), max_length=40, blank=True)
    practice_months = models.DecimalField(_("企业实习实践累计时间（月）"), max_digits=4, decimal_places=1, default=0)
    major_rank_percent = models.DecimalField(_("平均学分绩点专业排名（前%）"), max_digits=5, decimal_places=2,
                                             null=True, blank=True)
    design_grade = models.CharField(_("毕业设计成绩"), max_length=10, choices=DesignGrade.choices, blank=True)
    ncre_level = models.PositiveSmallIntegerField(_("全国计算机等级"), default=0,
                                                  help_text=_("通过的最高级别；0 表示未通过。"))
    # 附件2 一(六) general conditions, attested by the school. Blank (NULL, or "" for the assessment) is unknown,
    # and unknown is not met: the verdict says 未提供 and the graduate may not be evaluated until it is recorded.
    conduct_ok = models.BooleanField(_("思想政治条件符合"), null=True, blank=True, default=None)
    assessment = models.CharField(_("年度综合考核"), max_length=10, choices=Assessment.choices, blank=True,
                                  default="")
    physically_fit = models.BooleanField(_("身体条件符合"), null=True, blank=True, default=None)
    continuing_education_done = models.BooleanField(_("完成继续教育（公需课）学时"), null=True, blank=True,
                                                    default=None)
    # 附件2 一(四): employment in the graduation year.
    employer = models.CharField(_("就业单位"), max_length=100, blank=True)
    #: The school's record of the employer's kind (附件2 一(四): 在省内企业就业); "" = not recorded.
    employer_kind = models.CharField(_("单位性质"), max_length=12, blank=True, default="", choices=[
        ("enterprise", _("企业")), ("government", _("机关")), ("public", _("事业单位")), ("other", _("其他"))])
    employed_in_anhui = models.BooleanField(_("在省内企业就业"), default=False)
    tripartite_agreement = models.BooleanField(_("已签订三方就业协议"), default=False)
    on_duty = models.BooleanField(_("已到岗"), default=False)
    duty_start_date = models.DateField(_("到岗日期"), null=True, blank=True)

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="graduate_record", verbose_name=_("学生账号"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("毕业生记录")
        verbose_name_plural = _("毕业生记录")
        ordering = ["institution_id", "-graduation_year", "student_number"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "student_number"], name="graduate_student_number_unique",
                                    violation_error_message=_("本校已有该学号的毕业生记录。")),
            models.CheckConstraint(condition=Q(graduation_year__gte=MIN_YEAR, graduation_year__lte=MAX_YEAR),
                                   name="graduate_year_range"),
            models.CheckConstraint(condition=Q(practice_months__gte=0, practice_months__lte=MAX_PRACTICE_MONTHS),
                                   name="graduate_practice_months_range"),
            models.CheckConstraint(condition=Q(major_rank_percent__isnull=True)
                                   | Q(major_rank_percent__gt=0, major_rank_percent__lte=100),
                                   name="graduate_rank_percent_range"),
            models.CheckConstraint(condition=Q(ncre_level__lte=4), name="graduate_ncre_level_range"),
            models.CheckConstraint(condition=Q(gender__in=Gender.values), name="graduate_gender_valid"),
            models.CheckConstraint(condition=Q(degree_level__in=DegreeLevel.values), name="graduate_degree_valid"),
            models.CheckConstraint(condition=Q(design_grade__in=[*DesignGrade.values, ""]),
                                   name="graduate_design_grade_valid"),
            models.CheckConstraint(condition=Q(assessment__in=[*Assessment.values, ""]),
                                   name="graduate_assessment_valid"),
            models.CheckConstraint(condition=~Q(degree_level="junior_college") | Q(has_degree=False),
                                   name="graduate_junior_college_no_degree",
                                   violation_error_message=_("专科不授予学位。")),
        ]
        indexes = [
            models.Index(fields=["institution", "graduation_year", "major"], name="graduate_cohort_idx"),
            # The graduate list's order (selectors.graduates_managed_by), so that a page is an index range read
            # and not a sort of every record: one school's, and the province's (all schools).
            models.Index(fields=["institution", "-graduation_year", "student_number"], name="graduate_list_school_idx"),
            models.Index(fields=["-graduation_year", "institution", "student_number"], name="graduate_list_all_idx"),
            # The majors of all schools (selectors.majors_of): a walk from one (year, major) to the next.
            models.Index(fields=["graduation_year", "major"], name="graduate_year_major_idx"),
        ]

    def __str__(self):
        return f"{self.student_number} {identifiers.mask_name(self.name)}"

    @property
    def masked_id_number(self):
        return identifiers.mask_ric(self.id_number)

    @property
    def masked_name(self):
        return identifiers.mask_name(self.name)

    @property
    def employed(self):
        """Whether any employment fact is recorded (the contract's "employment" object is present)."""
        return bool(self.employer or self.employed_in_anhui or self.tripartite_agreement or self.on_duty)


class Achievement(models.Model):
    """One competition award, patent, skill certificate, innovation project or paper, with its evidence."""

    class Kind(models.TextChoices):
        COMPETITION = "competition", _("学科竞赛奖项")
        PATENT = "patent", _("专利/软件著作权")
        SKILL = "skill", _("职业技能等级证书")
        PROJECT = "project", _("大学生创新创业训练计划项目")
        PAPER = "paper", _("学术论文")

    class Level(models.TextChoices):
        INTERNATIONAL = "international", _("国际级")
        NATIONAL = "national", _("国家级")
        PROVINCIAL = "provincial", _("省级")
        MUNICIPAL = "municipal", _("市级")
        SCHOOL = "school", _("校级")

    class PatentType(models.TextChoices):
        INVENTION = "invention", _("发明专利")
        UTILITY_MODEL = "utility_model", _("实用新型专利")
        SOFTWARE_COPYRIGHT = "software_copyright", _("软件著作权")

    class SkillLevel(models.IntegerChoices):
        FIRST = 1, _("一级/高级技师")
        SECOND = 2, _("二级/技师")
        THIRD = 3, _("三级/高级工")
        FOURTH = 4, _("四级/中级工")
        FIFTH = 5, _("五级/初级工")

    class Role(models.TextChoices):
        LEADER = "leader", _("负责人")
        MEMBER = "member", _("成员")

    graduate = models.ForeignKey(Graduate, on_delete=models.CASCADE, related_name="achievements",
                                 verbose_name=_("毕业生"))
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices, blank=True,
                             help_text=_("学科竞赛、大创项目的级别。"))
    rank = models.PositiveSmallIntegerField(_("排名"), null=True, blank=True,
                                            help_text=_("本人在获奖名单或发明人中的位次；1 表示第1名。"))
    patent_type = models.CharField(_("专利类型"), max_length=20, choices=PatentType.choices, blank=True)
    skill_level = models.PositiveSmallIntegerField(_("职业技能等级"), choices=SkillLevel.choices, null=True,
                                                   blank=True)
    occupation_code = models.CharField(_("职业编码"), max_length=11, blank=True,
                                       validators=[identifiers.validate_occupation_code])
    one_plus_x = models.BooleanField(_("1+X证书"), default=False)
    role = models.CharField(_("角色"), max_length=8, choices=Role.choices, blank=True)
    concluded = models.BooleanField(_("已结题"), default=False)
    first_author = models.BooleanField(_("第一作者"), default=False)
    in_field = models.BooleanField(_("属相关专业领域"), default=True)
    obtained_on = models.DateField(_("取得日期"), null=True, blank=True)
    evidence = models.FileField(_("证明材料"), upload_to="evidence/%Y/%m/", blank=True, storage=private_storage,
                                validators=[UploadValidator(max_mb=10)])
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("成果")
        verbose_name_plural = _("成果")
        ordering = ["graduate_id", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["competition", "patent", "skill", "project", "paper"]),
                                   name="achievement_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind="competition") | (~Q(level="") & Q(rank__isnull=False, rank__gte=1)),
                name="achievement_competition_complete",
                violation_error_message=_("学科竞赛奖项须填写级别和排名。")),
            models.CheckConstraint(
                condition=~Q(kind="patent") | (~Q(patent_type="") & Q(rank__isnull=False, rank__gte=1)),
                name="achievement_patent_complete",
                violation_error_message=_("专利须填写类型和排名。")),
            models.CheckConstraint(
                condition=~Q(kind="skill") | Q(skill_level__isnull=False, skill_level__gte=1, skill_level__lte=5),
                name="achievement_skill_complete",
                violation_error_message=_("职业技能等级证书须填写等级（一级至五级）。")),
            models.CheckConstraint(
                condition=~Q(kind="project") | (Q(level__in=["national", "provincial", "school"]) & ~Q(role="")),
                name="achievement_project_complete",
                violation_error_message=_("大创项目须填写级别（国家级、省级或校级）和角色。")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"

    def describe(self):
        """A short Chinese description of what counts (level, rank, type)."""
        parts = [self.title]
        if self.kind == self.Kind.COMPETITION:
            parts.append(f"{self.get_level_display()} 第{self.rank}名")
        elif self.kind == self.Kind.PATENT:
            parts.append(f"{self.get_patent_type_display()} 排名第{self.rank}")
        elif self.kind == self.Kind.SKILL:
            parts.append(str(self.get_skill_level_display()) + ("（1+X）" if self.one_plus_x else ""))
        elif self.kind == self.Kind.PROJECT:
            parts.append(f"{self.get_level_display()} {self.get_role_display()}"
                         + ("，已结题" if self.concluded else "，未结题"))
        elif self.kind == self.Kind.PAPER:
            parts.append("第一作者" if self.first_author else "非第一作者")
        return " · ".join(str(p) for p in parts if p)


class ActivationCode(models.Model):
    """A one-time code a student uses, with student number and ID number, to activate their account.

    Only a keyed hash is stored (``salted_hmac`` with the site's secret key): the code itself is
    shown once — printed or exported — when it is created, and never again.
    """

    graduate = models.OneToOneField(Graduate, on_delete=models.CASCADE, related_name="activation",
                                    verbose_name=_("毕业生"))
    code_hash = models.CharField(_("激活码摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("生成人"))
    expires_at = models.DateTimeField(_("有效期至"))
    used_at = models.DateTimeField(_("激活时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("激活码")
        verbose_name_plural = _("激活码")

    def __str__(self):
        return f"{self.graduate}（{'已使用' if self.used_at else '未使用'}）"
