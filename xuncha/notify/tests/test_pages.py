"""管理 → 消息推送: who may open it, scope, validation, the test button, the delivery log."""

import pytest
from django.urls import reverse
from django.utils import timezone

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.audit.models import AuditEntry
from xuncha.notify.models import Channel, Delivery, DeliveryState, Webhook, WebhookKind
from xuncha.notify.services import webhook_create
from xuncha.notify.tests.servers import closed_port_url

pytestmark = pytest.mark.django_db


def make_hook(actor, scope, url, **kw):
    return webhook_create(
        actor=actor, name=kw.pop("name", "县巡察办钉钉群"), scope=scope, kind=kw.pop("kind", "generic"), url=url, **kw
    )


def form(scope, url="https://oapi.dingtalk.com/robot/send?access_token=abc", **kw):
    return {
        "name": "县巡察办钉钉群",
        "scope": scope.pk if scope else "",
        "kind": WebhookKind.DINGTALK,
        "url": url,
        "secret": "",
        "active": "on",
        **kw,
    }


@pytest.mark.parametrize("who, status", [("head", 200), ("staff", 403), ("liaison", 403)])
def test_who_may_open_the_pages(client, people, who, status):
    client.force_login(people[who])
    for name in ("notify:channel_list", "notify:webhook_create", "notify:delivery_list"):
        assert client.get(reverse(name)).status_code == status
    nav = client.get(reverse("home")).content.decode()
    assert (reverse("notify:channel_list") in nav) == (status == 200)


