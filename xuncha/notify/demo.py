"""Demo message channels for the demo county: two webhooks the office set up (switched off, so the
demo never reaches the internet; "发送测试消息" still shows what an unreachable endpoint looks like)
and a few rows in the delivery log, so 管理 → 消息推送 has something to show.

The lead adds to demo_seed's PARTS, after rectification:
    ("xuncha.notify.demo", "notify_seeded", "seed_notify", "已配置消息推送地址 {webhooks} 个。"),
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from xuncha.accounts.models import OrgUnit, User
from xuncha.common.actors import SYSTEM
from xuncha.common.demo import demo_part
from xuncha.notify.channels import ROBOT_ERRORS
from xuncha.notify.models import Channel, Delivery, DeliveryState, Webhook, WebhookKind
from xuncha.notify.services import webhook_create
from xuncha.notify.services.inbox import absolute_url

KEYWORD_ERROR = "errcode 310000: keywords not in content"


def notify_seeded(county) -> bool:
    return Webhook.objects.filter(scope__path__startswith=county.path).exists()


@transaction.atomic
def seed_notify(county) -> dict[str, int]:
    head = User.objects.filter(username="xcb_zhuren").first() or SYSTEM
    office = webhook_create(
        actor=head,
        name="县委巡察办钉钉工作群",
        scope=county,
        kind=WebhookKind.DINGTALK,
        url="https://oapi.dingtalk.com/robot/send?access_token=DEMO-REPLACE-WITH-REAL-TOKEN",
        active=False,
    )
    hooks = 1
    unit = OrgUnit.objects.filter(path__startswith=county.path, name="县民政局").first()
    if unit is not None:
        webhook_create(
            actor=head,
            name="县民政局内网消息网关",
            scope=unit,
            kind=WebhookKind.GENERIC,
            url="http://127.0.0.1:9/xuncha/notify",
            active=False,
        )
        hooks += 1
        _sample_log(office, unit)
    return {"webhooks": hooks}


def _sample_log(hook: Webhook, unit: OrgUnit) -> None:
    """What a week of pushes looks like: delivered, and one given up after five attempts."""
    now = timezone.now()
    rows = [
        ("绿色提示：县民政局整改任务4", DeliveryState.SENT, 1, "", 6),
        ("黄色预警：县民政局整改任务3", DeliveryState.SENT, 2, "", 3),
        ("红色预警：县民政局整改任务2", DeliveryState.FAILED, 5, f"{ROBOT_ERRORS[310000]}（{KEYWORD_ERROR}）", 1),
    ]
    Delivery.objects.bulk_create(
        Delivery(
            channel=Channel.WEBHOOK,
            destination=hook.name,
            webhook=hook,
            unit=unit,
            key=f"demo:{n}",
            title=title,
            body="请按整改方案确定的时限完成整改。",
            url=absolute_url("/rectification/"),
            state=state,
            attempts=attempts,
            last_error=error,
            sent_at=now - timedelta(days=days) if state == DeliveryState.SENT else None,
        )
        for n, (title, state, attempts, error, days) in enumerate(rows)
    )
    for n, (*_rest, days) in enumerate(rows):  # auto_now_add ignores a given time: set it after
        Delivery.objects.filter(webhook=hook, key=f"demo:{n}").update(created_at=now - timedelta(days=days))


demo_part(order=80, seeded=notify_seeded, seed=seed_notify, message="已配置消息推送地址 {webhooks} 个。")
