from .pool import ExpertiseTag, PoolEntry, TrainingRecord
from .rounds import Round, RoundEvent, RoundMode, RoundState, RoundTarget
from .teams import Announcement, RecusalDeclaration, RecusalOverride, Team, TeamMember, TeamRole
from .terms import TermPlan, TermPlanUnit

__all__ = [
    "Announcement",
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
