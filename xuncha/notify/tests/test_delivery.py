"""Queuing and sending the e-mail and webhook copies, against real endpoints on 127.0.0.1."""

import base64
import hashlib
import hmac
import logging
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from django.core import mail
from django.utils import timezone

from xuncha.notify.models import Channel, Delivery, DeliveryState, Notification, Webhook, WebhookKind
from xuncha.notify.services import MAX_ATTEMPTS, RETRY_AFTER, deliver_pending, notify
from xuncha.notify.tests.servers import closed_port_url

pytestmark = pytest.mark.django_db


def hook(scope, url, kind=WebhookKind.GENERIC, secret="", active=True, name=None):
    return Webhook.objects.create(
        name=name or f"群{Webhook.objects.count() + 1}", scope=scope, kind=kind, url=url, secret=secret, active=active
    )


def say(user, key="task:1:red:2026-12-01", unit=None, **kw):
    return notify(
        user=user,
        key=key,
        title=kw.get("title", "红色预警：甲县青山镇整改任务1"),
        body="“整改”完成时限为2026-12-01。",
        url="/rectification/tasks/1/",
        unit=unit,
    )


# --- queuing ---------------------------------------------------------------------------------


def test_notify_queues_one_webhook_message_per_key_and_only_over_the_unit(world, people, endpoint):
    a, b = world.a, world.b
    over_county = hook(a["county"], endpoint.url("/county"))
    over_town = hook(a["town"], endpoint.url("/town"))
    hook(a["dept"], endpoint.url("/dept"))  # a sibling subtree: not about the town
    hook(b["county"], endpoint.url("/b"))  # another county
    hook(a["county"], endpoint.url("/off"), active=False)
    assert say(people["liaison"], unit=a["village"]) is True
    assert say(people["head"], unit=a["village"]) is True  # second recipient of the same key
    assert say(people["liaison"], unit=a["village"]) is False  # same key again: nothing
    rows = Delivery.objects.filter(channel=Channel.WEBHOOK)
    assert {d.webhook_id for d in rows} == {over_county.pk, over_town.pk}
    assert rows.count() == 2
    assert all(d.url == "http://127.0.0.1:8000/rectification/tasks/1/" for d in rows)
    assert endpoint.requests == []  # nothing is sent while queuing


def test_without_unit_or_with_email_off_nothing_is_queued(world, people, endpoint, settings):
    settings.XUNCHA_EMAIL_ENABLED = False
    hook(world.a["county"], endpoint.url())
    say(people["liaison"])  # no unit: the existing callers' behaviour
    assert Notification.objects.count() == 1 and not Delivery.objects.exists()


def test_email_is_queued_for_users_with_an_address_when_enabled(world, people, settings):
    settings.XUNCHA_EMAIL_ENABLED = True
    say(people["liaison"], unit=world.a["town"])
    say(people["head"], unit=world.a["town"])  # no address: in-app only
    (row,) = Delivery.objects.filter(channel=Channel.EMAIL)
    assert row.destination == "liaison@a.example.gov.cn" and row.notification.user == people["liaison"]


def test_links_use_the_site_url(world, people, endpoint, settings):
    settings.XUNCHA_SITE_URL = "https://xuncha.example.gov.cn/"
    hook(world.a["county"], endpoint.url())
    say(people["liaison"], unit=world.a["town"])
    deliver_pending()
    assert endpoint.requests[0].json["url"] == "https://xuncha.example.gov.cn/rectification/tasks/1/"


# --- payloads ----------------------------------------------------------------------------------


def test_generic_payload(world, people, endpoint):
    hook(world.a["county"], endpoint.url())
    say(people["liaison"], unit=world.a["town"])
    now = timezone.now()
    assert deliver_pending(now=now).sent == 1
    (req,) = endpoint.requests
    assert req.headers["Content-Type"] == "application/json; charset=utf-8"
    assert req.json == {
        "title": "红色预警：甲县青山镇整改任务1",
        "body": "“整改”完成时限为2026-12-01。",
        "url": "http://127.0.0.1:8000/rectification/tasks/1/",
        "key": "task:1:red:2026-12-01",
        "sent_at": now.isoformat(),
    }
    d = Delivery.objects.get()
    assert (d.state, d.attempts, d.sent_at, d.next_attempt_at) == (DeliveryState.SENT, 1, now, None)


