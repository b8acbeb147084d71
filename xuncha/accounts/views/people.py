"""People, posts and relationships."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.accounts import selectors, services
from xuncha.accounts.decorators import perm_required
from xuncha.accounts.filters import PersonFilter
from xuncha.accounts.forms import (
    PersonCreateForm,
    PersonForm,
    PostEndForm,
    PostForm,
    ReasonForm,
    RelationForm,
)
from xuncha.accounts.models import Person, Post, Relationship
from xuncha.accounts.permissions import Perm, access_person, has_perm, scope_queryset
from xuncha.common.exceptions import ServiceError
from xuncha.common.filters import IdField, query_value
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_action, post_action, post_form_action


@require_GET
@perm_required(Perm.PERSON_VIEW)
def person_list(request):
    filterset = PersonFilter(request.GET, selectors.person_list(user=request.user), user=request.user)
    page = paginate(request, filterset.qs)
    ctx = {"form": filterset.form, "page": page, "can_manage": has_perm(request.user, Perm.PERSON_MANAGE)}
    return render(request, "accounts/person_list.html", ctx)


@require_GET
def person_detail(request, pk):
    person = access_person(request.user, pk)
    ctx = {
        "person": person,
        **selectors.person_detail(person=person),
        "can_manage": has_perm(request.user, Perm.PERSON_MANAGE, person),
    }
    return render(request, "accounts/person_detail.html", ctx)


@transaction.atomic  # the person and the first post, or neither
def _create_person_with_post(actor, data) -> Person:
    person = services.person_create(actor=actor, name=data["name"], gender=data["gender"], unit=data["unit"])
    if data.get("title"):
        services.post_add(
            actor=actor,
            person=person,
            unit=data["unit"],
            title=data["title"],
            start_date=data["start_date"],
            is_leadership_member=data["is_leadership_member"],
            is_main_leader=data["is_main_leader"],
        )
    return person


@require_http_methods(["GET", "POST"])
@perm_required(Perm.PERSON_MANAGE)
def person_create(request):
    form = PersonCreateForm(
        request.POST or None, user=request.user, initial={"unit": query_value(request, "unit", IdField())}
    )
    ok, person = form_action(request, form, lambda d: _create_person_with_post(request.user, d))
    if ok:
        messages.success(request, _("已登记人员“%(name)s”。") % {"name": person.name})
        return redirect(person)
    return render(request, "accounts/person_form.html", {"form": form, "person": None})


@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = access_person(request.user, pk, Perm.PERSON_MANAGE)
    fields = ("name", "gender", "unit", "is_active")
    form = PersonForm(request.POST or None, initial={f: getattr(person, f) for f in fields}, user=request.user)
    ok, _person = form_action(request, form, lambda d: services.person_update(actor=request.user, person=person, **d))
    if ok:
        messages.success(request, _("人员信息已保存。"))
        return redirect(person)
    return render(request, "accounts/person_form.html", {"form": form, "person": person})


@require_http_methods(["GET", "POST"])
def post_add(request, pk):
    person = access_person(request.user, pk, Perm.PERSON_MANAGE)
    form = PostForm(request.POST or None, user=request.user, initial={"unit": person.unit})
    ok, _post = form_action(request, form, lambda d: services.post_add(actor=request.user, person=person, **d))
    if ok:
        messages.success(request, _("任职记录已添加。"))
        return redirect(person)
    return render(request, "accounts/post_form.html", {"form": form, "person": person})


@require_POST
def post_end(request, pk, post_pk):
    person = access_person(request.user, pk, Perm.PERSON_MANAGE)
    post = Post.objects.filter(person=person, pk=post_pk).first()
    if post is None:
        raise Http404
    return post_form_action(
        request,
        PostEndForm(request.POST),
        lambda d: services.post_end(actor=request.user, post=post, end_date=d["end_date"]),
        _("任职已结束。"),
        person,
    )


@require_http_methods(["GET", "POST"])
def relation_add(request, pk):
    person = access_person(request.user, pk, Perm.PERSON_MANAGE)
    q = query_value(request, "q", forms.CharField(max_length=50)) or ""
    relatives = scope_queryset(request.user, Perm.PERSON_VIEW, Person.objects.exclude(pk=person.pk))
    if q:
        relatives = relatives.filter(name__contains=q)
    form = RelationForm(request.POST or None, relatives=relatives.select_related("unit").order_by("name", "id"))
    ok, _rel = form_action(request, form, lambda d: services.relationship_add(actor=request.user, person=person, **d))
    if ok:
        messages.success(request, _("人员关系已登记。"))
        return redirect(person)
    return render(request, "accounts/relation_form.html", {"form": form, "person": person, "q": q})


@require_POST
def relation_remove(request, pk, rel_pk):
    person = access_person(request.user, pk, Perm.PERSON_MANAGE)
    rel = (
        Relationship.objects.filter(pk=rel_pk).filter(person=person).first()
        or Relationship.objects.filter(pk=rel_pk, relative=person).first()
    )
    if rel is None:
        raise Http404
    form = ReasonForm(request.POST)

    def remove():
        if not form.is_valid():
            raise ServiceError(_("删除关系须说明原因。"))
        services.relationship_remove(actor=request.user, relationship=rel, reason=form.cleaned_data["reason"])

    return post_action(request, remove, _("人员关系已删除。"), person)
