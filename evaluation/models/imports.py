"""A transcript upload between its preview and its confirmation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Institution

from ..storage import private_storage


class ImportBatch(models.Model):
    """An uploaded transcript file: previewed (dry run), then imported all or nothing.

    The file is kept, outside the public media, only until it is imported or discarded.
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("检查中")
        PREVIEWED = "previewed", _("待确认")
        IMPORTING = "importing", _("导入中")
        INVALID = "invalid", _("有错误")
        IMPORTED = "imported", _("已导入")
        DISCARDED = "discarded", _("已放弃")

    class Path(models.TextChoices):
        STANDARD = "standard", _("标准导入（旧版，已停用）")
        FAST = "fast", _("批量导入")

    class Kind(models.TextChoices):
        FULL = "full", _("毕业生名单（新增或更新）")
        SUPPLEMENT = "supplement", _("补充信息（按学号或身份证号补充已导入的记录）")

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("上传人"))
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("院校"),
                                    help_text=_("高校经办人导入时为本校；系统管理员导入时为未写院校的行所用的默认院校。"))
    file = models.FileField(_("文件"), upload_to="imports/", blank=True, storage=private_storage)
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    path = models.CharField(_("导入方式"), max_length=10, choices=Path.choices, default=Path.FAST)
    kind = models.CharField(_("文件类型"), max_length=12, choices=Kind.choices, default=Kind.FULL)
    graduation_year = models.PositiveSmallIntegerField(
        _("毕业年份"), null=True, blank=True, help_text=_("文件没有毕业年份（或预计毕业日期）列时，各行取此年份。"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    rows = models.PositiveIntegerField(_("数据行数"), default=0)
    new = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变化"), default=0)
    rekeyed = models.PositiveIntegerField(_("学号变更"), default=0)
    changes = models.JSONField(_("学号变更明细"), default=list, blank=True,
                               help_text=_("[[行, 原学号, 新学号, 姓名]]：同一人以新学号再次导入，确认后改为新学号。"))
    errors = models.JSONField(_("错误"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    warnings = models.JSONField(_("提示"), default=list, blank=True,
                                help_text=_("按列与内容分组：[[列, 提示, 行数, [前20行]]]"))
    warning_count = models.PositiveIntegerField(_("提示数"), default=0)
    examples_skipped = models.PositiveIntegerField(_("跳过的示例行"), default=0)
    columns_used = models.JSONField(_("使用的列"), default=list, blank=True)
    columns_ignored = models.JSONField(_("忽略的列"), default=list, blank=True)
    # The preview's checked rows, kept for the confirm (``importing.checked``): used only when the HMAC over them,
    # the file's hash and the checker's inputs still matches; otherwise the confirm reads and checks the file again.
    checked_rows = models.FileField(_("已检查的行"), upload_to="imports/", blank=True, storage=private_storage)
    checked_digest = models.CharField(_("已检查的行的校验值"), max_length=64, blank=True)
    # The confirm runs in Celery (``tasks.confirm_import``): who asked, whether 学号 changes were accepted, when,
    # and why the last attempt imported nothing (shown on the page; the database is unchanged).
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("确认人"))
    accept_changes = models.BooleanField(_("已核对学号变更"), default=False)
    confirm_requested_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirm_error = models.TextField(_("未导入的原因"), blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    imported_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("成绩单导入")
        verbose_name_plural = _("成绩单导入")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.original_name}（{self.get_status_display()}）"
