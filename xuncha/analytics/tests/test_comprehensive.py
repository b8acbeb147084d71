"""The comprehensive report to the secretary's meeting (巡察综合报告): the same figures as the
situation report for the hand-counted round, one subsection per unit with its problems, no problem
titles for the upper office, who may have it, and its generation job."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from xuncha.analytics import situation_jobs
from xuncha.analytics.documents.contexts import comprehensive_context, situation_context
from xuncha.analytics.selectors import figures as f
from xuncha.analytics.selectors import figures_units as fu
from xuncha.analytics.situation import comprehensive_figures, situation_figures
from xuncha.analytics.situation_exports import comprehensive_docx_export, situation_docx_export
from xuncha.analytics.tests.figures_fixture import HAND, situation_round
from xuncha.audit.models import AuditEntry
from xuncha.documents.models import DocumentJob
from xuncha.documents.tests.docx_checks import body_text, east_asian_font, footer_text, open_docx, paragraph_with
from xuncha.documents.trace import strip_fingerprints
from xuncha.plans.tests.factories import make_round

SHARED_SECTIONS = ("activity", "findings", "transfers", "rectification", "suggestions")


@pytest.fixture
def sr(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return situation_round(world)


def _all_text(document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return body_text(document) + "\n" + "\n".join(cells)


def _paragraph_after(document, heading: str) -> str:
    texts = [strip_fingerprints(p.text) for p in document.paragraphs]  # as read: each copy's marks differ
    return texts[texts.index(heading) + 1]


def test_the_figures_are_the_situation_reports(sr):
    office, rnd = sr["office"], sr["round"]
    situation = situation_figures(user=office, rnd=rnd)
    comprehensive = comprehensive_figures(user=office, rnd=rnd)
    for section in SHARED_SECTIONS:
        assert comprehensive[section] == situation[section], section
    today = timezone.localdate()
    words = situation_context(situation, rnd.jurisdiction, today=today)
    ours = comprehensive_context(comprehensive, rnd.jurisdiction, today=today)
    for key in ("a", "p", "t", "by_receiver", "suggestions", "period", "as_of", "round_name"):
        assert ours[key] == words[key], key


def test_the_documents_say_the_same_numbers(sr):
    office, rnd = sr["office"], sr["round"]
    situation = open_docx(situation_docx_export(actor=office, rnd=rnd).content)
    document = open_docx(comprehensive_docx_export(actor=office, rnd=rnd).content)
    # Sections 一 and 三: the very same sentences under the comprehensive report's headings.
    assert _paragraph_after(document, "一、巡察工作基本情况") == _paragraph_after(situation, "一、基本情况")
    assert _paragraph_after(document, "三、问题线索和有关事项移交情况") == _paragraph_after(
        situation, "三、问题线索移交情况"
    )
    text, other = _all_text(document), _all_text(situation)
    for phrase in (
        "共派出2个巡察组，对3个党组织开展巡察（其中村（社区）1个）",
        "开展个别谈话4人次，调阅资料2批次，实地走访1次，开展专项检查1次、问卷调查和民主测评1次",
        "受理信访举报7件，其中属于巡察受理范围3件、按规定转交有关部门1件；形成问题底稿4份",
        "下发立行立改通知3份，已整改验收1份",
        "共移交问题线索和有关事项4件、涉及6人，其中问题线索2件、涉及3人",
        "谈话函询1件、初步核实1件、督促整改1件",
        "移交事项中有1件超过期限尚未反馈办理结果",
        "甲县纪委监委\n2\n3",
        "“雁过拔毛”问题在2个单位重复出现，建议交由行业主管部门开展专项整治",
        "对甲县青山镇、甲县青山村2个单位逾期未完成的2项整改任务",
    ):
        assert phrase in text and phrase in other, phrase
    assert "本轮巡察共发现问题4个，其中一般2个、较重1个、严重1个" in text
    assert f"关于{rnd.name}情况的综合报告" in text  # the round's name, not "第一轮" (issue 16)
    for heading in (
        "一、巡察工作基本情况",
        "二、各被巡察单位发现的主要问题",
        "三、问题线索和有关事项移交情况",
        "四、意见建议",
    ):
        assert east_asian_font(paragraph_with(document, heading)) == "黑体"
    assert "中共甲县委巡察工作领导小组办公室" in text
    assert office.get_full_name() in footer_text(document)
    entry = AuditEntry.objects.get(action="documents.export", after__kind="comprehensive_report")
    assert entry.target_id == str(rnd.pk) and entry.after["template"] == "default"


def test_each_unit_has_its_subsection_with_its_problem_titles(sr):
    text = _all_text(open_docx(comprehensive_docx_export(actor=sr["office"], rnd=sr["round"]).content))
    items = [item.text for item in sr["items"]]
    town = (
        f"（一）甲县青山镇。由第一巡察组巡察，发现问题3个，主要是：\n{items[0]}方面：\n"
        f"1. 侵占群众补贴。\n2. 会议记录不规范。\n{items[2]}方面：\n3. 违规发放津贴补贴。"  # numbered through
    )
    village = f"（二）甲县青山村。由第一巡察组巡察，发现问题1个，主要是：\n{items[0]}方面：\n1. 村干部优亲厚友。"
    assert town in text and village in text
    assert "（三）甲县财政局。由第二巡察组巡察，发现问题0个。" in text
    # 四: feedback per unit (the table) and in a sentence.
    assert "已反馈巡察意见2个，尚未反馈的有甲县财政局" in text
    assert "甲县青山镇\n第一巡察组\n3\n已反馈" in text and "甲县财政局\n第二巡察组\n0\n尚未反馈" in text


def test_the_per_unit_counts_add_up_to_the_rounds(sr):
    office, rnd = sr["office"], sr["round"]
    rows = fu.problems_by_unit(office, rnd)
    assert [(row["label"], row["team"], row["n"], row["fed_back"]) for row in rows] == [
        ("甲县青山镇", "第一巡察组", 3, True),
        ("甲县青山村", "第一巡察组", 1, True),
        ("甲县财政局", "第二巡察组", 0, False),
    ]
    assert sum(row["n"] for row in rows) == f.problems_by_severity(office, rnd)["total"] == 4
    assert len(rows) == HAND["targets"]
    village = sr["village_target"]
    assert (
        fu.problems_by_unit(office, rnd, village.unit)[0]["n"]
        == f.problems_by_severity(office, rnd, village.unit)["total"]
    )
    assert sum(row["fed_back"] for row in rows) == HAND["plans"]["fed_back"]


def test_the_selectors_take_a_fixed_number_of_queries(sr, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        fu.problems_by_unit(sr["office"], sr["round"])
    with django_assert_max_num_queries(5):
        fu.problem_titles_by_unit(sr["office"], sr["round"])


def test_the_upper_office_gets_no_comprehensive_report(sr):
    """Issue 13, finding 8: the report to the secretary's meeting is the county's; the city office
    gets aggregates on its dashboard, not a unit-by-unit account of a county's round."""
    assert fu.problem_titles_by_unit(sr["upper"], sr["round"]) == {}
    with pytest.raises(PermissionDenied):
        comprehensive_docx_export(actor=sr["upper"], rnd=sr["round"])


