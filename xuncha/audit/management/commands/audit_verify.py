from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuncha.audit.keys import read_public_keys
from xuncha.audit.verify import audit_verify_full


class Command(BaseCommand):
    help = (
        "Verify the audit log: the SM3 chain, every entry's HMAC-SM3, and every signed checkpoint "
        "(database, XUNCHA_AUDIT_ANCHOR_FILE, and --anchor files). Exit non-zero naming what is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor", action="append", default=[], metavar="FILE", help="an exported list of signed checkpoints"
        )
        parser.add_argument(
            "--public-key",
            metavar="FILE",
            help="check signatures with these public keys only (an auditor without the MAC key: MACs are skipped)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        public_keys = read_public_keys(Path(options["public_key"])) if options["public_key"] else None
        report = audit_verify_full(
            anchors=[Path(p) for p in options["anchor"]], public_keys=public_keys, check_macs=public_keys is None
        )
        if not report.ok:
            lines = []
            if not report.chain.ok:
                lines.append(f"第 {report.broken_seq} 条记录（seq={report.broken_seq}）{report.chain.reason}")
            lines += report.problems
            raise CommandError(
                "审计记录校验失败：\n  - " + "\n  - ".join(lines) + f"\n已校验完好的记录 {report.checked} 条。"
            )
        macs = "每条记录的校验码（HMAC-SM3）有效" if report.macs_checked else "未校验 MAC（只持有公钥）"
        latest = (
            f"最新检查点第 {report.latest.seq} 条，签名于 {report.latest.signed_at}" if report.latest else "尚无检查点"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"审计链完好：共 {report.checked} 条记录，{macs}；签名检查点 {report.checkpoints} 个有效，"
                f"{latest}；链尾哈希 {report.chain.head_hash}"
            )
        )
