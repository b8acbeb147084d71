"""Issue 16, finding 4: a returned report's new version could not be compared with the old one, and a
version regenerated with nothing changed counted as "new" (so a return could be answered by
pressing the button again).

Now every version keeps what it says (the written parts, the problems, its paragraphs) and a hash
of it; a version that says what the one before it said is refused; and a page shows what changed
between two versions, problem by problem and paragraph by paragraph."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from xuncha.audit.models import AuditEntry
from xuncha.common.exceptions import ServiceError
from xuncha.documents.trace import strip_fingerprints
from xuncha.files.storage import open_stored
from xuncha.findings.compare import compare_versions, version_content
from xuncha.findings.documents.content import content_hash, paragraphs_of
from xuncha.findings.models import ReportVersion
from xuncha.findings.services import problems as problem_services
from xuncha.findings.services import reports as services
from xuncha.findings.services import sections as section_services
from xuncha.findings.tests.factories import DECISION, draft, office_user, problem, walk, written

SAME = "与上一稿内容相同，请修改后再生成新稿。"


@pytest.fixture
def report(site):
    problem(site, title="违规发放津贴补贴", description="2025年违规发放补贴3.2万元。")
    problem(site, item=2, title="选人用人不规范", description="2024年提拔干部未经民主推荐。")
    return draft(site)


def _returned(report, site, world):
    report = walk(report, site, world, until="pass_leader")
    return services.draft_transition(
        obj=report, action="return_review", actor=office_user(world), data={**DECISION, "decision": "请核实金额。"}
    )


def _docx(version) -> bytes:
    with open_stored(version.file) as fh:
        return fh.read()


def _upload(data: bytes, name: str = "修改稿.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def _edited(data: bytes, old: str, new: str) -> bytes:
    """The Word file with one paragraph's text replaced, as the team would edit it."""
    document = Document(io.BytesIO(data))
    for paragraph in document.paragraphs:
        if strip_fingerprints(paragraph.text) == old:
            for run in paragraph.runs[1:]:
                run.text = ""
            paragraph.runs[0].text = new
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- a new version must differ ------------------------------------------------------------------


def test_regenerating_with_nothing_changed_is_refused(report, site, world):
    member = site["users"]["member"]
    with pytest.raises(ServiceError, match=SAME):
        services.version_generate(actor=member, report=report)
    report = _returned(report, site, world)
    with pytest.raises(ServiceError, match=SAME):
        services.version_generate(actor=member, report=report)
    assert report.versions.count() == 1
    # a changed part makes a new version, with its own hash
    section_services.report_sections_save(
        actor=member, report=report, texts={"suggestions": "建议镇党委健全财务制度，严格审批。"}
    )
    second = services.version_generate(actor=member, report=report)
    first = report.versions.get(number=1)
    assert second.number == 2 and second.content_hash and second.content_hash != first.content_hash
    report = services.draft_transition(obj=report, action="submit", actor=member)
    assert report.state == "team_meeting"


def test_the_hash_leaves_out_the_date_of_signing():
    assert content_hash(["正文。", "2026年3月8日"]) == content_hash(["正文。", "2026年3月9日"])
    assert content_hash(["正文。"]) != content_hash(["正文，改。"])


def _docx_of(*lines: str) -> bytes:
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_the_copy_number_and_trace_marks_are_not_content():
    stored = paragraphs_of(_docx_of("××××××", "秘密", "正文。"))
    copy = paragraphs_of(_docx_of("000001", "秘密", "正\u200d\u200b\u200c\u200d文。"))
    assert stored == copy == ["秘密", "正文。"]
    assert paragraphs_of(_docx_of("秘密", "标题", "正文", "123456")) == ["秘密", "标题", "正文", "123456"]


def test_uploading_the_same_text_again_is_refused_even_as_a_download(client, report, site, world):
    member = site["users"]["member"]
    report = _returned(report, site, world)
    # the copy the team downloads carries its trace line and invisible marks: still the same text
    client.force_login(member)
    downloaded = client.get(reverse("findings:version_download", args=[report.pk, 1])).content
    with pytest.raises(ServiceError, match=SAME):
        services.version_upload(actor=member, report=report, upload=_upload(downloaded), note="未改")
    before = "1. 违规发放津贴补贴。2025年违规发放补贴3.2万元。"
    edited = _edited(downloaded, before, before.replace("3.2", "2.8"))
    version = services.version_upload(actor=member, report=report, upload=_upload(edited), note="核实金额")
    assert version.number == 2 and version.source == "uploaded"
    problems = version.snapshot["problems"]
    assert [(p["number"], p["title"]) for p in problems] == [(1, "违规发放津贴补贴"), (2, "选人用人不规范")]
    assert problems[0]["text"] == "2025年违规发放补贴2.8万元。"
    assert version.snapshot["sections"]["suggestions"] == written("inspection")["suggestions"]


