from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from xuncha.accounts.permissions import Perm, scope_queryset
from xuncha.audit.models import AuditEntry
from xuncha.audit.selectors import audit_entry_list
from xuncha.common.decorators import perm_required
from xuncha.common.forms import DateInput, StyledFormMixin
from xuncha.common.pagination import paginate

ACTION_CHOICES = [
    ("", _("全部操作")),
    ("auth.", _("登录与退出")),
    ("org.", _("组织机构")),
    ("people.", _("人员信息")),
    ("accounts.user.", _("用户账户")),
    ("accounts.role.", _("角色授权")),
    ("plans.", _("巡察计划与编组")),
    ("calendar.", _("工作日历")),
    ("deadline.", _("期限规则")),
    ("files.", _("附件")),
    ("fieldwork.", _("现场巡察")),
    ("documents.", _("公文")),
]


class AuditFilterForm(StyledFormMixin, forms.Form):
    action = forms.ChoiceField(label=_("操作类别"), choices=ACTION_CHOICES, required=False)
    actor = forms.CharField(label=_("操作人"), max_length=50, required=False)
    target = forms.CharField(label=_("对象"), max_length=50, required=False)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())


@require_GET
@perm_required(Perm.AUDIT_VIEW)
def entry_list(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, audit_entry_list(user=request.user, filters=filters).select_related(None))
    return render(request, "audit/entry_list.html", {"form": form, "page": page})


@require_GET
def entry_detail(request, seq):
    entry = scope_queryset(request.user, Perm.AUDIT_VIEW, AuditEntry.objects.all()).filter(seq=seq).first()
    if entry is None:
        raise Http404
    return render(request, "audit/entry_detail.html", {"entry": entry})