def test_scope_lists_only_own_webhooks_and_404s_the_others(client, people, world, endpoint):
    mine = make_hook(people["head"], world.a["town"], endpoint.url(), name="甲县青山镇群")
    theirs = make_hook(people["head_b"], world.b["county"], endpoint.url(), name="乙县群")
    client.force_login(people["head"])
    page = client.get(reverse("notify:channel_list")).content.decode()
    assert mine.name in page and theirs.name not in page
    assert client.get(reverse("notify:webhook_edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notify:webhook_test", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notify:webhook_active", args=[theirs.pk]), {"active": "0"}).status_code == 404
    assert client.get(reverse("notify:delivery_list"), {"webhook": theirs.pk}).status_code == 404
    assert endpoint.requests == [] and Webhook.objects.get(pk=theirs.pk).active


def test_create_validates_and_audits(client, people, world):
    client.force_login(people["head"])
    url = reverse("notify:webhook_create")
    for bad, message in [
        ("ftp://gw.example/hook", "推送地址须以 http:// 或 https:// 开头"),
        ("javascript:alert(1)", "推送地址须以 http:// 或 https:// 开头"),
        ("https://", "推送地址须以 http:// 或 https:// 开头"),
        ("https://gw/hook?a=1 b", "不能包含空格"),
        ("", "请填写推送地址。"),
    ]:
        page = client.post(url, form(world.a["county"], url=bad)).content.decode()
        assert message in page, bad
    page = client.post(url, form(None, url="ftp://x")).content.decode()
    assert "请选择推送范围。" in page and "推送地址须以 http:// 或 https:// 开头" in page  # all at once
    page = client.post(url, form(world.b["county"])).content.decode()
    assert "推送范围须在您的管理范围之内。" in page
    assert "请填写名称" in client.post(url, form(world.a["county"], name=" ")).content.decode()
    assert not Webhook.objects.exists()
    # An intranet gateway with a bare host name is fine.
    response = client.post(url, form(world.a["county"], url="http://msg-gw:8080/hook?token=s3cr3t", secret="SECxyz"))
    assert response.status_code == 302
    hook = Webhook.objects.get()
    assert (hook.kind, hook.secret, hook.scope) == (WebhookKind.DINGTALK, "SECxyz", world.a["county"])
    entry = AuditEntry.objects.get(action="notify.webhook.create")
    assert entry.after["signed"] is True and "SECxyz" not in str(entry.after) and "s3cr3t" not in str(entry.after)


def test_edit_keeps_the_secret_unless_replaced_or_cleared(client, people, world):
    hook = make_hook(people["head"], world.a["county"], "https://gw/hook", kind="dingtalk", secret="SECold")
    client.force_login(people["head"])
    url = reverse("notify:webhook_edit", args=[hook.pk])
    page = client.get(url).content.decode()
    assert "SECold" not in page and "已保存密钥" in page
    client.post(url, form(world.a["town"], url="https://gw/hook2"))
    hook.refresh_from_db()
    assert (hook.secret, hook.url, hook.scope) == ("SECold", "https://gw/hook2", world.a["town"])
    client.post(url, form(world.a["town"], secret="SECnew"))
    hook.refresh_from_db()
    assert hook.secret == "SECnew"
    client.post(url, form(world.a["town"], clear_secret="on"))
    hook.refresh_from_db()
    assert hook.secret == ""
    assert AuditEntry.objects.filter(action="notify.webhook.update").count() == 3


def test_test_button_reports_success_or_the_error(client, people, world, endpoint):
    good = make_hook(people["head"], world.a["county"], endpoint.url(), kind="wecom", name="企业微信群")
    dead = make_hook(people["head"], world.a["county"], closed_port_url(), name="旧网关", active=False)
    client.force_login(people["head"])
    page = client.post(reverse("notify:webhook_test", args=[good.pk]), follow=True).content.decode()
    assert "测试消息已发送到“企业微信群”" in page
    assert "测试" in endpoint.requests[0].json["markdown"]["content"]
    page = client.post(reverse("notify:webhook_test", args=[dead.pk]), follow=True).content.decode()
    assert "测试消息发送失败（旧网关）：无法连接" in page  # tested even while switched off
    endpoint.answer = b'{"errcode":93000,"errmsg":"invalid webhook url"}'
    page = client.post(reverse("notify:webhook_test", args=[good.pk]), follow=True).content.decode()
    assert "机器人地址无效或机器人已被移出群聊（errcode 93000: invalid webhook url）" in page
    tests = Delivery.objects.filter(key__startswith="test:")
    assert [d.state for d in tests.order_by("pk")] == [DeliveryState.SENT, DeliveryState.FAILED, DeliveryState.FAILED]
    assert all(d.attempts == 1 and d.next_attempt_at is None for d in tests)  # never retried
    assert AuditEntry.objects.filter(action="notify.webhook.test").count() == 3


def test_deactivate_drops_queued_messages_and_reactivate(client, people, world, endpoint):
    hook = make_hook(people["head"], world.a["county"], endpoint.url())
    from xuncha.notify.services import notify

    notify(user=people["liaison"], key="k", title="黄色预警", unit=world.a["town"])
    client.force_login(people["head"])
    client.post(reverse("notify:webhook_active", args=[hook.pk]), {"active": "0"})
    hook.refresh_from_db()
    assert not hook.active and Delivery.objects.get().state == DeliveryState.FAILED
    page = client.post(reverse("notify:webhook_active", args=[hook.pk]), {"active": "0"}, follow=True)
    assert "该推送地址已经停用。" in page.content.decode()
    client.post(reverse("notify:webhook_active", args=[hook.pk]), {"active": "1"})
    hook.refresh_from_db()
    assert hook.active
    actions = list(AuditEntry.objects.filter(action__startswith="notify.webhook.").values_list("action", flat=True))
    assert actions.count("notify.webhook.deactivate") == 1 and actions.count("notify.webhook.activate") == 1


def _deliveries(hook, unit, n, state):
    Delivery.objects.bulk_create(
        Delivery(
            channel=Channel.WEBHOOK,
            destination=hook.name,
            webhook=hook,
            unit=unit,
            key=f"{state}:{i}",
            title=f"消息{i}",
            state=state,
            attempts=5 if state == "failed" else 1,
            last_error="HTTP 500",
            sent_at=timezone.now(),
        )
        for i in range(n)
    )


def test_delivery_log_scoped_filtered_and_query_count_pinned(client, people, world, django_assert_max_num_queries):
    mine = make_hook(people["head"], world.a["county"], "https://gw/a")
    theirs = make_hook(people["head_b"], world.b["county"], "https://gw/b", name="乙县群")
    _deliveries(mine, world.a["town"], 30, DeliveryState.FAILED)
    _deliveries(mine, world.a["village"], 30, DeliveryState.SENT)
    _deliveries(theirs, world.b["town"], 5, DeliveryState.FAILED)
    Delivery.objects.filter(unit=world.b["town"]).update(title="乙县的消息")
    client.force_login(people["head"])
    url = reverse("notify:delivery_list")
    with django_assert_max_num_queries(9):
        page = client.get(url, {"state": "failed"}).content.decode()
    assert "共 30 条" in page and "乙县的消息" not in page and "发送失败" in page
    with django_assert_max_num_queries(9):
        page = client.get(url).content.decode()
    assert "共 60 条" in page
    with django_assert_max_num_queries(9):
        page = client.get(reverse("notify:channel_list")).content.decode()
    assert "失败 30" in page and "乙县群" not in page
    assert "共 30 条" in client.get(url, {"webhook": mine.pk, "state": "sent"}).content.decode()


def test_system_administrator_may_manage_too(client, world):
    admin = make_user(world.a["dept"], Role.SYSADMIN, scope=world.city)
    client.force_login(admin)
    assert client.get(reverse("notify:channel_list")).status_code == 200