def test_dingtalk_markdown_and_signature(world, people, endpoint):
    secret = "SEC0123456789abcdef"
    hook(world.a["county"], endpoint.url("/robot/send?access_token=tok"), kind=WebhookKind.DINGTALK, secret=secret)
    say(people["liaison"], unit=world.a["town"])
    now = timezone.now()
    deliver_pending(now=now)
    (req,) = endpoint.requests
    body = req.json
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == "红色预警：甲县青山镇整改任务1"
    assert body["markdown"]["text"].startswith("### 红色预警：甲县青山镇整改任务1\n\n“整改”完成时限为2026-12-01。")
    assert "(http://127.0.0.1:8000/rectification/tasks/1/)" in body["markdown"]["text"]
    q = req.query
    assert q["access_token"] == "tok" and q["timestamp"] == str(int(now.timestamp() * 1000))
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{q['timestamp']}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    assert q["sign"] == expected  # parse_qs undid the URL-encoding of "+", "/" and "="


def test_wecom_markdown(world, people, endpoint):
    hook(world.a["county"], endpoint.url("/cgi-bin/webhook/send?key=k"), kind=WebhookKind.WECOM, secret="ignored")
    say(people["liaison"], unit=world.a["town"])
    deliver_pending()
    (req,) = endpoint.requests
    content = req.json["markdown"]["content"]
    assert req.json["msgtype"] == "markdown" and set(req.json["markdown"]) == {"content"}
    assert content.startswith("**红色预警：甲县青山镇整改任务1**\n\n")
    assert "sign" not in req.query  # only DingTalk signs


@pytest.mark.parametrize("kind", [WebhookKind.DINGTALK, WebhookKind.WECOM])
def test_robot_errcode_is_a_failure(world, people, endpoint, kind):
    endpoint.answer = b'{"errcode":310000,"errmsg":"keywords not in content"}'
    hook(world.a["county"], endpoint.url(), kind=kind)
    say(people["liaison"], unit=world.a["town"])
    run = deliver_pending()
    d = Delivery.objects.get()
    assert run.retrying == 1 and d.state == DeliveryState.PENDING
    assert d.last_error.startswith("钉钉安全设置校验未通过")
    assert d.last_error.endswith("（errcode 310000: keywords not in content）")


def test_generic_accepts_any_2xx_but_redirects_are_not_followed(world, people, endpoint):
    endpoint.status = 302
    hook(world.a["county"], endpoint.url())
    say(people["liaison"], unit=world.a["town"])
    deliver_pending()
    assert Delivery.objects.get().last_error.startswith("HTTP 302")


# --- retries --------------------------------------------------------------------------------


def test_back_off_then_give_up_after_five_attempts(world, people, endpoint, caplog):
    endpoint.fail_next = 100
    hook(world.a["county"], endpoint.url())
    say(people["liaison"], unit=world.a["town"])
    t = timezone.now()
    caplog.set_level(logging.WARNING, logger="xuncha.notify")
    for n in range(1, MAX_ATTEMPTS + 1):
        assert deliver_pending(now=t - timedelta(seconds=1)).sent == 0
        assert len(endpoint.requests) == n - 1  # not due yet: nothing sent
        deliver_pending(now=t)
        d = Delivery.objects.get()
        assert d.attempts == n and len(endpoint.requests) == n
        assert d.last_error.startswith("HTTP 500") and "boom" in d.last_error
        if n < MAX_ATTEMPTS:
            assert d.state == DeliveryState.PENDING and d.next_attempt_at == t + RETRY_AFTER[n - 1]
            t = d.next_attempt_at
    assert d.state == DeliveryState.FAILED and d.next_attempt_at is None
    assert [step.total_seconds() for step in RETRY_AFTER[:4]] == [60, 300, 1800, 7200]
    deliver_pending(now=t + timedelta(days=2))
    assert len(endpoint.requests) == MAX_ATTEMPTS  # given up: never again
    assert "failed, attempt 1 of 5" in caplog.text and "giving up" in caplog.text


def test_a_retry_that_succeeds(world, people, endpoint):
    endpoint.fail_next = 2
    hook(world.a["county"], endpoint.url())
    say(people["liaison"], unit=world.a["town"])
    t = timezone.now()
    for step in (timedelta(0), RETRY_AFTER[0], RETRY_AFTER[1]):
        t += step
        deliver_pending(now=t)
    d = Delivery.objects.get()
    assert (d.state, d.attempts, d.last_error) == (DeliveryState.SENT, 3, "")


