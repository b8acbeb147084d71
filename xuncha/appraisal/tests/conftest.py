import pytest

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.appraisal import services
from xuncha.appraisal.models import Item
from xuncha.findings.tests.conftest import approved  # noqa: F401  (fixture)
from xuncha.rectification.tests.conftest import fed_back, site  # noqa: F401  (fixtures)


@pytest.fixture
def ev(fed_back, world):  # noqa: F811
    """The town fed back (two problems); the office head, an office outside the county."""
    return {
        **fed_back,
        "head": fed_back["office2"],
        "outsider": make_user(world.b["dept"], Role.OFFICE_HEAD, scope=world.b["county"]),
    }


@pytest.fixture
def survey(ev):
    return services.survey_open(actor=ev["office"], target=ev["target"], count=3)


def token_of(survey, serial=1) -> str:
    return survey.tokens.get(serial=serial).token


def all_items(survey) -> list[Item]:
    return list(Item.objects.filter(aspect__questionnaire=survey.questionnaire).order_by("aspect__order", "order"))


def rate_all(survey, value) -> dict[int, int]:
    return {item.pk: value for item in all_items(survey)}
