"""Downloads: who gets which document, how it is named, and that each export is audited."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from xuncha.accounts.tests.factories import make_unit
from xuncha.audit.models import AuditEntry
from xuncha.common.actors import SYSTEM
from xuncha.documents.tests.docx_checks import footer_text, open_docx
from xuncha.documents.tests.factories import DOCX_TYPE
from xuncha.plans import services as plans


def _urls(side: dict) -> dict[str, str]:
    return {
        "team_authorisation": reverse("plans:team_authorisation", args=[side["team"].pk]),
        "entry_notice": reverse("plans:entry_notice", args=[side["town_target"].pk]),
        "announcement": reverse("plans:announcement", args=[side["town_target"].pk]),
    }


FILENAMES = {
    "team_authorisation": "巡察授权书-甲县2026年第1轮巡察-第一巡察组.docx",
    "entry_notice": "巡察进驻通知-甲县青山镇.docx",
    "announcement": "巡察公告-甲县青山镇.docx",
}


@pytest.mark.parametrize("kind", list(FILENAMES))
def test_office_downloads_with_a_chinese_filename_and_an_audit_row(client, docs, kind):
    office = docs.a["office"]
    client.force_login(office)
    response = client.get(_urls(docs.a)[kind])
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert f"filename*=UTF-8''{quote(FILENAMES[kind], safe='')}" in disposition
    assert "no-store" in response["Cache-Control"]
    assert f"本件由 {office.full_name} 于 " in footer_text(open_docx(response.content))
    entry = AuditEntry.objects.get(action="documents.export")
    assert (entry.actor_id, entry.after["kind"], entry.after["recipient"]) == (office.pk, kind, office.full_name)
    target = docs.a["team"] if kind == "team_authorisation" else docs.a["town_target"]
    assert (entry.target_type, entry.target_id) == (target._meta.label_lower, str(target.pk))
    assert entry.after["template"] == "default"
    assert len(entry.after["sha256"]) == 64


def test_each_export_is_one_audit_row(client, docs):
    client.force_login(docs.a["office"])
    for _ in range(2):
        client.get(_urls(docs.a)["team_authorisation"])
    assert AuditEntry.objects.filter(action="documents.export").count() == 2


@pytest.mark.parametrize("kind", list(FILENAMES))
def test_another_countys_office_gets_404(client, docs, kind):
    client.force_login(docs.b["office"])
    assert client.get(_urls(docs.a)[kind]).status_code == 404
    assert not AuditEntry.objects.filter(action="documents.export").exists()


@pytest.mark.parametrize(
    ("who", "kind", "status"),
    [
        ("member", "team_authorisation", 200),  # their own team
        ("member", "announcement", 200),  # a unit their team covers
        ("member", "entry_notice", 404),  # the notice is the office's (ROUND_MANAGE)
        ("other_member", "team_authorisation", 404),  # another team of the same round
        ("other_member", "announcement", 404),
        ("other_member", "entry_notice", 404),
    ],
)
def test_team_members_reach_only_their_own_team(client, docs, who, kind, status):
    client.force_login(docs.a[who])
    assert client.get(_urls(docs.a)[kind]).status_code == status


def test_no_announcement_is_a_404_that_says_why(client, docs):
    client.force_login(docs.a["office"])
    response = client.get(reverse("plans:announcement", args=[docs.a["village_target"].pk]))
    assert response.status_code == 404
    assert "尚未发布巡察公告" in response.content.decode()
    assert not AuditEntry.objects.filter(action="documents.export").exists()


def test_entry_notice_needs_a_team(client, docs):
    unit = make_unit(docs.a["county"], "甲县教育局")
    target = plans.round_target_add(actor=SYSTEM, rnd=docs.a["round"], unit=unit)
    client.force_login(docs.a["office"])
    response = client.get(reverse("plans:entry_notice", args=[target.pk]))
    assert response.status_code == 404
    assert "请先为" in response.content.decode()


def test_download_buttons_on_the_plans_pages(client, docs):
    client.force_login(docs.a["office"])
    html = client.get(reverse("plans:round_detail", args=[docs.a["round"].pk])).content.decode()
    assert _urls(docs.a)["entry_notice"] in html
    assert _urls(docs.a)["announcement"] in html
    assert reverse("plans:announcement", args=[docs.a["village_target"].pk]) not in html  # none published
    html = client.get(reverse("plans:team_detail", args=[docs.a["team"].pk])).content.decode()
    assert _urls(docs.a)["team_authorisation"] in html and "下载授权书" in html


def test_members_see_no_entry_notice_button(client, docs):
    client.force_login(docs.a["member"])
    html = client.get(reverse("plans:round_detail", args=[docs.a["round"].pk])).content.decode()
    assert _urls(docs.a)["entry_notice"] not in html
    assert _urls(docs.a)["announcement"] in html


@pytest.mark.parametrize("kind", list(FILENAMES))
def test_export_query_count_does_not_grow_with_the_team(client, docs, django_assert_max_num_queries, kind):
    client.force_login(docs.a["office"])
    client.get(_urls(docs.a)[kind])  # warm the session and the calendar
    with django_assert_max_num_queries(21):  # one of them counts the earlier copies (份号)
        assert client.get(_urls(docs.a)[kind]).status_code == 200
