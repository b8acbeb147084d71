import pytest
from django.utils import timezone

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.findings.services import feedback as feedback_services
from xuncha.findings.tests.conftest import approved  # noqa: F401  (fixture)
from xuncha.findings.tests.factories import findings_site, ready_feedback


@pytest.fixture
def site(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return findings_site(world)


@pytest.fixture
def fed_back(approved, site, world):  # noqa: F811
    """The town fed back today with two problems; its leader and liaison, and the office."""
    feedback = feedback_services.feedback_send(
        actor=site["users"]["leader"], feedback=ready_feedback(site, world), sent_on=timezone.localdate()
    )
    return {
        **site,
        "feedback": feedback,
        "unit_leader": make_user(world.a["town"], Role.UNIT_LEADER, scope=world.a["town"]),
        "liaison": make_user(world.a["town"], Role.UNIT_LIAISON, scope=world.a["town"]),
        "office": make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"]),
        "office2": make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"]),
    }
