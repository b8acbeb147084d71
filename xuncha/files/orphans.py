"""Bytes in storage that no ``StoredFile`` row (or other registered owner) points to.

They arise when a caller's transaction rolls back after ``file_store`` wrote the bytes (Django has
no rollback hook to react to that), or after a crash between writing and committing. Only files
older than ``min_age`` count, so an upload still in flight is never taken for an orphan.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.core.files.storage import Storage
from django.db import models, transaction
from django.utils import timezone

from xuncha.audit.services import audit_record
from xuncha.common.actors import SYSTEM
from xuncha.files.models import StoredFile
from xuncha.files.storage import evidence_storage

_BATCH = 500

# Models other than StoredFile that keep bytes in the same storage (e.g. sealed report
# attachments), registered by their apps so their files are never taken for orphans.
_OWNERS: list[tuple[type[models.Model], str]] = [(StoredFile, "storage_name")]


def register_owner(model: type[models.Model], field: str = "storage_name") -> None:
    if (model, field) not in _OWNERS:
        _OWNERS.append((model, field))


@dataclass(frozen=True)
class Orphan:
    name: str
    size: int
    modified: datetime


def _walk(storage: Storage, path: str = "") -> Iterator[str]:
    dirs, files = storage.listdir(path)
    for name in files:
        yield f"{path}/{name}" if path else name
    for name in dirs:
        yield from _walk(storage, f"{path}/{name}" if path else name)


def _known(names: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(names), _BATCH):
        batch = names[start : start + _BATCH]
        for model, field in _OWNERS:
            known.update(model._default_manager.filter(**{f"{field}__in": batch}).values_list(field, flat=True))
    return known


def orphan_list(*, min_age: timedelta = timedelta(hours=1)) -> list[Orphan]:
    storage = evidence_storage()
    if not Path(storage.location).is_dir():
        return []
    cutoff = timezone.now() - min_age
    old = {name: storage.get_modified_time(name) for name in _walk(storage)}
    old = {name: when for name, when in old.items() if when <= cutoff}
    known = _known(sorted(old))
    return [Orphan(name, storage.size(name), old[name]) for name in sorted(old) if name not in known]


def orphan_delete(*, orphans: list[Orphan]) -> int:
    """Remove the bytes of ``orphans`` (re-checked one by one), each removal audited."""
    storage, removed = evidence_storage(), 0
    for orphan in orphans:
        with transaction.atomic():
            if StoredFile.objects.filter(storage_name=orphan.name).exists():
                continue  # a row appeared since the listing
            audit_record(
                actor=SYSTEM,
                action="files.orphan_delete",
                target_type=StoredFile._meta.label_lower,
                target_id=orphan.name,
                target_repr=orphan.name,
                after={"size": orphan.size, "modified": orphan.modified},
            )
            # Inside the transaction: if the removal fails, its audit row goes too.
            storage.delete(orphan.name)
        removed += 1
    return removed
