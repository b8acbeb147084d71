import pytest

from xuncha.findings.tests.factories import findings_site


@pytest.fixture
def site(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return findings_site(world)
