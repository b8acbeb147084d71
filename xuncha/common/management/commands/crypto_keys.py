"""Master keys for encryption at rest.

    manage.py crypto_keys generate [--id ID]   print a new key line (the only thing on stdout)
    manage.py crypto_keys check                the configured keys load, wrap, unwrap and seal

Neither command ever prints a configured key. See docs/deploy.md, "Encryption keys".
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuncha.common.crypto import (
    DecryptionError,
    generate_key_line,
    new_data_key,
    open_stream,
    open_text,
    seal_stream,
    seal_text,
    unwrap,
)
from xuncha.common.crypto.envelope import unwrap_with, wrap_with
from xuncha.common.crypto.keys import keyring
from xuncha.common.crypto.primitives import KEY_SIZE, random_bytes

_PROBE = "巡察 crypto_keys check"


class Command(BaseCommand):
    help = "Generate a master key line, or check that the configured master keys work."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        generate = actions.add_parser("generate", help="print a new 'id:base64key' line")
        generate.add_argument("--id", dest="key_id", help="key id (default: k<date>-<4 hex>)")
        actions.add_parser("check", help="load the configured keys and round-trip data through each")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "generate":
            self._generate(options.get("key_id"))
        else:
            self._check()

    def _generate(self, key_id: str | None) -> None:
        try:
            line = generate_key_line(key_id)
        except ValueError as exc:
            raise CommandError(str(exc))
        self.stdout.write(line)
        # Guidance on stderr, so `crypto_keys generate > file` captures the key line alone.
        self.stderr.write("Put this line FIRST in the key file (it becomes the active key); keep the older lines.")

    def _check(self) -> None:
        try:
            ring = keyring()
            for key_id in ring.keys:  # every key, not only the active one: old data depends on them
                dek = random_bytes(KEY_SIZE)
                if unwrap_with(ring, wrap_with(ring, key_id, dek)) != dek:
                    raise DecryptionError(f"Master key {key_id!r} does not round-trip.")
            self._round_trip()
        except (ImproperlyConfigured, DecryptionError) as exc:
            raise CommandError(f"Master keys not usable: {exc}")
        if ring.development:
            self.stderr.write(self.style.WARNING("Development key in use — never in production."))
        ids = ", ".join(ring.keys)
        self.stdout.write(f"Master keys OK ({ring.source}): active {ring.active_id!r}; all: {ids}.")

    def _round_trip(self) -> None:
        # Through the public API, exactly as the services will use it.
        data_key = new_data_key()
        dek = unwrap(data_key.wrapped)
        if open_text(dek, seal_text(dek, _PROBE, context="check"), context="check") != _PROBE:
            raise DecryptionError("Field sealing does not round-trip.")
        data = random_bytes(100_000)
        opened = b"".join(open_stream(dek, seal_stream(dek, [data], context="check"), context="check"))
        if opened != data:
            raise DecryptionError("Stream sealing does not round-trip.")
