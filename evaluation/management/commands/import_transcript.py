"""``manage.py import_transcript FILE --institution NAME --graduation-year YEAR [--confirm]``.

The same pipeline as the registrar's page and the Django admin (``services.imports``: read → check →
write), for one institution: preview by default (every error, grouped warnings, columns used and
ignored, counts), import with ``--confirm``. A progress bar on a terminal. Exit status 0 when the file
is clean (and, with ``--confirm``, imported), 1 when any row is refused or the file cannot be read —
with the same Chinese messages as the page — and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from evaluation.importing.read import TableError
from evaluation.models import ImportBatch
from evaluation.services import imports
from portal import access
from portal.models import Institution, User


class ProgressBar:
    """``done / total`` with a bar on stderr, redrawn in place — only when stderr is a terminal."""

    def __init__(self, stream, label):
        self.stream = stream
        self.label = label
        self.active = hasattr(stream, "isatty") and stream.isatty()
        self.drawn = False

    def __call__(self, done, total):
        if not self.active:
            return
        width = 30
        filled = int(width * done / total) if total else 0
        percent = int(100 * done / total) if total else 0
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} 行 {percent}%",
                          ending="")
        self.stream.flush()
        self.drawn = True

    def end(self):
        if self.drawn:
            self.stream.write("")
            self.drawn = False


class Command(BaseCommand):
    help = "导入毕业生成绩单（与高校经办人页面同一流程）：默认只预览；--confirm 时导入。有任何被拒绝的行则退出码为1。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV、XLSX、XLS 或学信网 DBF 文件")
        parser.add_argument("--institution", required=True, help="院校全称或统一社会信用代码")
        parser.add_argument("--graduation-year", type=int, help="文件没有毕业年份（或预计毕业日期）列时各行所取的年份")
        parser.add_argument("--kind", choices=ImportBatch.Kind.values, default=ImportBatch.Kind.FULL,
                            help="full：毕业生名单；supplement：按学号或身份证号补充已导入的记录")
        parser.add_argument("--confirm", action="store_true", help="检查通过后导入（否则只预览）")
        parser.add_argument("--accept-changes", action="store_true", help="同时确认预览中列出的学号变更")
        parser.add_argument("--user", help="以哪个系统管理员账号导入（记入审计日志）；默认第一个超级用户")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        institution = Institution.objects.filter(Q(name=options["institution"]) | Q(uscc=options["institution"])).first()
        if institution is None:
            raise CommandError(f"院校“{options['institution']}”不存在（请填写院校全称或统一社会信用代码）")
        actor = self._actor(options["user"])
        scope = imports.scope_for(actor, only=institution)
        bar = ProgressBar(self.stderr, "检查")
        with path.open("rb") as handle:
            upload = File(handle, name=path.name)
            try:
                batch = imports.upload_transcript(actor=actor, upload=upload, graduation_year=options["graduation_year"],
                                                  kind=options["kind"], only=institution, background=False,
                                                  on_progress=bar)
            except TableError as exc:
                bar.end()
                raise CommandError(str(exc)) from None
        bar.end()
        self._report(batch)
        if batch.status != ImportBatch.Status.PREVIEWED:
            raise CommandError(f"文件有 {batch.error_count} 处错误，未导入任何记录。")
        if not options["confirm"]:
            imports.discard_import(batch=batch, actor=actor)
            self.stdout.write("仅预览，未导入。检查通过；加 --confirm 导入。")
            return
        bar.label = "导入"
        try:
            batch = imports.confirm_import(batch=batch, actor=actor, accept_changes=options["accept_changes"],
                                           scope=scope, on_progress=bar)
        except ValidationError as exc:
            bar.end()
            imports.discard_import(batch=batch, actor=actor)
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError("导入未执行，数据库未作任何修改。") from None
        bar.end()
        self.stdout.write(self.style.SUCCESS(
            f"导入完成：新增{batch.new}条，更新{batch.updated}条，学号变更{batch.rekeyed}条，未变化{batch.unchanged}条。"))

    def _actor(self, username):
        users = User.objects.filter(is_active=True)
        actor = users.filter(username=username).first() if username else \
            users.filter(is_superuser=True).order_by("pk").first()
        if actor is None:
            raise CommandError(f"用户“{username}”不存在或已停用" if username else "没有可用的超级用户，请用 --user 指定系统管理员账号")
        if not access.is_site_admin(actor):
            raise CommandError(f"用户“{actor.username}”不是系统管理员，不能用命令导入")
        return actor

    def _report(self, batch):
        write = self.stdout.write
        write(f"{batch.original_name}：{batch.rows} 个数据行")
        if batch.columns_used:
            write("使用的列：" + "、".join(batch.columns_used))
        if batch.columns_ignored:
            write(f"忽略了 {len(batch.columns_ignored)} 列（系统不使用，其内容不会导入）：" + "、".join(batch.columns_ignored))
        if batch.examples_skipped:
            write(f"跳过了 {batch.examples_skipped} 行模板示例（学号以“示例”开头）。")
        for row, column, message in batch.errors:
            self.stderr.write(imports.error_line(row, column, message))
        if batch.error_count > len(batch.errors):
            self.stderr.write(f"仅列出前 {len(batch.errors)} 处，共 {batch.error_count} 处错误。")
        if batch.warning_count:
            write(f"{batch.warning_count} 条提示（不影响导入，请核对）：")
            for column, message, count, _lines in batch.warnings:
                write(f"  {count} 行：{message}（{column}）")
        if batch.status == ImportBatch.Status.PREVIEWED:
            write(f"新增 {batch.new}，更新 {batch.updated}，学号变更 {batch.rekeyed}，未变化 {batch.unchanged}")
            for line, old, new, name in batch.changes:
                write(f"  学号变更：第{line}行 {name} {old} → {new}")
