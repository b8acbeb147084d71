import pytest

from xuncha.documents.tests.factories import DocumentsWorld


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Replacement templates are stored files: each test gets its own MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media" / "files"


@pytest.fixture
def docs(world) -> DocumentsWorld:
    return DocumentsWorld(world)
