from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xuncha.audit.checkpoints import checkpoint_now, database_checkpoints


class Command(BaseCommand):
    help = (
        "Sign the audit chain's head now (the hourly timer), or --export the signed list of checkpoints "
        "(JSON lines) for safekeeping off the server; `audit_verify --anchor FILE` checks against it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--export", action="store_true", help="print every stored checkpoint as JSON lines")
        parser.add_argument("--force", action="store_true", help="sign even if the head has not moved")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["export"]:
            for checkpoint in database_checkpoints():
                self.stdout.write(checkpoint.to_json())
            return
        signed = checkpoint_now(force=options["force"])
        if signed is None:
            self.stdout.write("链尾自上一检查点以来没有变化，无需签名。")
        else:
            self.stdout.write(f"已签名检查点：第 {signed.seq} 条，{signed.hash}（{signed.signed_at}）")
