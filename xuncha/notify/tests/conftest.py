import pytest

from xuncha.accounts.models import User
from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.notify.tests.servers import Endpoint, SMTPSink


@pytest.fixture
def endpoint():
    server = Endpoint().start()
    yield server
    server.stop()


@pytest.fixture
def endpoint2():
    server = Endpoint().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_sink():
    sink = SMTPSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def people(world):
    """The office head of county A (manages webhooks there), office staff, a unit liaison of A's
    town with an e-mail address, and the office head of county B (outside)."""
    a, b = world.a, world.b
    liaison = make_user(a["town"], Role.UNIT_LIAISON, scope=a["town"])
    User.objects.filter(pk=liaison.pk).update(email="liaison@a.example.gov.cn")
    liaison.refresh_from_db()
    return {
        "head": make_user(a["dept"], Role.OFFICE_HEAD, scope=a["county"]),
        "staff": make_user(a["dept"], Role.OFFICE_STAFF, scope=a["county"]),
        "liaison": liaison,
        "head_b": make_user(b["dept"], Role.OFFICE_HEAD, scope=b["county"]),
    }
