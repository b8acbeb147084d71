"""Where a scoped object sits in the org tree: its model names the lookup to the org path in
``SCOPE_PATH_FIELD`` (e.g. ``target__unit__path``). Pure attribute reads, no query of their own, so
the audit log (below the access module) can file each entry under the unit it concerns."""

from __future__ import annotations

from typing import Any

from django.db import models


def scope_path_of(obj: models.Model) -> str:
    """Follow the model's SCOPE_PATH_FIELD (e.g. ``unit__path``) to the org path."""
    value: Any = obj
    # Read through the instance: request.user is a lazy proxy whose type() is not the model.
    for part in obj.SCOPE_PATH_FIELD.split("__"):  # type: ignore[attr-defined]
        value = getattr(value, part, None)
        if value is None:
            return ""
    return str(value)


def scope_unit_of(obj: models.Model) -> Any:
    """The org unit an object belongs to (the unit itself for a unit), or None."""
    field = obj.SCOPE_PATH_FIELD  # type: ignore[attr-defined]
    if "__" not in field:
        return obj
    value: Any = obj
    for part in field.split("__")[:-1]:
        value = getattr(value, part, None)
        if value is None:
            return None
    return value