def test_an_empty_round_renders(world):
    from xuncha.accounts.permissions import Role
    from xuncha.accounts.tests.factories import make_user

    office = make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])
    rnd = make_round(world.a["county"], number=7)
    text = _all_text(open_docx(comprehensive_docx_export(actor=office, rnd=rnd).content))
    assert "本轮巡察共发现问题0个。" in text and "本轮尚未确定被巡察单位" in text
    assert "本轮0个被巡察单位中已反馈巡察意见0个。" in text


@pytest.mark.parametrize(
    ("who", "status"), [("office", 200), ("upper", 404), ("other_office", 404), ("unit_user", 404)]
)
def test_who_may_have_it(sr, client, who, status):
    client.force_login(sr[who])
    rnd = sr["round"]
    assert client.get(reverse("analytics:situation_comprehensive_docx", args=[rnd.pk])).status_code == status
    start = client.post(reverse("analytics:situation_job_start", args=[rnd.pk]), {"format": "comprehensive"})
    assert start.status_code == (302 if status == 200 else 404)


def test_the_page_offers_it_as_a_third_format(sr, client):
    client.force_login(sr["office"])
    page = client.get(reverse("analytics:round_situation", args=[sr["round"].pk])).content.decode()
    assert 'value="comprehensive"' in page and "综合报告（Word）" in page


def test_the_job_shows_its_steps_and_produces_the_report(sr, client):
    client.force_login(sr["office"])
    start = client.post(
        reverse("analytics:situation_job_start", args=[sr["round"].pk]),
        {"format": "comprehensive"},
        headers={"HX-Request": "true"},
    )
    job = DocumentJob.objects.get()
    assert job.kind == "situation_comprehensive" and job.steps_total == 6
    assert "综合报告（Word）已排队" in start.content.decode()
    status = reverse("analytics:situation_job_status", args=[job.pk])
    # The worker's progress as the page shows it: the step it is on, then the file.
    DocumentJob.objects.filter(pk=job.pk).update(started_at=timezone.now(), steps_done=4)
    assert "汇总各被巡察单位发现的问题" in client.get(status, headers={"HX-Request": "true"}).content.decode()
    DocumentJob.objects.filter(pk=job.pk).update(started_at=None, steps_done=0)
    assert situation_jobs.situation_job_run.call(str(job.pk)) == "done"
    body = client.get(status, headers={"HX-Request": "true"}).content.decode()
    assert "every 2s" not in body and "综合报告（Word）已生成" in body
    download = client.get(reverse("analytics:situation_job_download", args=[job.pk]))
    assert "comprehensive-report.docx" in download["Content-Disposition"]
    text = _all_text(open_docx(download.content))
    assert f"关于{sr['round'].name}情况的综合报告" in text and "1. 村干部优亲厚友。" in text
    assert AuditEntry.objects.filter(action="documents.export", after__kind="comprehensive_report").count() == 1
