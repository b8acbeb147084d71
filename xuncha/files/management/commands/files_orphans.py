from datetime import timedelta

from django.core.management.base import BaseCommand

from xuncha.files.orphans import orphan_delete, orphan_list


class Command(BaseCommand):
    help = (
        "List stored file bytes that no StoredFile row points to (left by rolled-back transactions); "
        "--delete removes them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="remove the orphaned bytes (each removal audited)")
        parser.add_argument(
            "--min-age-minutes",
            type=int,
            default=60,
            help="only files older than this count, so uploads in progress are left alone (default 60)",
        )

    def handle(self, *args, delete: bool, min_age_minutes: int, **options):
        orphans = orphan_list(min_age=timedelta(minutes=min_age_minutes))
        for orphan in orphans:
            self.stdout.write(f"{orphan.name}\t{orphan.size}\t{orphan.modified.isoformat(timespec='seconds')}")
        if not orphans:
            self.stdout.write(self.style.SUCCESS("没有无记录的存储文件。"))
        elif delete:
            removed = orphan_delete(orphans=orphans)
            self.stdout.write(self.style.SUCCESS(f"已删除 {removed} 个无记录的存储文件。"))
        else:
            self.stdout.write(self.style.WARNING(f"发现 {len(orphans)} 个无记录的存储文件；加 --delete 删除。"))
