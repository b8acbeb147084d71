"""Retention and the separable public side.

After the retention period the content goes (text, contact, messages, files and the data key)
while the report rows — and so the counts — stay. A public-only instance answers only the
reporting pages.
"""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from xuncha.audit.models import AuditEntry
from xuncha.common.actors import SYSTEM
from xuncha.fieldwork.tests.factories import pdf
from xuncha.files.storage import evidence_storage
from xuncha.intake import services
from xuncha.intake.models import Report, ReportAttachment, ReportMessage
from xuncha.plans.models import RoundEvent, RoundState


def _archive(rnd, days_ago):
    """Archive the round as of ``days_ago`` (the state is set directly: the path there is tested in plans)."""
    type(rnd).objects.filter(pk=rnd.pk).update(state=RoundState.ARCHIVED)
    event = RoundEvent.objects.create(round=rnd, action="archive", from_state=rnd.state, to_state=RoundState.ARCHIVED)
    RoundEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(days=days_ago))


@pytest.fixture
def filed(window):
    report = services.report_file(
        announcement=window["announcement"],
        content={"what": "村道工程指定亲属承包"},
        contact={"name": "王五", "phone": "13800000000"},
        uploads=[pdf()],
    ).report
    services.message_add(report=report, side="reporter", text="补充")
    return {**window, "report": report}


def test_purge_removes_content_keeps_counts_and_is_idempotent(filed, settings, django_capture_on_commit_callbacks):
    settings.XUNCHA_REPORT_RETENTION_DAYS = 30
    report = filed["report"]
    stored = Path(evidence_storage().path(report.attachments.get().storage_name))
    assert stored.exists()
    _archive(filed["round"], days_ago=10)
    out = StringIO()
    call_command("intake_purge", stdout=out)
    assert "没有超过保存期限" in out.getvalue()  # archived, but not long enough ago
    RoundEvent.objects.filter(round=filed["round"]).update(created_at=timezone.now() - timedelta(days=31))
    call_command("intake_purge", "--dry-run", stdout=out)
    assert Report.objects.get(pk=report.pk).purged_at is None
    with django_capture_on_commit_callbacks(execute=True):
        call_command("intake_purge", stdout=out)
    report = Report.objects.get(pk=report.pk)
    assert report.purged_at and not report.wrapped_key and not bytes(report.content) and report.contact is None
    assert report.receipt_hash is None
    assert not ReportMessage.objects.exists() and not ReportAttachment.objects.exists()
    assert not stored.exists()
    assert Report.objects.filter(round=filed["round"]).count() == 1  # the count stays
    entry = AuditEntry.objects.get(action="intake.report.purge")
    assert entry.after == {"reports": 1, "files": 1, "messages": 1}
    call_command("intake_purge", stdout=out)
    assert AuditEntry.objects.filter(action="intake.report.purge").count() == 1


def test_a_purged_report_refuses_triage_and_messages(filed):
    from xuncha.common.exceptions import ServiceError
    from xuncha.intake.services.retention import round_reports_purge

    round_reports_purge(rnd=filed["round"])
    report = Report.objects.get(pk=filed["report"].pk)
    with pytest.raises(ServiceError, match="保存期限"):
        services.report_transition(obj=report, action="reject", actor=SYSTEM, data={"reply": "x"})
    with pytest.raises(ServiceError, match="保存期限"):
        services.message_add(report=report, side="team", text="x")


def test_purged_report_page_says_so(client, filed):
    from xuncha.intake.services.retention import round_reports_purge

    round_reports_purge(rnd=filed["round"])
    client.force_login(filed["users"]["leader"])
    page = client.get(filed["report"].get_absolute_url()).content.decode()
    assert "已超过保存期限" in page


@override_settings(ROOT_URLCONF="config.urls_public")
def test_public_only_instance_serves_the_reporting_pages_and_nothing_else(client, window):
    assert client.get("/report/").status_code == 200
    assert client.get(f"/report/{window['announcement'].pk}/").status_code == 200
    assert client.get("/").status_code == 302
    assert client.get("/healthz").status_code == 200
    for url in ("/intake/", "/accounts/login/", "/admin/", "/plans/", "/audit/", "/settings/calendar/"):
        assert client.get(url).status_code == 404, url


def test_public_only_setting_selects_the_public_urls(monkeypatch):
    import importlib

    import config.settings.base as base

    monkeypatch.setenv("XUNCHA_PUBLIC_ONLY", "on")
    try:
        assert importlib.reload(base).ROOT_URLCONF == "config.urls_public"
    finally:
        monkeypatch.delenv("XUNCHA_PUBLIC_ONLY")
        assert importlib.reload(base).ROOT_URLCONF == "config.urls"


def test_sealed_attachments_are_not_taken_for_orphans(filed):
    from xuncha.files.orphans import orphan_list

    assert orphan_list(min_age=timedelta(0)) == []


def test_rewrap_after_rotation_moves_every_report_to_the_new_key(window, settings):
    import base64

    from xuncha.common.crypto import wrapped_key_id

    line = lambda key_id, byte: f"{key_id}:{base64.b64encode(byte * 16).decode()}"  # noqa: E731
    settings.XUNCHA_MASTER_KEYS = line("ka", b"A")
    reports = [
        services.report_file(announcement=window["announcement"], content={"what": f"第{n}件"}).report for n in range(3)
    ]
    settings.XUNCHA_MASTER_KEYS = f"{line('kb', b'B')},{line('ka', b'A')}"
    out = StringIO()
    call_command("intake_rewrap", stdout=out)
    assert "重新封装 3 件" in out.getvalue()
    settings.XUNCHA_MASTER_KEYS = line("kb", b"B")  # the old key retired
    for report in reports:
        report.refresh_from_db()
        assert wrapped_key_id(report.wrapped_key) == "kb"
        assert services.open_json(report, "content")["what"].startswith("第")
    call_command("intake_rewrap", stdout=out)
    assert "重新封装 0 件" in out.getvalue()
    assert AuditEntry.objects.filter(action="intake.report.rewrap").count() == 1
