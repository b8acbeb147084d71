"""Issue 13, finding 4: the feedback opinion kept when feedback is sent is the document as sent,
with no trace line of its own; each download gets exactly one, naming the person downloading."""

import io
import re

import pytest
from django.urls import reverse
from docx import Document

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.common.actors import SYSTEM
from xuncha.documents.models import ExportTrace
from xuncha.files.storage import open_stored
from xuncha.findings.services import feedback as feedback_services
from xuncha.findings.tests.factories import ready_feedback

TRACE_LINE = re.compile(r"本件由 (.+?) 于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 导出")


def _footer_lines(document) -> list[str]:
    lines = []
    for section in document.sections:
        for footer in (section.footer, section.even_page_footer, section.first_page_footer):
            if not footer.is_linked_to_previous:
                lines += [p.text for p in footer.paragraphs if TRACE_LINE.search(p.text)]
    return lines


@pytest.fixture
def sent(approved, site, world):
    # Sent by the system (a scheduled send, or a migration of old data): the stored file used to
    # say "本件由 系统 于 … 导出".
    return feedback_services.feedback_send(actor=SYSTEM, feedback=ready_feedback(site, world))


def test_the_stored_opinion_has_no_trace_line(sent):
    with open_stored(sent.document) as fh:
        document = Document(io.BytesIO(fh.read()))
    assert _footer_lines(document) == []
    assert "系统" not in (document.core_properties.comments or "")


def test_a_download_has_exactly_one_trace_line_naming_the_downloader(client, sent, world):
    liaison = make_user(world.a["dept"], Role.UNIT_LIAISON, scope=world.a["town"])
    client.force_login(liaison)
    response = client.get(reverse("findings:feedback_document", args=[sent.pk]))
    assert response.status_code == 200
    lines = set(_footer_lines(Document(io.BytesIO(response.content))))
    assert len(lines) == 1  # the same line in the odd- and even-page footers
    (line,) = lines
    assert TRACE_LINE.search(line).group(1) == liaison.get_full_name()
    trace = ExportTrace.objects.get(recipient=liaison)
    assert f"追溯码 {trace.code}" in line
    assert trace.source == reverse("findings:feedback_document", args=[sent.pk])
    # The county's office head traces the copy back to the unit's liaison.
    head = make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"])
    client.force_login(head)
    page = client.post(reverse("documents:trace"), {"code": trace.code}).content.decode()
    assert liaison.get_full_name() in page and "巡察反馈意见" in page


def test_a_report_version_is_stored_without_a_trace_and_downloaded_with_one(client, approved, site):
    version = approved.versions.order_by("number").first()  # generated when the draft was created
    with open_stored(version.file) as fh:
        assert _footer_lines(Document(io.BytesIO(fh.read()))) == []
    member = site["users"]["member"]
    client.force_login(member)
    response = client.get(reverse("findings:version_download", args=[approved.pk, version.number]))
    (line,) = set(_footer_lines(Document(io.BytesIO(response.content))))
    assert TRACE_LINE.search(line).group(1) == member.get_full_name()
