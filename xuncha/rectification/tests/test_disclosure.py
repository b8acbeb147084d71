"""Disclosure: the unit drafts (text required, exemptions need their note), the office approves,
returns with a reason or withdraws; the public page shows approved public texts only, never the
in-Party ones, drafts, withdrawn ones or what was held back."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from xuncha.audit.models import AuditEntry
from xuncha.common.exceptions import ServiceError
from xuncha.rectification.models import Disclosure, DisclosureState, PlanState, RectificationPlan
from xuncha.rectification.services import disclosure as services
from xuncha.rectification.tests.test_letters import ap  # noqa: F401  (fixture)

PUBLIC = {"channel": "public", "title": "青山镇巡察整改进展情况", "text": "已完成整改问题1个，其余正在推进。"}


def draft(ap, **data):  # noqa: F811
    return services.disclosure_create(actor=ap["liaison"], plan=ap["plan"], **{**PUBLIC, **data})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   \n\t "}, "向社会公开的内容不能为空"),
        ({"channel": "in_party", "text": ""}, "请填写公开内容"),
        ({"title": " "}, "请填写标题"),
        ({"channel": "somewhere"}, "请选择公开范围"),
        ({"exemptions": ["secret"]}, "请在“不予公开说明”中写明不予公开的事项"),
        ({"exemption_note": "一起案件未公开"}, "请选择对应的不予公开理由"),
        ({"exemptions": ["gossip"], "exemption_note": "x"}, "不予公开的理由不正确"),
    ],
)
def test_drafts_are_validated_with_clear_messages(ap, data, message):  # noqa: F811
    with pytest.raises(ServiceError, match=message):
        draft(ap, **data)
    assert not Disclosure.objects.exists()


def test_only_the_unit_drafts_and_only_for_an_approved_plan(ap):  # noqa: F811
    for user in (ap["office"], ap["other_unit"], ap["county_leader"]):
        with pytest.raises(PermissionDenied):
            services.disclosure_create(actor=user, plan=ap["plan"], **PUBLIC)
    RectificationPlan.objects.filter(pk=ap["plan"].pk).update(state=PlanState.IN_REVIEW)
    with pytest.raises(ServiceError, match="整改方案审核通过后才能公开整改情况"):
        draft(ap)


def test_approve_return_update_and_withdraw(ap):  # noqa: F811
    row = draft(ap, exemptions=["case", "case", "petition"], exemption_note="两起案件正在审查调查")
    assert row.state == DisclosureState.DRAFT and row.exemptions == ["case", "petition"]
    with pytest.raises(PermissionDenied):
        services.disclosure_approve(actor=ap["liaison"], disclosure=row)
    with pytest.raises(ServiceError, match="请填写退回理由"):
        services.disclosure_return(actor=ap["office"], disclosure=row, reason=" ")
    services.disclosure_return(actor=ap["office"], disclosure=row, reason="数字与台账不一致")
    entry = AuditEntry.objects.get(action="rectification.disclosure.return")
    assert entry.after["reason"] == "数字与台账不一致"
    row = services.disclosure_update(actor=ap["liaison"], disclosure=row, **{**PUBLIC, "text": "已完成整改问题2个。"})
    row = services.disclosure_approve(actor=ap["office"], disclosure=row)
    assert row.state == DisclosureState.APPROVED and row.published_on == timezone.localdate()
    assert row.approved_by == ap["office"]
    with pytest.raises(ServiceError, match="已审核公开或已撤回的内容不能再修改"):
        services.disclosure_update(actor=ap["liaison"], disclosure=row, **PUBLIC)
    with pytest.raises(ServiceError, match="当前为“已审核公开”"):
        services.disclosure_approve(actor=ap["office"], disclosure=row)
    with pytest.raises(ServiceError, match="请填写撤回理由"):
        services.disclosure_withdraw(actor=ap["office"], disclosure=row, reason="")
    row = services.disclosure_withdraw(actor=ap["office"], disclosure=row, reason="内容需更新")
    assert row.state == DisclosureState.WITHDRAWN
    actions = list(
        AuditEntry.objects.filter(action__startswith="rectification.disclosure.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert [a.rsplit(".", 1)[1] for a in actions] == ["create", "return", "update", "approve", "withdraw"]


def test_plan_page_shows_the_return_reason_until_the_unit_rewrites(client, ap):  # noqa: F811
    url = reverse("rectification:plan_reports", args=[ap["plan"].pk])
    client.force_login(ap["liaison"])
    client.post(reverse("rectification:disclosure_add", args=[ap["plan"].pk]), {**PUBLIC})
    row = Disclosure.objects.get()
    client.force_login(ap["office"])
    page = client.get(url).content.decode()
    assert "审核通过并公开" in page and "退回修改" in page
    client.post(reverse("rectification:disclosure_return", args=[row.pk]), {"reason": "请补充完成时限"})
    client.force_login(ap["liaison"])
    page = client.get(url).content.decode()
    assert "巡察办退回修改：请补充完成时限" in page and "审核通过并公开" not in page
    edit = reverse("rectification:disclosure_edit", args=[row.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {**PUBLIC, "text": "已完成整改问题2个，其余在2027年1月底前完成。"})
    assert "请补充完成时限" not in client.get(url).content.decode()
    client.force_login(ap["office"])
    client.post(reverse("rectification:disclosure_approve", args=[row.pk]))
    row.refresh_from_db()
    assert row.state == DisclosureState.APPROVED
    client.force_login(ap["liaison"])  # the unit cannot approve or withdraw: 404
    assert client.post(reverse("rectification:disclosure_withdraw", args=[row.pk]), {"reason": "x"}).status_code == 404
    client.force_login(ap["other_unit"])
    assert client.get(edit).status_code == 404


def _published(ap, title, channel="public", state=DisclosureState.APPROVED, on=None, **extra):  # noqa: F811
    row = draft(ap, title=title, channel=channel, **extra)
    Disclosure.objects.filter(pk=row.pk).update(state=state, published_on=on or timezone.localdate())
    return row


def test_public_page_shows_approved_public_texts_only(client, ap, django_assert_max_num_queries):  # noqa: F811
    _published(ap, "公开的整改情况", exemptions=["secret"], exemption_note="涉密事项不予公开")
    _published(ap, "党内通报的整改情况", channel="in_party")
    _published(ap, "待审核的整改情况", state=DisclosureState.DRAFT)
    _published(ap, "已撤回的整改情况", state=DisclosureState.WITHDRAWN)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("disclosure_public"))  # no login
    page = response.content.decode()
    assert response.status_code == 200
    assert "公开的整改情况" in page and ap["target"].unit.name in page and PUBLIC["text"] in page
    for hidden in ("党内通报的整改情况", "待审核的整改情况", "已撤回的整改情况", "涉密事项不予公开", "涉及国家秘密"):
        assert hidden not in page


def test_public_page_newest_first_by_year_and_paginated(client, ap, django_assert_max_num_queries):  # noqa: F811
    _published(ap, "二〇二四年的公开", on=date(2024, 5, 1))
    for n in range(12):
        _published(ap, f"今年第{n}条公开", on=timezone.localdate())
    with django_assert_max_num_queries(4):
        page = client.get(reverse("disclosure_public")).content.decode()
    assert "今年第11条公开" in page and "二〇二四年的公开" not in page  # newest first, 10 a page
    assert "共 13 条" in page
    old = client.get(reverse("disclosure_public") + "?year=2024").content.decode()
    assert "二〇二四年的公开" in old and "今年第" not in old
    assert client.get(reverse("disclosure_public") + "?year=abc").status_code == 200


@pytest.mark.urls("config.urls_public")
def test_public_only_instance_serves_the_page(client, ap):  # noqa: F811
    _published(ap, "公开的整改情况")
    response = client.get("/gongkai/")
    assert response.status_code == 200 and "公开的整改情况" in response.content.decode()
