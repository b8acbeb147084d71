"""The two reports: generated from the data (problems, tasks, states, evidence, rate, rules, money,
the life meeting, accountability, open and long-term items), submitted once per kind by the right
person, kept as sent and handed out with the recipient's trace line."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from xuncha.audit.models import AuditEntry
from xuncha.common.exceptions import ServiceError
from xuncha.documents.tests.docx_checks import body_text, footer_text, open_docx
from xuncha.fieldwork.tests.factories import pdf
from xuncha.rectification.models import (
    Accountability,
    LifeMeeting,
    Mechanism,
    MoneyRecovery,
    PlanReport,
    PlanState,
    RectificationPlan,
    Task,
)
from xuncha.rectification.services import reports as services
from xuncha.rectification.services import tasks as task_services
from xuncha.rectification.tests.test_letters import ap  # noqa: F401  (fixture)


@pytest.fixture
def results(ap):  # noqa: F811
    """Task 1 closed with evidence (problem 1 done), the main leader leads it; rules, money, the
    life meeting and one accountability recorded."""
    plan, tasks, today = ap["plan"], ap["tasks"], timezone.localdate()
    first = tasks[0]
    Task.objects.filter(pk=first.pk).update(leader=ap["feedback"].main_leader)
    task_services.task_transition(
        obj=first, action="request", actor=ap["liaison"], data={"text": "已清退", "uploads": [pdf(), pdf("b.pdf")]}
    )
    task_services.task_transition(obj=first, action="close", actor=ap["office"], data={"text": "核验属实"})
    Mechanism.objects.create(
        plan=plan, task=first, title="青山镇津贴补贴发放管理办法", doc_no="青发〔2026〕5号", issued_on=today
    )
    MoneyRecovery.objects.create(plan=plan, amount=Decimal("1000"), description="追回补贴", recovered_on=today)
    MoneyRecovery.objects.create(plan=plan, amount=Decimal("2500.50"), description="追回奖金", recovered_on=today)
    LifeMeeting.objects.create(
        plan=plan,
        held_on=today,
        place="镇党委会议室",
        chaired_by="王书记",
        attendees="镇党委班子成员",
        summary="逐一对照检查，开展批评和自我批评。",
    )
    record = Accountability.objects.create(
        plan=plan,
        subject_kind="cadre",
        subject_name="李某",
        position="财政所所长",
        form="admonish",
        deciding_body="县纪委监委",
        doc_no="甲纪〔2026〕9号",
        decided_on=today,
    )
    record.problems.set([first.problem])
    return ap


def _text(export) -> str:
    return body_text(open_docx(export.content))


def test_unit_report_reads_back_with_its_figures(results):
    fb = results
    text = _text(services.report_draft(actor=fb["liaison"], plan=fb["plan"], kind="unit"))
    unit = fb["target"].unit.name
    assert f"{unit}关于" in text and "反馈意见整改情况的报告" in text
    assert "反馈的2个问题已完成整改1个，整改完成率50.0%" in text
    assert "制定整改任务3项，已销号1项、阶段性完成0项、正在整改2项（其中逾期0项）" in text
    assert "建立完善制度1项" in text and "青山镇津贴补贴发放管理办法（新建，青发〔2026〕5号" in text
    assert "挽回（追缴）经济损失共计3,500.50元" in text and "追回奖金，2,500.50元" in text
    assert "在镇党委会议室召开巡察整改专题民主生活会，由王书记主持" in text
    assert "李某（财政所所长）：诫勉，县纪委监委（甲纪〔2026〕9号）" in text
    for problem in fb["target"].problems.all():
        assert problem.title.rstrip("。") in text
    assert "清退违规发放的补贴（限期整改" in text and "已销号" in text and "佐证材料2份" in text
    assert "尚有1项整改任务未完成" in text and "修订财务报销制度" in text  # the open item, with its next step
    assert "每季度开展财务检查" in text and "需长期坚持" in text
    entry = AuditEntry.objects.get(action="rectification.report.export")
    assert entry.after["kind"] == "unit" and entry.after["draft"] is True


def test_leader_report_in_the_main_leaders_voice(results):
    fb = results
    text = _text(services.report_draft(actor=fb["unit_leader"], plan=fb["plan"], kind="leader"))
    leader = fb["plan"].signed_by.name
    assert "我作为" in text and "巡察整改第一责任人" in text
    assert "对以下整改任务，我亲自担任责任领导" in text and "1. 清退违规发放的补贴（已销号）" in text
    assert text.rstrip().split("\n")[-2] == leader  # signed by the main leader


def test_overdue_tasks_are_named_in_the_open_items(ap):  # noqa: F811
    text = _text(services.report_draft(actor=ap["office"], plan=ap["plan"], kind="unit"))
    assert "其中逾期1项" in text and "已逾期5天，正加快推进" in text
    assert "尚未召开巡察整改专题民主生活会" in text and "暂未开展问责" in text


def test_submit_once_per_kind_by_the_right_person(ap):  # noqa: F811
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=ap["liaison"], plan=ap["plan"], kind="leader")  # the main leader's own act
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=ap["office"], plan=ap["plan"], kind="unit")
    report = services.report_submit(actor=ap["liaison"], plan=ap["plan"], kind="unit")
    assert report.submitted_on == timezone.localdate() and report.file.kind == "docx"
    assert report.submitted_by == ap["liaison"]
    with pytest.raises(ServiceError, match="整改情况报告已经报送，不能重复报送"):
        services.report_submit(actor=ap["unit_leader"], plan=ap["plan"], kind="unit")
    leader = services.report_submit(actor=ap["unit_leader"], plan=ap["plan"], kind="leader")
    assert PlanReport.objects.count() == 2 and leader.kind == "leader"
    entry = AuditEntry.objects.filter(action="rectification.report.submit").order_by("seq").first()
    assert (
        entry.after["kind"] == "unit" and entry.after["late"] is False and entry.after["sha256"] == report.file.sha256
    )
    with pytest.raises(ServiceError, match="报告类别不正确"):
        services.report_submit(actor=ap["liaison"], plan=ap["plan"], kind="other")


def test_only_an_approved_plan_reports(ap):  # noqa: F811
    RectificationPlan.objects.filter(pk=ap["plan"].pk).update(state=PlanState.IN_REVIEW)
    with pytest.raises(ServiceError, match="整改方案审核通过后才能报送整改报告"):
        services.report_submit(actor=ap["liaison"], plan=ap["plan"], kind="unit")
    assert not PlanReport.objects.exists()


def test_submitted_file_is_handed_out_with_the_recipients_trace(ap):  # noqa: F811
    report = services.report_submit(actor=ap["liaison"], plan=ap["plan"], kind="unit")
    export = services.report_file_export(actor=ap["office"], report=report)
    document = open_docx(export.content)
    assert ap["office"].get_full_name() in footer_text(document)
    assert "整改情况的报告" in body_text(document)
    entry = AuditEntry.objects.filter(action="rectification.report.export").latest("seq")
    assert entry.after["draft"] is False and entry.after["recipient"] == ap["office"].get_full_name()
    with pytest.raises(PermissionDenied):
        services.report_file_export(actor=ap["other_unit"], report=report)


# --- pages ------------------------------------------------------------------------------------


def test_reports_page_due_date_submit_and_download(client, ap):  # noqa: F811
    url = reverse("rectification:plan_reports", args=[ap["plan"].pk])
    client.force_login(ap["liaison"])
    page = client.get(url).content.decode()
    assert "应于" in page and "前报送" in page and "下载草稿" in page
    assert page.count(">报送</button>") == 1  # the liaison submits the unit's report, not the leader's
    draft = client.get(reverse("rectification:report_docx", args=[ap["plan"].pk, "unit"]))
    assert draft.status_code == 200 and "整改情况的报告" in body_text(open_docx(draft.content))
    assert client.get(reverse("rectification:report_docx", args=[ap["plan"].pk, "nope"])).status_code == 404
    client.post(reverse("rectification:report_submit", args=[ap["plan"].pk, "unit"]))
    report = PlanReport.objects.get()
    page = client.get(url).content.decode()
    assert "已报送" in page and "下载已报送文本" in page
    client.force_login(ap["office"])
    assert client.get(reverse("rectification:report_file", args=[report.pk])).status_code == 200
    for user in (ap["other_unit"], ap["other_office"]):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(reverse("rectification:report_file", args=[report.pk])).status_code == 404
        assert client.get(reverse("rectification:report_docx", args=[ap["plan"].pk, "unit"])).status_code == 404


def test_late_reports_show_in_red(client, ap):  # noqa: F811
    feedback = ap["feedback"]
    type(feedback).objects.filter(pk=feedback.pk).update(sent_on=timezone.localdate() - timedelta(days=100))
    client.force_login(ap["liaison"])
    page = client.get(reverse("rectification:plan_reports", args=[ap["plan"].pk])).content.decode()
    assert "text-danger" in page and "未报送，已超过" in page
