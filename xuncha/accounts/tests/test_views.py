"""Pages with real input: bad input answers with a Chinese message and changes nothing."""

import pytest
from django.urls import reverse

from xuncha.accounts.models import OrgUnit, Person, Post, Relationship, RoleAssignment, User
from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_person, make_user
from xuncha.audit.models import AuditEntry


@pytest.fixture
def staff_client(client, world):
    staff = make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])
    client.force_login(staff)
    client.staff = staff
    return client


def _audit_count():
    return AuditEntry.objects.count()


def test_unit_create_with_empty_fields_changes_nothing(staff_client, world):
    before_units, before_audit = OrgUnit.objects.count(), _audit_count()
    response = staff_client.post(
        reverse("accounts:unit_create", args=[world.a["town"].pk]), {"name": "", "unit_type": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "这个字段是必" in html  # Django's (or an app's) Chinese "required" message
    assert OrgUnit.objects.count() == before_units
    assert _audit_count() == before_audit + 0


def test_unit_create_with_too_long_name(staff_client, world):
    response = staff_client.post(
        reverse("accounts:unit_create", args=[world.a["town"].pk]), {"name": "长" * 101, "unit_type": "village"}
    )
    assert "100" in response.content.decode()
    assert not OrgUnit.objects.filter(name__startswith="长长").exists()


def test_unit_create_and_edit_through_the_pages(staff_client, world):
    url = reverse("accounts:unit_create", args=[world.a["town"].pk])
    response = staff_client.post(url, {"name": "新建村", "unit_type": "village", "party_org_kind": "dangzhibu"})
    unit = OrgUnit.objects.get(name="新建村")
    assert response.status_code == 302 and response["Location"] == unit.get_absolute_url()
    response = staff_client.post(
        reverse("accounts:unit_edit", args=[unit.pk]), {"name": "新建社区", "unit_type": "village"}
    )
    unit.refresh_from_db()
    assert unit.name == "新建社区" and unit.party_org_kind == ""


def test_move_form_offers_no_cycle_and_service_rejects_one(staff_client, world):
    town = world.a["town"]
    response = staff_client.get(reverse("accounts:unit_move", args=[town.pk]))
    assert world.a["village"].name not in response.content.decode()  # own subtree is not offered
    response = staff_client.post(reverse("accounts:unit_move", args=[town.pk]), {"new_parent": world.a["village"].pk})
    assert response.status_code == 200  # invalid choice: form error, nothing moved
    assert OrgUnit.objects.get(pk=town.pk).path == town.path


def test_deactivate_through_the_page_keeps_history(staff_client, world):
    village = world.a["village"]
    make_person(village, "村干部", title="支部书记", is_main_leader=True)
    response = staff_client.post(
        reverse("accounts:unit_set_active", args=[village.pk]), {"active": "0", "reason": "撤并"}
    )
    assert response.status_code == 302
    village.refresh_from_db()
    assert not village.is_active and Post.objects.filter(unit=village).exists()
    page = staff_client.get(village.get_absolute_url()).content.decode()
    assert "已停用" in page and "村干部" in page


def test_person_create_with_post_is_all_or_nothing(staff_client, world):
    url = reverse("accounts:person_create")
    # the post would make a second current main leader of the township: nothing is saved
    data = {
        "name": "钱七",
        "gender": "M",
        "unit": world.a["town"].pk,
        "is_active": "on",
        "title": "党委书记",
        "start_date": "2024-01-01",
        "is_main_leader": "on",
    }
    response = staff_client.post(url, data)
    assert "现任主要负责人" in response.content.decode()
    assert not Person.objects.filter(name="钱七").exists()
    data["is_main_leader"] = ""
    data["title"] = "党委委员"
    response = staff_client.post(url, data)
    person = Person.objects.get(name="钱七")
    assert response.status_code == 302 and person.posts.get().title == "党委委员"


def test_wrong_type_date_is_a_form_error(staff_client, world):
    person = world.a["person"]
    response = staff_client.post(
        reverse("accounts:post_add", args=[person.pk]),
        {"unit": world.a["dept"].pk, "title": "科员", "start_date": "not-a-date"},
    )
    assert response.status_code == 200 and "输入一个有效的日期" in response.content.decode()
    assert person.posts.count() == 1


def test_post_end_and_relation_on_someone_elses_person_is_404(staff_client, world):
    outside = world.b["person"]
    post = outside.posts.get()
    assert (
        staff_client.post(
            reverse("accounts:post_end", args=[outside.pk, post.pk]), {"end_date": "2025-01-01"}
        ).status_code
        == 404
    )
    inside = world.a["person"]
    # a post id that belongs to another person, under an accessible person's URL
    assert (
        staff_client.post(
            reverse("accounts:post_end", args=[inside.pk, post.pk]), {"end_date": "2025-01-01"}
        ).status_code
        == 404
    )
    post.refresh_from_db()
    assert post.end_date is None


def test_relation_add_and_remove_through_the_pages(staff_client, world):
    a = world.a["person"]
    b = make_person(world.a["dept"], "配偶甲")
    response = staff_client.post(
        reverse("accounts:relation_add", args=[a.pk]), {"kind": "spouse", "relative": b.pk, "note": ""}
    )
    assert response.status_code == 302
    rel = Relationship.objects.get()
    page = staff_client.get(b.get_absolute_url()).content.decode()
    assert "夫妻关系" in page and a.name in page  # visible from both sides
    no_reason = staff_client.post(reverse("accounts:relation_remove", args=[b.pk, rel.pk]), {"reason": ""})
    assert no_reason.status_code == 302 and Relationship.objects.exists()
    staff_client.post(reverse("accounts:relation_remove", args=[b.pk, rel.pk]), {"reason": "录入错误"})
    assert not Relationship.objects.exists()


def test_user_create_validates_username_and_password_match(staff_client, world):
    url = reverse("accounts:user_create")
    base = {
        "full_name": "新用户",
        "unit": world.a["dept"].pk,
        "password1": "good-pass-2026",
        "password2": "good-pass-2026",
    }
    assert "用户名须为" in staff_client.post(url, {**base, "username": "含 空格"}).content.decode()
    assert (
        "两次输入的密码不一致"
        in staff_client.post(url, {**base, "username": "ok_name", "password2": "x"}).content.decode()
    )
    assert not User.objects.filter(username="ok_name").exists()
    response = staff_client.post(url, {**base, "username": "ok_name"})
    assert response.status_code == 302
    assert User.objects.get(username="ok_name").check_password("good-pass-2026")


def test_role_grant_form_offers_only_grantable_roles(staff_client, world):
    page = staff_client.get(reverse("accounts:role_grant", args=[world.a["user"].pk])).content.decode()
    assert "被巡察单位联络员" in page
    assert "巡察办主任" not in page and "系统管理员" not in page
    # posting a role the form does not offer is refused as an invalid choice
    response = staff_client.post(
        reverse("accounts:role_grant", args=[world.a["user"].pk]),
        {"role": "office_head", "scope": world.a["county"].pk},
    )
    assert response.status_code == 200 and not RoleAssignment.objects.filter(user=world.a["user"]).exists()


def test_role_revoke_of_an_outside_grant_is_404(staff_client, world):
    from xuncha.accounts import services
    from xuncha.common.actors import SYSTEM

    grant = services.role_grant(actor=SYSTEM, user=world.b["user"], role=Role.UNIT_LIAISON, scope=world.b["town"])
    assert staff_client.post(reverse("accounts:role_revoke", args=[grant.pk])).status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_page_number_out_of_range_shows_last_page(staff_client, world):
    response = staff_client.get(reverse("accounts:person_list") + "?page=999")
    assert response.status_code == 200


def test_garbage_filter_values_do_not_crash(staff_client):
    for url in ("/people/?unit=abc&active=7", "/users/?unit=-1&role=nope", "/org/?unit_type=zzz&page=x"):
        assert staff_client.get(url).status_code == 200, url


def test_audit_filters_reject_garbage_quietly(client, world):
    head = make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"])
    client.force_login(head)
    response = client.get("/audit/?date_from=yesterday&action=nope")
    assert response.status_code == 200


def test_small_form_with_bad_input_names_the_field_and_changes_nothing(staff_client, world):
    person = world.a["person"]
    post = person.posts.get()
    response = staff_client.post(
        reverse("accounts:post_end", args=[person.pk, post.pk]), {"end_date": "not-a-date"}, follow=True
    )
    assert "任职结束日期：" in response.content.decode()
    post.refresh_from_db()
    assert post.end_date is None
