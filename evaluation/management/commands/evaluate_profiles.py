"""``manage.py evaluate_profiles FILE [--standard ID]``: the engine's command-line contract.

Reads a JSON array of profiles (``eligibility-profile.schema.json``; ``-`` = standard input) and
prints a JSON array of verdicts (``eligibility-verdict.schema.json``) in the input's order.
A profile that breaks the schema stops the command with exit code 2 and a message naming the
profile and the JSON path of the problem, on standard error.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from evaluation.models import StandardVersion
from evaluation.rules import DEFAULT_STANDARD, StandardError
from evaluation.rules.contract import evaluate_profiles, validate_profiles

SCHEMA_EXIT = 2


class Command(BaseCommand):
    help = ("Evaluates graduate profiles (JSON array, eligibility-profile.schema.json) and prints their verdicts "
            "(eligibility-verdict.schema.json). FILE '-' reads standard input. Exit code 2: the input breaks the schema.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON file of profiles, or - for standard input")
        parser.add_argument("--standard", type=int, default=None, metavar="ID",
                            help="id of a stored school standard version (default: the baseline of 附件2, DOMAIN §3.6)")
        parser.add_argument("--indent", type=int, default=None, help="pretty-print the output")

    def handle(self, *args, **options):
        standard = DEFAULT_STANDARD
        if options["standard"] is not None:
            version = StandardVersion.objects.filter(pk=options["standard"]).first()
            if version is None:
                raise CommandError(f"标准版本 {options['standard']} 不存在")
            try:
                standard = version.rules()
            except ValueError as exc:
                raise CommandError(f"标准版本 {version.pk} 无法读取：{exc}") from exc
        try:
            if options["file"] == "-":
                text = sys.stdin.read()
            else:
                with open(options["file"], encoding="utf-8-sig") as handle:
                    text = handle.read()
        except OSError as exc:
            raise CommandError(f"无法读取 {options['file']}：{exc.strerror}") from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            self._fail([f"$：输入不是有效的 JSON（第{exc.lineno}行第{exc.colno}列）：{exc.msg}"])
        errors = validate_profiles(data)
        if errors:
            self._fail([str(e) for e in errors])
        try:
            verdicts = evaluate_profiles(data, standard)
        except StandardError as exc:
            raise CommandError(f"标准比基本条件宽松，拒绝使用：{exc}") from exc
        self.stdout.write(json.dumps(verdicts, ensure_ascii=False, indent=options["indent"]))

    def _fail(self, messages):
        raise CommandError("输入不符合 eligibility-profile.schema.json：\n" + "\n".join(messages),
                           returncode=SCHEMA_EXIT)
