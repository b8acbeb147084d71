"""A fingerprint of a generated data set: rows per table, and one SHA-256 over every column of every
row in id order. Two runs with the same seed, sizes and ``as_of`` on the same kind of database give
the same fingerprint, whatever the number of worker processes (``synth --digest`` prints it).
Sealed report content is left out: sealing draws a fresh random nonce (and wraps the data key
anew) every time, as the filing service does. It reads every row: meant for small data sets
(tests, a quick check), not for scale 100."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db import models

from xuncha.audit.models import AuditCheckpoint, AuditHead

SEALED = {"intake.Report": {"wrapped_key", "content", "contact"}, "intake.ReportMessage": {"body"}}


def tables(model_list: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    out: list[type[models.Model]] = []
    for model in [*model_list, AuditHead, AuditCheckpoint]:
        out.append(model)
        out.extend(f.remote_field.through for f in model._meta.local_many_to_many)
    return out


def dataset_digest(alias: str, model_list: Iterable[type[models.Model]]) -> tuple[dict[str, int], str]:
    counts: dict[str, int] = {}
    digest = hashlib.sha256()
    for model in tables(model_list):
        sealed = SEALED.get(model._meta.label, set())
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in sealed]
        rows = model._default_manager.using(alias).order_by("pk").values_list(*names)
        count = 0
        for row in rows.iterator(chunk_size=5000):
            digest.update(repr(row).encode())
            count += 1
        counts[model._meta.label] = count
        digest.update(f"{model._meta.label}:{count}".encode())
    return counts, digest.hexdigest()
