"""Writes for the accounts app. Every function is keyword-only, atomic and audited."""

from .org import unit_create, unit_move, unit_set_active, unit_update
from .people import (
    person_create,
    person_update,
    post_add,
    post_end,
    relationship_add,
    relationship_remove,
)
from .users import (
    role_grant,
    role_revoke,
    user_create,
    user_set_active,
    user_set_password,
    user_update,
)

__all__ = [
    "person_create",
    "person_update",
    "post_add",
    "post_end",
    "relationship_add",
    "relationship_remove",
    "role_grant",
    "role_revoke",
    "unit_create",
    "unit_move",
    "unit_set_active",
    "unit_update",
    "user_create",
    "user_set_active",
    "user_set_password",
    "user_update",
]
