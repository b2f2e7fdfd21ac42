from django.core.management.base import BaseCommand, CommandError

from applications import diagrams


class Command(BaseCommand):
    help = ("Writes every workflow diagram in docs/ (Mermaid, and Graphviz where asked) from the state machines; "
            "--check fails when one is out of date.")

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail if a committed diagram is out of date")

    def handle(self, *args, check=False, **options):
        if check:
            stale = diagrams.stale()
            if stale:
                raise CommandError("out of date: " + ", ".join(str(p) for p in stale)
                                   + " — run: python manage.py workflow_diagrams")
            self.stdout.write(f"{len(diagrams.DOCUMENTS)} workflow documents up to date")
            return
        for path in diagrams.write():
            self.stdout.write(f"wrote {path}")
