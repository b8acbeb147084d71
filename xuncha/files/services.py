"""Storing uploads. ``file_store``/``file_store_many`` are the only writers of ``StoredFile``.

They check no permission: they are building blocks called by the domain services (evidence,
document requests, …) that have already authorised the action and know the scope unit.

Order of work, and why:
1. Check every upload (size before anything is read, then type and name). One bad file stops the
   batch before a byte is written.
2. Write the bytes, hashing them in the same pass. This happens *before* the transaction: on
   SQLite the write lock is taken at BEGIN, and holding it while 50 MB go to disk would stall
   every other writer.
3. Create the rows and audit entries in one transaction. If that fails, the bytes are deleted.
   If a caller's outer transaction rolls back later, Django offers no hook to react, and the bytes
   stay behind without a row; ``manage.py files_orphans --delete`` removes such leftovers. The
   reverse — a row whose bytes are missing — cannot happen.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO

from django.core.files import File
from django.core.files.storage import Storage
from django.db import transaction

from xuncha.accounts.models import OrgUnit, User
from xuncha.audit.services import audit_record
from xuncha.common.actors import Actor
from xuncha.files.checks import CheckedUpload, check_uploads, empty_error, max_upload_bytes, too_large_error
from xuncha.files.hashing import Digests
from xuncha.files.metadata import read_properties
from xuncha.files.models import StoredFile
from xuncha.files.storage import evidence_storage, storage_name_for

logger = logging.getLogger(__name__)


class _HashingReader(File[bytes]):
    """Hands an upload to the storage, hashing and counting the bytes as they pass through."""

    def __init__(self, checked: CheckedUpload, limit: int) -> None:
        super().__init__(checked.upload, checked.name)
        self.digests = Digests()
        self._limit, self._display_name = limit, checked.name

    def _source(self) -> IO[bytes]:
        # File allows a missing file; this reader always wraps the upload it was given.
        if self.file is None:
            raise ValueError(f"{self._display_name}: no file to read")
        return self.file

    def read(self, size: int = -1) -> bytes:
        data = self._source().read(size)
        self.digests.update(data)
        # upload.size was checked already; this guards sources whose size was unknown or wrong.
        if self.digests.size > self._limit:
            raise too_large_error(self._display_name)
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        if (offset, whence) == (0, 0):  # a storage that rewinds starts over, and so does the hash
            self.digests = Digests()
        return self._source().seek(offset, whence)


@dataclass(frozen=True)
class _Written:
    checked: CheckedUpload
    file_id: uuid.UUID
    storage_name: str
    digests: Digests
    properties: list[list[str]] | None


def _remove(storage: Storage, names: Sequence[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            # Left for files_orphans; the original error matters more than this one.
            logger.exception("Could not remove %s after a failed upload", name)


def _write(checked: CheckedUpload, storage: Storage) -> _Written:
    file_id = uuid.uuid4()
    name = storage_name_for(file_id)
    reader = _HashingReader(checked, max_upload_bytes())
    try:
        saved = storage.save(name, reader)
        if reader.digests.size == 0:
            raise empty_error(checked.name)
    except BaseException:
        _remove(storage, [name])
        raise
    return _Written(checked, file_id, saved, reader.digests, _properties(storage, saved, checked.kind))


def _properties(storage: Storage, name: str, kind: str) -> list[list[str]] | None:
    """Camera, position, author… as the stored bytes say; read now so no page has to open the file."""
    try:
        with storage.open(name, "rb") as fh:
            return [[key, value] for key, value in read_properties(fh, kind)]
    except OSError:
        # The bytes were just written; the upload must not fail over what is only shown.
        logger.exception("Could not read the properties of %s", name)
        return None


def _actor_user(actor: Actor) -> User | None:
    return actor if actor.is_authenticated else None


def _create_row(
    *, actor: Actor, written: _Written, scope_unit: OrgUnit | None, effective_date: date | None
) -> StoredFile:
    checked, digests = written.checked, written.digests
    row = StoredFile.objects.create(
        id=written.file_id,
        original_name=checked.name,
        kind=checked.kind,
        content_type=checked.sniffed.content_type,
        size=digests.size,
        sha256=digests.sha256,
        sm3=digests.sm3,
        storage_name=written.storage_name,
        uploaded_by=_actor_user(actor),
        effective_date=effective_date,
        scope_unit=scope_unit,
        properties=written.properties,
    )
    after = {"name": row.original_name, "kind": row.kind, "size": row.size, "sha256": row.sha256, "sm3": row.sm3}
    audit_record(actor=actor, action="files.store", target=row, after=after)
    return row


def file_store_many(
    *,
    actor: Actor,
    uploads: Sequence[File[bytes]],
    scope_unit: OrgUnit | None = None,
    effective_date: date | None = None,
) -> list[StoredFile]:
    """Store all of ``uploads`` or none of them (``ServiceError`` lists every bad file)."""
    checked = check_uploads(uploads)
    storage = evidence_storage()
    written: list[_Written] = []
    try:
        for item in checked:
            written.append(_write(item, storage))
        with transaction.atomic():
            return [
                _create_row(actor=actor, written=w, scope_unit=scope_unit, effective_date=effective_date)
                for w in written
            ]
    except BaseException:
        _remove(storage, [w.storage_name for w in written])
        raise


def file_store(
    *,
    actor: Actor,
    upload: File[bytes],
    scope_unit: OrgUnit | None = None,
    effective_date: date | None = None,
) -> StoredFile:
    """Check and store one upload; ``ServiceError`` with a message naming the file if refused."""
    return file_store_many(actor=actor, uploads=[upload], scope_unit=scope_unit, effective_date=effective_date)[0]
