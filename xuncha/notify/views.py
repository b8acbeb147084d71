"""The user's own inbox: nobody reads anyone else's messages, so no access rules beyond login."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuncha.common.pagination import paginate
from xuncha.notify.models import Notification
from xuncha.notify.services import mark_read


@require_GET
def inbox(request):
    page = paginate(request, Notification.objects.filter(user=request.user))
    return render(request, "notify/inbox.html", {"page": page})


@require_POST
def read_all(request):
    n = mark_read(user=request.user)
    messages.success(request, _("已将 %(n)s 条消息标为已读。") % {"n": n})
    return redirect("notify:inbox")
