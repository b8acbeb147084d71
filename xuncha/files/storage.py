"""Where the bytes live: ``MEDIA_ROOT/files``, under names we generate, never served directly."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage

from xuncha.files.hashing import digests_of

if TYPE_CHECKING:
    from xuncha.files.models import StoredFile


class EvidenceStorage(FileSystemStorage):
    """A file system storage with no URL: evidence leaves only through views that check access."""

    def url(self, name: str | None) -> str:
        raise ValueError("Stored files have no public URL; serve them through a permission-checking view.")


def evidence_storage() -> EvidenceStorage:
    # Built per call from the current settings, so MEDIA_ROOT can differ per test and deployment.
    return EvidenceStorage(
        location=Path(settings.MEDIA_ROOT) / "files",
        # Evidence is confidential: not readable by other accounts on the machine.
        file_permissions_mode=0o640,
        directory_permissions_mode=0o750,
    )


def storage_name_for(file_id: uuid.UUID) -> str:
    """``ab/cd/<32 hex>``: two directory levels keep directories small; nothing from the user."""
    hex_id = file_id.hex
    return f"{hex_id[:2]}/{hex_id[2:4]}/{hex_id}"


def open_stored(stored: StoredFile) -> File:
    """The bytes of ``stored``, opened for reading. Callers must have checked access first."""
    return evidence_storage().open(stored.storage_name, "rb")


def stored_intact(stored: StoredFile) -> bool:
    """Do the bytes on disk still match the recorded size, SHA-256 and SM3?"""
    with open_stored(stored) as fh:
        digests = digests_of(fh.chunks())
    return (digests.size, digests.sha256, digests.sm3) == (stored.size, stored.sha256, stored.sm3)
