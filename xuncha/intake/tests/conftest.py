import pytest
from django.utils import timezone

from xuncha.common.actors import SYSTEM
from xuncha.fieldwork.tests.factories import on_site
from xuncha.plans import services as plans


@pytest.fixture
def window(world, settings, tmp_path):
    """A round on site in county A with its announcement published and open today."""
    settings.MEDIA_ROOT = tmp_path
    site = on_site(world)
    today = timezone.localdate()
    ann = plans.announcement_save(
        actor=SYSTEM, target=site["target"], phone="0000-1234567", opens_on=today, closes_on=today, published_on=today
    )
    return {**site, "announcement": ann, "world": world, "media": tmp_path}
