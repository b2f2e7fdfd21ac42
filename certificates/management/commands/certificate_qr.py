"""``manage.py certificate_qr NUMBER`` prints the QR text of an issued certificate; ``--all`` prints
``number<TAB>QR text`` for every issued certificate (contract: certificate-qr.md)."""

from django.core.management.base import BaseCommand, CommandError

from certificates.models import Certificate
from certificates.qr import qr_text


class Command(BaseCommand):
    help = "Prints the signed QR text of an issued certificate (or of all with --all)."

    def add_arguments(self, parser):
        parser.add_argument("number", nargs="?", help="certificate number as printed")
        parser.add_argument("--all", action="store_true", help="one line per issued certificate: number, tab, QR text")

    def handle(self, *args, number=None, all=False, **options):
        if all:
            for certificate in Certificate.objects.order_by("id").iterator():
                self.stdout.write(f"{certificate.number}\t{qr_text(certificate)}")
            return
        if not number:
            raise CommandError("give a certificate NUMBER or --all")
        certificate = Certificate.objects.filter(number=number.strip().upper()).first()
        if certificate is None:
            raise CommandError(f"no certificate numbered {number}")
        self.stdout.write(qr_text(certificate))
