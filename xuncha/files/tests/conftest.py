from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """A MEDIA_ROOT of its own for every test; returns where stored files land."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media" / "files"


def files_on_disk(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