# --- the comparison -----------------------------------------------------------------------------


def _second(report, site, world):
    """Returned; problem 1's amount corrected, problem 2 withdrawn, a new problem; suggestions rewritten."""
    member = site["users"]["member"]
    report = _returned(report, site, world)
    first, second = report.target.problems.order_by("number")
    problem_services.problem_update(actor=member, problem=first, description="2025年违规发放补贴2.8万元。")
    problem_services.problem_delete(actor=member, problem=second)
    problem(site, item=1, title="村务公开不及时", description="2025年村务未按季度公开。")
    section_services.report_sections_save(
        actor=member, report=report, texts={"suggestions": "建议镇党委健全财务制度。<script>x</script>"}
    )
    services.version_generate(actor=member, report=report)
    return report


def test_problem_by_problem_and_paragraph_by_paragraph(report, site, world):
    report = _second(report, site, world)
    old, new = report.versions.get(number=1), report.versions.get(number=2)
    result = compare_versions(report, old, new)
    status = {row.title: row.status for row in result.problems}
    assert status == {"违规发放津贴补贴": "changed", "选人用人不规范": "removed", "村务公开不及时": "added"}
    changed = next(row for row in result.problems if row.status == "changed")
    assert ("delete", "3.2") in changed.text and ("insert", "2.8") in changed.text
    sections = {row.key: row for row in result.sections}
    assert not sections["overview"].changed and sections["suggestions"].changed
    assert result.summary == {"added": 1, "removed": 1, "changed": 1, "sections": 1}
    kinds = {row.kind for row in result.paragraphs}
    assert {"equal", "change", "delete", "insert"} <= kinds


def test_the_page_marks_insertions_and_deletions_and_escapes_the_text(
    client, report, site, world, django_assert_max_num_queries
):
    report = _second(report, site, world)
    client.force_login(site["users"]["member"])
    detail = client.get(reverse("findings:draft_detail", args=[report.pk])).content.decode()
    url = reverse("findings:version_compare", args=[report.pk, 1, 2])
    assert url in detail and "与上一稿比较" in detail
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    assert "第1稿" in page and "第2稿" in page and "问题逐条比较" in page and "逐段比较" in page
    assert '<del class="xc-diff-del">3.2</del>' in page and '<ins class="xc-diff-ins">2.8</ins>' in page
    assert "新增" in page and "删除" in page and "修改" in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x</script>" not in page
    entry = AuditEntry.objects.filter(action="findings.draft.compare").get()
    assert entry.after == {"from": 1, "to": 2}


def test_a_version_without_a_snapshot_is_read_from_its_file(report, site, world):
    report = _second(report, site, world)
    ReportVersion.objects.filter(report=report, number=1).update(snapshot={}, content_hash="")
    old = report.versions.get(number=1)
    content = version_content(report, old)
    assert content["paragraphs"] == paragraphs_of(_docx(old))
    assert [p["title"] for p in content["problems"]] == ["违规发放津贴补贴", "选人用人不规范"]
    result = compare_versions(report, old, report.versions.get(number=2))
    assert {row.title: row.status for row in result.problems}["选人用人不规范"] == "removed"
    # and a new version is still checked against it
    with pytest.raises(ServiceError, match=SAME):
        services.version_upload(
            actor=site["users"]["member"], report=report, upload=_upload(_docx(report.versions.get(number=2))), note="x"
        )


def test_unknown_versions_are_not_found(client, report, site):
    client.force_login(site["users"]["member"])
    assert client.get(reverse("findings:version_compare", args=[report.pk, 1, 9])).status_code == 404
    assert client.get(reverse("findings:version_compare", args=[report.pk, 1, 1])).status_code == 404


def test_the_report_page_does_not_grow_with_its_versions(client, report, site, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("findings:draft_detail", args=[report.pk])
    client.force_login(site["users"]["member"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.get(url)  # sessions, caches
    one = count()
    report = _second(report, site, world)
    assert count() == one  # two versions (and a decision, a comparison link): no more queries


def test_a_version_whose_file_cannot_be_read_is_said_so(client, report, site, world):
    from xuncha.fieldwork.models import PaperEvidence

    report = _second(report, site, world)
    pdf = PaperEvidence.objects.select_related("file").first().file  # not a Word file
    ReportVersion.objects.filter(report=report, number=1).update(snapshot={}, content_hash="", file=pdf)
    client.force_login(site["users"]["member"])
    page = client.get(reverse("findings:version_compare", args=[report.pk, 1, 2]))
    assert page.status_code == 200 and "第1稿的文件无法读取" in page.content.decode()
    assert services.stored_hash(report.versions.get(number=1)) == ""
