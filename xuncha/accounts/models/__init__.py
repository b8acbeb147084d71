from .org import OrgUnit, PartyOrgKind, UnitType
from .people import Gender, Person, Post, RelationKind, Relationship
from .users import RoleAssignment, TwoFactorRule, User

__all__ = [
    "Gender",
    "OrgUnit",
    "PartyOrgKind",
    "Person",
    "Post",
    "RelationKind",
    "Relationship",
    "RoleAssignment",
    "TwoFactorRule",
    "UnitType",
    "User",
]