def test_one_failing_endpoint_does_not_block_the_others(world, people, endpoint, endpoint2):
    endpoint2.fail_next = 100
    dead = hook(world.a["county"], closed_port_url(), name="已下线网关")
    hook(world.a["county"], endpoint2.url(), name="报错网关")
    good = hook(world.a["town"], endpoint.url(), name="镇工作群")
    say(people["liaison"], key="k1", unit=world.a["town"])
    say(people["liaison"], key="k2", unit=world.a["town"])
    run = deliver_pending()
    assert len(endpoint.requests) == 2  # both messages reached the working endpoint
    assert Delivery.objects.filter(webhook=good, state=DeliveryState.SENT).count() == 2
    assert len(endpoint2.requests) == 2  # an HTTP error is per message: both tried
    # The unreachable endpoint: the first message failed to connect, the second waits for next run.
    tried = Delivery.objects.filter(webhook=dead, attempts=1).get()
    assert tried.last_error.startswith("无法连接：对方拒绝连接")
    assert Delivery.objects.filter(webhook=dead, attempts=0, state=DeliveryState.PENDING).count() == 1
    assert (run.sent, run.retrying, run.deferred) == (2, 3, 1)


def test_timeout(world, people, endpoint, settings):
    settings.XUNCHA_NOTIFY_TIMEOUT = 1
    endpoint.hang = 2
    hook(world.a["county"], endpoint.url())
    say(people["liaison"], unit=world.a["town"])
    deliver_pending()
    d = Delivery.objects.get()
    assert d.attempts == 1 and d.state == DeliveryState.PENDING and d.last_error


def test_overlapping_runs_do_not_send_twice(world, people, endpoint):
    hook(world.a["county"], endpoint.url())
    say(people["liaison"], unit=world.a["town"])
    d = Delivery.objects.get()
    from xuncha.notify.services.delivery import _claim

    assert _claim(d, timezone.now()) is True  # another run took it
    assert deliver_pending().sent == 0 and endpoint.requests == []


def test_a_deactivated_webhook_gives_up_its_queued_messages(world, people, endpoint):
    h = hook(world.a["county"], endpoint.url())
    say(people["liaison"], unit=world.a["town"])
    Webhook.objects.filter(pk=h.pk).update(active=False)
    assert deliver_pending().gave_up == 1
    assert endpoint.requests == [] and Delivery.objects.get().state == DeliveryState.FAILED


# --- e-mail ---------------------------------------------------------------------------------


def test_email_through_the_mail_backend(world, people, settings):
    settings.XUNCHA_EMAIL_ENABLED = True
    settings.DEFAULT_FROM_EMAIL = "xuncha@example.gov.cn"
    say(people["liaison"], unit=world.a["town"])
    assert deliver_pending().sent == 1
    (msg,) = mail.outbox
    assert msg.to == ["liaison@a.example.gov.cn"] and msg.from_email == "xuncha@example.gov.cn"
    assert msg.subject == "红色预警：甲县青山镇整改任务1"
    assert "http://127.0.0.1:8000/rectification/tasks/1/" in msg.body
    deliver_pending()
    assert len(mail.outbox) == 1


def test_email_over_real_smtp(world, people, settings, smtp_sink):
    settings.XUNCHA_EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink.port
    settings.DEFAULT_FROM_EMAIL = "xuncha@example.gov.cn"
    say(people["liaison"], unit=world.a["town"])
    assert deliver_pending().sent == 1
    ((sender, rcpts, data),) = smtp_sink.messages
    assert sender == "xuncha@example.gov.cn" and rcpts == ["liaison@a.example.gov.cn"]
    parsed = message_from_bytes(data, policy=default_policy)
    assert parsed["Subject"].strip() == "红色预警：甲县青山镇整改任务1"
    assert "http://127.0.0.1:8000/rectification/tasks/1/" in parsed.get_content()
    assert Delivery.objects.get().state == DeliveryState.SENT


def test_smtp_refusal_and_unreachable_server_are_retried(world, people, settings, smtp_sink):
    settings.XUNCHA_EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink.port
    smtp_sink.reject.add("liaison@a.example.gov.cn")
    say(people["liaison"], unit=world.a["town"])
    deliver_pending()
    d = Delivery.objects.get()
    assert d.state == DeliveryState.PENDING and "拒收" in d.last_error
    settings.EMAIL_PORT = int(closed_port_url().split(":")[2].split("/")[0])
    deliver_pending(now=d.next_attempt_at)
    d.refresh_from_db()
    assert d.attempts == 2 and "邮件" in d.last_error and smtp_sink.messages == []


def test_an_unexpected_error_is_one_failure_not_the_end_of_the_run(world, people, endpoint):
    """A webhook whose stored address went bad (edited in the database) fails alone."""
    broken = hook(world.a["county"], endpoint.url(), name="坏地址")
    hook(world.a["town"], endpoint.url("/ok"), name="好地址")
    say(people["liaison"], unit=world.a["town"])
    Webhook.objects.filter(pk=broken.pk).update(url="http://127.0.0.1:notaport/x")
    run = deliver_pending()
    assert (run.sent, run.retrying) == (1, 1) and endpoint.paths() == ["/ok"]
    assert Delivery.objects.get(webhook=broken).last_error
