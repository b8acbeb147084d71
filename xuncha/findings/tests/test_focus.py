"""Focus lists as data: an office writes a new version; old rounds keep theirs; a round uses one."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.audit.models import AuditEntry
from xuncha.common.exceptions import ServiceError
from xuncha.findings.models import FocusList
from xuncha.findings.services import focus as services
from xuncha.findings.tests.factories import problem
from xuncha.plans import services as plans

ITEMS = "落实党的理论路线方针政策情况\n- 学习贯彻党的创新理论\n落实全面从严治党主体责任情况\n"


@pytest.fixture
def head(world):
    return make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"])


def test_a_new_version_is_numbered_and_parsed(world, head):
    first = services.focus_list_create(actor=head, name="四个落实", jurisdiction=world.a["county"], items_text=ITEMS)
    second = services.focus_list_create(actor=head, name="四个落实", jurisdiction=world.a["county"], items_text=ITEMS)
    assert (first.version, second.version) == (1, 2)
    tops = list(first.items.filter(parent=None).order_by("position").values_list("text", flat=True))
    assert tops == ["落实党的理论路线方针政策情况", "落实全面从严治党主体责任情况"]
    assert first.items.get(parent__isnull=False).text == "学习贯彻党的创新理论"
    assert AuditEntry.objects.filter(action="findings.focus.create").count() == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "至少填写一个条目"), ("- 子项在前\n条目", "没有所属的条目"), ("长" * 201, "过长")],
)
def test_malformed_items_are_refused(world, head, text, message):
    with pytest.raises(ServiceError, match=message):
        services.focus_list_create(actor=head, name="新清单", jurisdiction=world.a["county"], items_text=text)
    assert not FocusList.objects.filter(name="新清单").exists()


def test_only_the_office_of_the_jurisdiction(world):
    other = make_user(world.b["dept"], Role.OFFICE_HEAD, scope=world.b["county"])
    with pytest.raises(PermissionDenied):
        services.focus_list_create(actor=other, name="x", jurisdiction=world.a["county"], items_text="条目")


def test_old_rounds_keep_their_version_and_a_classified_round_cannot_switch(site, head):
    problem(site)
    newer = services.focus_list_create(
        actor=head, name="四个落实", jurisdiction=site["round"].jurisdiction, items_text=ITEMS
    )
    with pytest.raises(ServiceError, match="不能再更换"):
        plans.round_update(actor=head, rnd=site["round"], focus_list=newer)
    services.focus_list_set_active(actor=head, focus_list=newer, active=False)
    site["round"].refresh_from_db()
    assert site["round"].focus_list == site["focus"]  # untouched
    with pytest.raises(ServiceError, match="已停用"):
        plans.round_create(
            actor=head,
            jurisdiction=site["round"].jurisdiction,
            year=2027,
            number=1,
            name="新一轮",
            entry_date=site["round"].entry_date.replace(year=2027),
            exit_date=site["round"].exit_date.replace(year=2027),
            focus_list=newer,
        )


def test_pages(client, world, head):
    client.force_login(head)
    national = FocusList.objects.get(name="四个落实", version=1, jurisdiction=None)
    page = client.get(reverse("findings:focus_list_create") + f"?from={national.pk}").content.decode()
    assert "- 落实全面从严治党主体责任" in page  # prefilled from the list it follows
    response = client.post(
        reverse("findings:focus_list_create"),
        {"name": "四个落实", "jurisdiction": world.a["county"].pk, "applies_to": "unit", "items_text": ITEMS},
    )
    created = FocusList.objects.get(jurisdiction=world.a["county"])
    assert response.status_code == 302 and created.version == 1
    assert "四个落实（第1版）" in client.get(reverse("findings:focus_list_index")).content.decode()
    # the national list is the installation's: an office cannot retire it
    client.post(reverse("findings:focus_list_toggle", args=[national.pk]))
    national.refresh_from_db()
    assert national.active
