"""Reads for plans. Each takes the acting user and returns only what they may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from xuncha.accounts.models import Post
from xuncha.accounts.permissions import Perm, has_perm, scope_queryset
from xuncha.common.deadlines import deadline_from, deadline_rule
from xuncha.common.models import DeadlineKey
from xuncha.common.queries import count_of
from xuncha.plans.models import (
    PoolEntry,
    RecusalOverride,
    Round,
    RoundState,
    RoundTarget,
    Team,
    TeamMember,
    TeamRole,
    TermPlan,
    TermPlanUnit,
)
from xuncha.plans.workflow import ROUND_WORKFLOW


def round_list(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Round]:
    filters = filters or {}
    qs = scope_queryset(user, Perm.ROUND_VIEW, Round.objects.all())
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    return (
        qs.select_related("jurisdiction")
        .annotate(n_targets=count_of(RoundTarget.objects.all(), "round"), n_teams=count_of(Team.objects.all(), "round"))
        .order_by("-year", "-number")
    )


def round_targets(*, user: Any, rnd: Round) -> QuerySet[RoundTarget]:
    """The targets the user may see: all for the office, the team's own for a team member."""
    qs = scope_queryset(user, Perm.ROUND_VIEW, RoundTarget.objects.filter(round=rnd))
    return qs.select_related("round", "unit", "team", "original_round", "announcement").order_by(
        "team__number", "unit__path"
    )


def round_teams(*, user: Any, rnd: Round) -> QuerySet[Team]:
    members = TeamMember.objects.select_related("person").order_by("role", "id")
    qs = scope_queryset(user, Perm.ROUND_VIEW, Team.objects.filter(round=rnd))
    return qs.prefetch_related(Prefetch("members", queryset=members)).order_by("number")


def round_briefings(*, user: Any, rnd: Round):
    from xuncha.plans.models import Briefing

    qs = scope_queryset(user, Perm.FIELDWORK_VIEW, Briefing.objects.filter(round=rnd))
    return qs.prefetch_related("attachments").order_by("filed_on", "id")


def round_actions(*, user: Any, rnd: Round) -> list:
    return [t for t in ROUND_WORKFLOW.actions_from(rnd.state) if has_perm(user, t.perm, rnd)]


def entry_notice_due(*, rnd: Round):
    """The last day the written entry notice may reach the units (default: 10 working days before)."""
    rule = deadline_rule(DeadlineKey.ENTRY_NOTICE, rnd.jurisdiction)
    return {"date": deadline_from(DeadlineKey.ENTRY_NOTICE, rnd.entry_date, rnd.jurisdiction, -1), "rule": rule}


def team_members(*, team: Team) -> list[TeamMember]:
    current = Post.objects.filter(end_date__isnull=True).select_related("unit").order_by("-is_main_leader")
    overrides = RecusalOverride.objects.select_related("unit", "decided_by")
    return list(
        team.members.select_related("person__unit")
        .prefetch_related(Prefetch("person__posts", queryset=current, to_attr="current_posts"))
        .prefetch_related(Prefetch("recusal_overrides", queryset=overrides))
        .order_by("role", "id")
    )


def rotation_warnings(*, team: Team) -> list[str]:
    """ "三个不固定": does the leader lead the same unit or the same kind of unit as last round?"""
    from django.utils.translation import gettext as _

    leader = team.members.filter(role=TeamRole.LEADER).select_related("person").first()
    if leader is None:
        return []
    previous = (
        Round.objects.filter(jurisdiction=team.round.jurisdiction)
        .filter(Q(year__lt=team.round.year) | Q(year=team.round.year, number__lt=team.round.number))
        .order_by("-year", "-number")
        .first()
    )
    if previous is None:
        return []
    led = RoundTarget.objects.filter(
        round=previous, team__members__person=leader.person, team__members__role=TeamRole.LEADER
    ).select_related("unit")
    led_units = {t.unit_id: t.unit for t in led}
    led_types = {t.unit.unit_type for t in led}
    warnings = []
    for target in team.targets.select_related("unit"):
        if target.unit_id in led_units:
            warnings.append(
                _("%(name)s在上一轮“%(round)s”已带队巡察%(unit)s，组长不宜连续巡察同一单位。")
                % {"name": leader.person.name, "round": previous.name, "unit": target.unit.name}
            )
        elif target.unit.unit_type in led_types:
            warnings.append(
                _("%(name)s在上一轮“%(round)s”已带队巡察同类单位（%(type)s），宜轮换。")
                % {"name": leader.person.name, "round": previous.name, "type": target.unit.get_unit_type_display()}
            )
    return warnings


