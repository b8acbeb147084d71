"""Office pages under 管理 → 消息推送: webhook endpoints, a test button, the delivery log.

Every page needs ``WEBHOOK_PERM`` (see services/webhooks.py for why that code); each webhook
and log row is read through the scoped selectors, so ids outside one's scope answer 404.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts.decorators import perm_required
from xuncha.common.filters import IdField, query_value
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action, post_action
from xuncha.notify import selectors, services
from xuncha.notify.filters import DeliveryFilter
from xuncha.notify.forms import WebhookForm
from xuncha.notify.models import DeliveryState


def channels_page(view):
    """WEBHOOK_PERM required; highlights 管理 → 消息推送 in the navigation bar."""

    @wraps(view)
    @perm_required(services.WEBHOOK_PERM)
    def wrapped(request, *args, **kwargs):
        request.nav_section = "channels"
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@channels_page
def channel_list(request):
    page = paginate(request, selectors.webhook_list(user=request.user))
    failed = selectors.delivery_list(user=request.user, state=DeliveryState.FAILED).count()
    email = {
        "enabled": settings.XUNCHA_EMAIL_ENABLED,
        "host": settings.EMAIL_HOST,
        "port": settings.EMAIL_PORT,
        "sender": settings.DEFAULT_FROM_EMAIL,
    }
    return render(request, "notify/channels.html", {"page": page, "failed": failed, "email": email})


@require_http_methods(["GET", "POST"])
@channels_page
def webhook_create(request):
    form = WebhookForm(request.POST or None, user=request.user)
    done, hook = form_action(request, form, lambda d: services.webhook_create(actor=request.user, **_fields(d)))
    if done:
        messages.success(request, _("已添加推送地址“%(name)s”。可点“发送测试消息”确认能收到。") % {"name": hook.name})
        return redirect("notify:channel_list")
    return render(request, "notify/webhook_form.html", {"form": form, "hook": None})


@require_http_methods(["GET", "POST"])
@channels_page
def webhook_edit(request, pk):
    hook = selectors.webhook_get(user=request.user, pk=pk)
    form = WebhookForm(request.POST or None, user=request.user, instance=hook)
    done, _hook = form_action(
        request,
        form,
        lambda d: services.webhook_update(
            actor=request.user, webhook=hook, clear_secret=d.get("clear_secret", False), **_fields(d)
        ),
    )
    if done:
        messages.success(request, _("已保存推送地址“%(name)s”。") % {"name": hook.name})
        return redirect("notify:channel_list")
    return render(request, "notify/webhook_form.html", {"form": form, "hook": hook})


def _fields(data):
    keys = ("name", "scope", "kind", "url", "secret", "active")
    return {k: data[k] for k in keys}


@require_POST
@channels_page
def webhook_active(request, pk):
    hook = selectors.webhook_get(user=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    said = _("已启用“%(name)s”。") if active else _("已停用“%(name)s”，尚未发出的消息不再发送。")
    return post_action(
        request,
        lambda: services.webhook_set_active(actor=request.user, webhook=hook, active=active),
        said % {"name": hook.name},
        "notify:channel_list",
    )


@require_POST
@channels_page
def webhook_test(request, pk):
    hook = selectors.webhook_get(user=request.user, pk=pk)
    delivery = services.webhook_send_test(actor=request.user, webhook=hook)
    if delivery.state == DeliveryState.SENT:
        messages.success(request, _("测试消息已发送到“%(name)s”，对方已确认接收。") % {"name": hook.name})
    else:
        messages.error(
            request,
            _("测试消息发送失败（%(name)s）：%(error)s") % {"name": hook.name, "error": delivery.last_error},
        )
    return redirect("notify:channel_list")


@require_GET
@channels_page
def delivery_list(request):
    hook = None
    if webhook_pk := query_value(request, "webhook", IdField()):
        hook = selectors.webhook_get(user=request.user, pk=webhook_pk)
    filterset = DeliveryFilter(request.GET, selectors.delivery_list(user=request.user, webhook=hook))
    page = paginate(request, filterset.qs)
    return render(request, "notify/deliveries.html", {"page": page, "filter_form": filterset.form, "hook": hook})
