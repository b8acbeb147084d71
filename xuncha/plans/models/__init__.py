from .pool import ExpertiseTag, PoolEntry, TrainingRecord
from .rounds import Briefing, BriefingSource, Round, RoundEvent, RoundMode, RoundState, RoundTarget
from .teams import Announcement, RecusalDeclaration, RecusalOverride, Team, TeamMember, TeamRole
from .terms import TermPlan, TermPlanUnit

__all__ = [
    "Announcement",
    "Briefing",
    "BriefingSource",
    "ExpertiseTag",
    "PoolEntry",
    "RecusalDeclaration",
    "RecusalOverride",
    "Round",
    "RoundEvent",
    "RoundMode",
    "RoundState",
    "RoundTarget",
    "Team",
    "TeamMember",
    "TeamRole",
    "TermPlan",
    "TermPlanUnit",
    "TrainingRecord",
]
