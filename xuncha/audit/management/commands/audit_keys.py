import base64
import secrets
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xuncha.audit.keys import KEY_BYTES, public_key_bytes, public_key_lines


class Command(BaseCommand):
    help = (
        "generate: print a new MAC key line and a new signing key line (for XUNCHA_AUDIT_MAC_KEY_FILE and "
        "XUNCHA_AUDIT_SIGNING_KEY_FILE, put first to rotate) and the signing key's public half; "
        "public: print the public keys of the configured signing keys, for auditors."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["generate", "public"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "public":
            for line in public_key_lines():
                self.stdout.write(line)
            return
        stamp = f"{date.today():%Y%m%d}-{secrets.token_hex(2)}"
        mac = secrets.token_bytes(KEY_BYTES)
        signing = secrets.token_bytes(KEY_BYTES)
        self.stdout.write(f"# MAC key (XUNCHA_AUDIT_MAC_KEY_FILE)\nm{stamp}:{base64.b64encode(mac).decode()}")
        self.stdout.write(
            f"# signing key (XUNCHA_AUDIT_SIGNING_KEY_FILE)\ns{stamp}:{base64.b64encode(signing).decode()}"
        )
        public = base64.b64encode(public_key_bytes(signing)).decode()
        self.stdout.write(f"# public key for auditors (audit_verify --public-key FILE)\ns{stamp}:{public}")
