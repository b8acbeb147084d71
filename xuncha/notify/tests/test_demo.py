import pytest

from xuncha.common.testing import load_demo
from xuncha.notify.demo import notify_seeded, seed_notify
from xuncha.notify.models import Delivery, Webhook


@pytest.mark.django_db
def test_seed_notify_on_the_demo_county():
    load_demo()
    from xuncha.accounts.demo import COUNTY_NAME
    from xuncha.accounts.models import OrgUnit

    county = OrgUnit.objects.get(name=COUNTY_NAME)
    if not notify_seeded(county):  # until the lead adds it to demo_seed's PARTS
        assert seed_notify(county) == {"webhooks": 2}
    assert notify_seeded(county)
    assert not Webhook.objects.filter(active=True).exists()  # the demo never pushes out
    assert Delivery.objects.filter(state="failed").exists()