def term_plan_list(*, user: Any) -> QuerySet[TermPlan]:
    return (
        scope_queryset(user, Perm.ROUND_VIEW, TermPlan.objects.all())
        .select_related("jurisdiction")
        .annotate(n_units=count_of(TermPlanUnit.objects.all(), "plan"))
    )


@dataclass
class CoverageRow:
    unit: Any
    planned_year: int | None
    targets: list[RoundTarget]

    @property
    def covered(self) -> bool:
        return bool(self.targets)


def term_coverage(*, plan: TermPlan) -> list[CoverageRow]:
    """Each unit the term must cover with the rounds that inspected it; the gaps first."""
    inspected = (
        RoundTarget.objects.filter(
            round__jurisdiction=plan.jurisdiction,
            round__year__gte=plan.start_year,
            round__year__lte=plan.end_year,
        )
        .exclude(round__state__in=[RoundState.DRAFT])
        .select_related("round")
        .order_by("round__year", "round__number")
    )
    by_unit: dict[int, list[RoundTarget]] = {}
    for target in inspected:
        by_unit.setdefault(target.unit_id, []).append(target)
    rows = [
        CoverageRow(pu.unit, pu.planned_year, by_unit.get(pu.unit_id, []))
        for pu in plan.plan_units.select_related("unit").order_by("unit__path")
    ]
    return sorted(rows, key=lambda r: (r.covered, r.unit.path))


def pool_list(*, user: Any) -> QuerySet[PoolEntry]:
    """The pool entries in scope (the list page narrows it with plans.filters.PoolFilter)."""
    qs = scope_queryset(user, Perm.POOL_VIEW, PoolEntry.objects.all())
    return (
        qs.select_related("person__unit")
        .prefetch_related("expertise")
        .annotate(rounds_served=count_of(TeamMember.objects.all(), "person", outer="person"))
        .order_by("person__unit__path", "person__name")
    )


def suggest_members(*, team: Team, tags: list[Any], limit: int = 10) -> list[tuple[PoolEntry, int]]:
    """Available pool members with the needed expertise, not in another team of the round and
    with no recusal conflict with the team's units; best tag match first."""
    from xuncha.plans.recusal import find_conflicts
    from xuncha.plans.services.teams import recusal_windows, team_units

    busy = TeamMember.objects.filter(team__round=team.round).values("person_id")
    qs = (
        PoolEntry.objects.filter(jurisdiction__path__startswith=team.round.jurisdiction.path, available=True)
        .exclude(person_id__in=busy)
        .filter(person__is_active=True)
        .select_related("person__unit")
        .prefetch_related("expertise")
    )
    if tags:
        qs = qs.filter(expertise__in=tags).annotate(matches=Count("expertise", filter=Q(expertise__in=tags)))
        qs = qs.order_by("-matches", "person__name").distinct()
    else:
        qs = qs.annotate(matches=Count("expertise")).order_by("person__name")
    units, windows = team_units(team), recusal_windows(team.round.jurisdiction)
    picked = []
    for entry in qs[: limit * 3]:  # a few spare: some will have conflicts
        if not find_conflicts(entry.person, units, **windows):
            picked.append((entry, entry.matches))
        if len(picked) == limit:
            break
    return picked
