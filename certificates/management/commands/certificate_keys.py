"""Manage the certificate signing keys (the key ring file; see certificates/keys.py).

    manage.py certificate_keys list
    manage.py certificate_keys generate --nbf 2026-01-01            # first key, or an extra one
    manage.py certificate_keys rotate --on 2027-01-01 [--drop-private]
        # new key valid from --on; every open key gets exp = --on (retired, still published)
    manage.py certificate_keys publish                              # prints the public key set

With CERTIFICATE_SIGNING_KEYS (inline JSON) the ring is read-only here: edit the secret where it lives.
"""

import json
import os
from dataclasses import replace
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from certificates import keys


class Command(BaseCommand):
    help = "Lists, generates, rotates and publishes the Ed25519 keys that sign certificate QR codes."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "generate", "rotate", "publish"])
        parser.add_argument("--nbf", type=date.fromisoformat, help="first issue date the new key signs")
        parser.add_argument("--on", type=date.fromisoformat, help="rotation date: new key's nbf, old keys' exp")
        parser.add_argument("--kid", help="id of the new key (default: derived from its nbf)")
        parser.add_argument("--drop-private", action="store_true", help="forget retired keys' private parts")

    def handle(self, *args, action, nbf=None, on=None, kid=None, drop_private=False, **options):
        if action == "publish":
            self.stdout.write(json.dumps(keys.public_key_set(), indent=2))
            return
        if action == "list":
            for key in keys.ring():
                self.stdout.write(f"{key.kid}\tnbf={key.nbf}\texp={key.exp or '-'}\t"
                                  f"{'private' if key.d else 'public only'}")
            return
        if os.environ.get("CERTIFICATE_SIGNING_KEYS"):
            raise CommandError("keys come from CERTIFICATE_SIGNING_KEYS: change them there")
        path = keys.keys_file()
        ring = keys.ring()  # outside production a first key is generated when there is none
        if action == "generate":
            new = keys.new_key(nbf=nbf or date.today(), kid=kid)
            keys.save_ring([*ring, new], path)
            self.stdout.write(f"generated {new.kid} (nbf {new.nbf}) in {path}")
            return
        if on is None:
            raise CommandError("rotate needs --on YYYY-MM-DD")
        retired = []
        for key in ring:
            if key.exp is None or key.exp > on:
                key = replace(key, exp=on)
            if drop_private and key.exp is not None and key.exp <= on:
                key = replace(key, d=None)
            retired.append(key)
        new = keys.new_key(nbf=on, kid=kid)
        keys.save_ring([*retired, new], path)
        self.stdout.write(f"rotated: {new.kid} signs from {on}; earlier keys retired on {on} (still published)")
