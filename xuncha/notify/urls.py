from django.urls import path

from xuncha.notify import channel_views, views

app_name = "notify"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.read_all, name="read_all"),
    # 管理 → 消息推送 (office): webhook endpoints and the delivery log.
    path("channels/", channel_views.channel_list, name="channel_list"),
    path("channels/webhooks/new/", channel_views.webhook_create, name="webhook_create"),
    path("channels/webhooks/<int:pk>/edit/", channel_views.webhook_edit, name="webhook_edit"),
    path("channels/webhooks/<int:pk>/active/", channel_views.webhook_active, name="webhook_active"),
    path("channels/webhooks/<int:pk>/test/", channel_views.webhook_test, name="webhook_test"),
    path("channels/log/", channel_views.delivery_list, name="delivery_list"),
]
