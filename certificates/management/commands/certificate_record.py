"""``manage.py certificate_record NUMBER`` prints a certificate's frozen data record, ``salt`` included, in the
serialisation ``h`` is computed over (contract certificate-qr.md). Personal data: each use is audit-logged."""

import getpass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from certificates.models import Certificate
from certificates.salting import record_text
from portal import audit


class Command(BaseCommand):
    help = "Prints the frozen data record of an issued certificate (salt included); the use is logged."

    def add_arguments(self, parser):
        parser.add_argument("number", help="certificate number as printed")

    def handle(self, *args, number, **options):
        certificate = Certificate.objects.filter(number=number.strip().upper()).first()
        if certificate is None:
            raise CommandError(f"no certificate numbered {number}")
        try:
            operator = getpass.getuser()
        except (KeyError, OSError):
            operator = "unknown"
        with transaction.atomic():
            audit.record(actor=None, actor_name=f"manage.py ({operator})"[:150], action="certificates.print_record",
                         obj=certificate, outcome="ok")
        self.stdout.write(record_text(certificate.data))
