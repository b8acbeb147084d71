"""Which template a document is rendered from: the jurisdiction's replacement, else the default.

A replacement uploaded for a jurisdiction applies to everything under it, and the nearest one
wins: a county's own template beats its city's, the city's beats an installation-wide one
(``jurisdiction`` null), and with none the default from ``templates_docx/`` is used.
"""

from __future__ import annotations

import io

from django.db.models import Q

from xuncha.accounts.models import OrgUnit
from xuncha.documents.kinds import SPECS
from xuncha.documents.models import DocumentTemplate
from xuncha.documents.rendering import TemplateSource
from xuncha.files.storage import open_stored


def _ancestor_paths(unit: OrgUnit) -> list[str]:
    step = OrgUnit.steplen
    return [unit.path[:end] for end in range(step, len(unit.path) + 1, step)]


def template_in_force(kind: str, jurisdiction: OrgUnit | None) -> DocumentTemplate | None:
    """The active replacement nearest to ``jurisdiction`` (one query), or None for the default."""
    return templates_in_force([kind], [jurisdiction] if jurisdiction is not None else [None])[(kind, _pk(jurisdiction))]


def _pk(unit: OrgUnit | None) -> int | None:
    return unit.pk if unit is not None else None


def templates_in_force(
    kinds: list[str], jurisdictions: list[OrgUnit | None]
) -> dict[tuple[str, int | None], DocumentTemplate | None]:
    """``template_in_force`` for every (kind, jurisdiction) pair, in one query: a city or province
    office lists dozens of jurisdictions, and a query per pair grew with them."""
    paths = {path for j in jurisdictions if j is not None for path in _ancestor_paths(j)}
    rows = list(
        DocumentTemplate.objects.filter(kind__in=kinds, active=True)
        .filter(Q(jurisdiction__isnull=True) | Q(jurisdiction__path__in=paths))
        .select_related("jurisdiction", "file")
    )

    def nearest(kind: str, unit: OrgUnit | None) -> DocumentTemplate | None:
        fits = [
            row
            for row in rows
            if row.kind == kind
            and (row.jurisdiction is None or (unit is not None and unit.path.startswith(row.jurisdiction.path)))
        ]
        return max(fits, key=lambda row: len(row.jurisdiction.path) if row.jurisdiction else 0, default=None)

    return {(kind, _pk(unit)): nearest(kind, unit) for kind in kinds for unit in jurisdictions}


def template_bytes(row: DocumentTemplate) -> bytes:
    with open_stored(row.file) as fh:
        return fh.read()


def template_source(kind: str, jurisdiction: OrgUnit | None) -> tuple[TemplateSource, DocumentTemplate | None]:
    """What to hand to ``render_docx``, and the replacement it came from (None: the default)."""
    row = template_in_force(kind, jurisdiction)
    if row is None:
        return str(SPECS[kind].default_path), None
    return io.BytesIO(template_bytes(row)), row
