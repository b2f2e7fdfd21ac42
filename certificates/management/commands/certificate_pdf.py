"""``manage.py certificate_pdf NUMBER > file.pdf`` writes a certificate's stored (sealed) PDF to standard output,
rendering it first if it was never rendered. It holds the full ID number: each use is audit-logged."""

import getpass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from certificates.models import Certificate
from certificates.tasks import ensure_pdf
from portal import audit
from portal.signing import SigningUnavailable


class Command(BaseCommand):
    help = "Writes an issued certificate's stored PDF to standard output (redirect it to a file); the use is logged."

    def add_arguments(self, parser):
        parser.add_argument("number", help="certificate number as printed")

    def handle(self, *args, number, **options):
        certificate = Certificate.objects.select_related("issuer").filter(number=number.strip().upper()).first()
        if certificate is None:
            raise CommandError(f"no certificate numbered {number}")
        if self.stdout.isatty():
            raise CommandError("standard output is a terminal: redirect it, e.g. > certificate.pdf")
        try:
            ensure_pdf(certificate)
        except SigningUnavailable as exc:
            raise CommandError(f"电子签章服务未配置，暂不能生成证书 PDF：{exc}") from exc
        with certificate.pdf.open("rb") as handle:
            data = handle.read()
        try:
            operator = getpass.getuser()
        except (KeyError, OSError):
            operator = "unknown"
        with transaction.atomic():
            audit.record(actor=None, actor_name=f"manage.py ({operator})"[:150], action="certificates.print_pdf",
                         obj=certificate, outcome="ok")
        out = self.stdout._out
        getattr(out, "buffer", out).write(data)
        out.flush()
