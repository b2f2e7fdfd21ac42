"""Builds the GB2312 subsets of Noto Sans CJK SC used by certificate PDFs (otherwise built on first use)."""

from django.core.management.base import BaseCommand

from certificates import fonts


class Command(BaseCommand):
    help = "Builds the certificate fonts (GB2312 subset of Noto Sans CJK SC, regular and bold)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, force=False, **options):
        for weight in fonts.SOURCES:
            path = fonts.font_path(weight)
            if force or not path.exists():
                fonts.build_subset(weight, path)
            self.stdout.write(f"{weight}: {path} ({path.stat().st_size // 1024} KB)")
