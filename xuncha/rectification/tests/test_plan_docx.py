"""The plan as a Word document (整改方案): its three lists as tables in the GB/T 9704 layout, read
back with python-docx; the unit and the office get it, nobody else; every download is audited."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from xuncha.audit.models import AuditEntry
from xuncha.documents import registry
from xuncha.documents.contexts import cn_date
from xuncha.documents.kinds import SPECS, DocumentKind
from xuncha.documents.services import DOCX_CONTENT_TYPE
from xuncha.documents.tests.docx_checks import (
    body_text,
    east_asian_font,
    font_size_pt,
    footer_text,
    open_docx,
    paragraph_with,
)
from xuncha.documents.tests.test_layout import _differences
from xuncha.documents.validation import check_template
from xuncha.rectification.documents.contexts import unit_org
from xuncha.rectification.documents.plan import plan_context
from xuncha.rectification.models import Task
from xuncha.rectification.services import plans as plan_services
from xuncha.rectification.services import reports as services
from xuncha.rectification.tests.test_letters import ap  # noqa: F401  (fixture)

KIND = DocumentKind.RECTIFICATION_PLAN


@pytest.fixture
def owned(ap):  # noqa: F811
    """Task 1 led by the main leader with a co-operating department; the others have neither."""
    Task.objects.filter(pk=ap["tasks"][0].pk).update(leader=ap["feedback"].main_leader, coop_depts="镇财政所")
    return ap


def _tables(document) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def test_plan_docx_has_the_three_lists(owned):
    plan, tasks = owned["plan"], owned["tasks"]
    document = open_docx(services.plan_docx_export(actor=owned["liaison"], plan=plan).content)
    text = body_text(document)
    org, round_name = unit_org(owned["target"].unit), owned["target"].round.name
    title = paragraph_with(document, f"{org}关于{round_name}反馈意见的整改方案")
    assert (east_asian_font(title), font_size_pt(title)) == ("方正小标宋简体", 22)
    for heading in ("一、问题清单", "二、任务清单", "三、责任清单"):
        assert (
            east_asian_font(paragraph_with(document, heading)),
            font_size_pt(paragraph_with(document, heading)),
        ) == (
            "黑体",
            16,
        )
    assert f"{cn_date(owned['feedback'].sent_on)}，" in text and "指出问题2个" in text and "制定整改任务3项" in text
    signed = f"经主要负责人{plan.signed_by.name}于{cn_date(plan.signed_on)}签批"
    assert "本方案为第1版（审核通过）" in text and signed in text
    assert text.rstrip().split("\n")[-2:] == [org, cn_date(plan.signed_on)]  # the issuing unit and date

    problems, task_list, owners = _tables(document)
    assert problems[0] == ["序号", "反馈问题", "具体表现"]
    expected = [[str(p.number), p.title, p.description] for p in owned["target"].problems.order_by("number")]
    assert problems[1:] == expected  # verbatim, numbered
    assert task_list[0] == ["序号", "对应问题", "整改措施", "完成标准", "时限类型", "完成时限"]
    assert owners[0] == ["序号", "整改措施", "责任领导", "牵头部门", "配合部门", "具体责任人"]
    assert len(task_list) == len(owners) == 1 + len(tasks)
    for task in tasks:
        row = next(r for r in task_list[1:] if r[0] == str(task.number))
        assert row[1] == f"{task.problem.number}. {task.problem.title}"
        assert row[2:] == [task.measure, task.standard, str(task.get_horizon_display()), cn_date(task.due_on)]
        owner_row = next(r for r in owners[1:] if r[0] == str(task.number))
        assert owner_row[1] == task.measure and owner_row[3:4] + owner_row[5:] == [task.lead_dept, task.owner]
    first = next(r for r in owners[1:] if r[0] == str(tasks[0].number))
    assert first[2] == owned["feedback"].main_leader.name and first[4] == "镇财政所"
    assert [r[2] for r in owners[1:] if r[0] != str(tasks[0].number)] == ["—", "—"]  # no leader named


def test_a_draft_plan_without_tasks_says_so(fed_back):
    plan = plan_services.plan_create(actor=fed_back["liaison"], feedback=fed_back["feedback"])
    document = open_docx(services.plan_docx_export(actor=fed_back["liaison"], plan=plan).content)
    text = body_text(document)
    assert "本方案为第1版（编制中），尚未经主要负责人签批。" in text
    assert "制定整改任务0项" in text and "尚未制定整改任务。" in text
    assert len(document.tables) == 1  # the problems only
    for problem in fed_back["target"].problems.all():
        assert problem.title in _tables(document)[0][problem.number]


def test_the_export_is_audited_with_the_recipients_trace(ap):  # noqa: F811
    export = services.plan_docx_export(actor=ap["office"], plan=ap["plan"])
    assert export.filename == f"整改方案-{ap['target'].unit.name}.docx"
    assert ap["office"].get_full_name() in footer_text(open_docx(export.content))
    entry = AuditEntry.objects.get(action="rectification.plan.export_docx")
    assert entry.after["sha256"] == hashlib.sha256(export.content).hexdigest()
    assert entry.after["recipient"] == ap["office"].get_full_name() and entry.after["template"] == "default"
    assert entry.after["version"] == 1 and entry.after["state"] == "approved"
    with pytest.raises(PermissionDenied):
        services.plan_docx_export(actor=ap["other_unit"], plan=ap["plan"])
    assert AuditEntry.objects.filter(action="rectification.plan.export_docx").count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [("office", 200), ("liaison", 200), ("unit_leader", 200), ("other_unit", 404), ("other_office", 404)],
)
def test_who_downloads_the_plan(client, ap, who, status, django_assert_max_num_queries):  # noqa: F811
    url = reverse("rectification:plan_docx", args=[ap["plan"].pk])
    client.force_login(ap[who])
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == status
    exported = AuditEntry.objects.filter(action="rectification.plan.export_docx").count()
    if status == 200:
        assert response["Content-Type"] == DOCX_CONTENT_TYPE
        assert "attachment" in response["Content-Disposition"]
        assert "三、责任清单" in body_text(open_docx(response.content))
        assert exported == 1
    else:
        assert exported == 0


def test_plan_page_offers_the_word_export(client, ap):  # noqa: F811
    client.force_login(ap["liaison"])
    page = client.get(ap["plan"].get_absolute_url()).content.decode()
    assert reverse("rectification:plan_docx", args=[ap["plan"].pk]) in page and "导出整改方案（Word）" in page
    assert client.post(reverse("rectification:plan_docx", args=[ap["plan"].pk])).status_code == 405


def test_sample_context_has_the_shape_of_the_real_one(owned):
    real = plan_context(owned["plan"], today=owned["plan"].signed_on)
    assert _differences(registry.sample_context(KIND), real) == []


def test_default_template_passes_the_upload_check():
    check_template(KIND, SPECS[KIND].default_path.read_bytes())
