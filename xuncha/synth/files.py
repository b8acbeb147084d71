"""Stored-file rows for generated documents and evidence: the row only, no bytes (pages list them;
nothing in the benchmark downloads them), and a few date helpers the later stages share."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from xuncha.files.models import Kind, StoredFile
from xuncha.synth.bulk import at, new
from xuncha.synth.context import County, Run

CONTENT_TYPES = {
    Kind.PDF: "application/pdf",
    Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def stored_file(run: Run, c: County, name: str, kind: str, user: Any, day: date) -> StoredFile:
    rng = c.rng
    file_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    stored = new(
        StoredFile,
        id=file_id,
        original_name=name[:255],
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        size=rng.randint(20_000, 2_000_000),
        sha256=f"{rng.getrandbits(256):064x}",
        sm3=f"{rng.getrandbits(256):064x}",
        storage_name=f"synth/{file_id.hex}",
        uploaded_by=user,
        uploaded_at=at(day, 16),
        effective_date=day,
        scope_unit=c.node,
    )
    run.sink.add(stored)
    return stored


def steps(rng: Any, start: date, gaps: list[tuple[int, int]]) -> list[date]:
    """Dates one after another from ``start``, each gap drawn from its (low, high) days."""
    out, day = [], start
    for low, high in gaps:
        day = day + timedelta(days=rng.randint(low, high))
        out.append(day)
    return out
