"""The statistics' rollups (xuncha/analytics/rollups): bring up to date, rebuild, check.

python manage.py analytics_rollup            # count the changes audited since the last page read them
python manage.py analytics_rollup --rebuild  # recount everything (nightly: deploy/xuncha-rollup.timer)
python manage.py analytics_rollup --check    # compare with a live recount; exit status 1 on a difference

``--check`` compares the overview of every jurisdiction as its office sees it, and every round's
figures as a reader holding the statistics code over the round's jurisdiction (rounds with no such
reader are skipped and counted).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuncha.accounts.models import OrgUnit, RoleAssignment
from xuncha.accounts.models.org import JURISDICTION_TYPES, UnitType
from xuncha.accounts.permissions import ROLE_PERMS, Perm, Role
from xuncha.analytics.rollups import rebuild_rollups, rollups_current
from xuncha.analytics.rollups.verify import dashboard_differences, round_differences
from xuncha.analytics.selectors.dashboard import Filters, Scope
from xuncha.plans.models import Round


class Command(BaseCommand):
    help = "Bring the statistics' rollups up to date, rebuild them (--rebuild) or check them (--check)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="recount every round from scratch")
        parser.add_argument("--check", action="store_true", help="compare the rollups with a live recount")

    def handle(self, *args: Any, **opts: Any) -> None:
        started = time.perf_counter()
        if opts["rebuild"]:
            rows = rebuild_rollups()
            self.stdout.write(f"统计汇总已重建：{rows} 行，用时 {time.perf_counter() - started:.1f} 秒。")
        else:
            rollups_current()
            self.stdout.write(f"统计汇总已更新至最新变更，用时 {time.perf_counter() - started:.1f} 秒。")
        if opts["check"]:
            self._check()

    def _check(self) -> None:
        problems = []
        jurisdictions = OrgUnit.objects.filter(unit_type__in=JURISDICTION_TYPES, is_active=True).order_by("path")
        for j in jurisdictions:
            scope = Scope((j.path,), (j.path,), wide=j.unit_type != UnitType.COUNTY)
            problems += [f"{j.name}: {line}" for line in dashboard_differences(scope, Filters())]
        readers = _readers()
        skipped = 0
        for rnd in Round.objects.select_related("jurisdiction").order_by("pk"):
            user = next((u for path, u in readers if rnd.jurisdiction.path.startswith(path)), None)
            if user is None:
                skipped += 1
                continue
            problems += [f"{rnd.name} (#{rnd.pk}): {line}" for line in round_differences(user, rnd)]
        for line in problems:
            self.stderr.write(line)
        note = f"（{skipped} 个轮次没有可用于核对的统计查看人员，未核对）" if skipped else ""
        if problems:
            raise CommandError(f"统计汇总与实时统计不一致：{len(problems)} 处。{note}")
        self.stdout.write(f"统计汇总与实时统计一致：{jurisdictions.count()} 个行政区域，全部轮次。{note}")


def _readers() -> list[tuple[str, Any]]:
    """(scope path, user) of active assignments that carry the statistics code, widest first."""
    roles = [role.value for role in Role if Perm.STATS_VIEW in ROLE_PERMS[role]]
    grants = RoleAssignment.objects.filter(
        role__in=roles, revoked_at__isnull=True, scope__is_active=True, user__is_active=True
    ).select_related("user", "scope")
    return sorted(((g.scope.path, g.user) for g in grants), key=lambda pair: len(pair[0]))
