from django.core.management.base import BaseCommand, CommandError

from evaluation.rounds.diagram import OUTPUT, generate


class Command(BaseCommand):
    help = "Writes docs/rounds_workflow.md (Mermaid) from the evaluation round's state machines; --check compares."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail if the committed diagram is out of date")

    def handle(self, *args, check=False, **options):
        text = generate()
        if check:
            if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text:
                raise CommandError(f"{OUTPUT} is out of date: run manage.py rounds_diagram")
            self.stdout.write("up to date")
            return
        OUTPUT.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {OUTPUT}")
