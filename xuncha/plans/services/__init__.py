"""Writes for plans: terms, rounds and their targets, teams and members, the talent pool."""

from .briefings import briefing_add, declaration_add, declaration_withdraw
from .pool import member_appraise, pool_entry_save, training_add
from .rounds import (
    round_create,
    round_target_add,
    round_target_remove,
    round_target_update,
    round_transition,
    round_update,
)
from .teams import (
    announcement_save,
    team_access_grant,
    team_create,
    team_member_add,
    team_member_remove,
    team_update,
)
from .terms import term_plan_approve, term_plan_create

__all__ = [
    "announcement_save",
    "briefing_add",
    "declaration_add",
    "declaration_withdraw",
    "member_appraise",
    "pool_entry_save",
    "round_create",
    "round_target_add",
    "round_target_remove",
    "round_target_update",
    "round_transition",
    "round_update",
    "team_create",
    "team_member_add",
    "team_member_remove",
    "team_update",
    "team_access_grant",
    "term_plan_approve",
    "term_plan_create",
    "training_add",
]
