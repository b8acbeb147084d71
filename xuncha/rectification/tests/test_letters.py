"""Escalation letters (五书制): defaults from the overdue and yellow tasks, the ladder's order
warned but allowed once confirmed, numbers unique, the warning's final deadline, the formal talk,
the Word file; the office issues, the unit reads its own, nobody else sees them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.audit.models import AuditEntry
from xuncha.common.exceptions import ServiceError
from xuncha.documents.tests.docx_checks import body_text, footer_text, open_docx
from xuncha.rectification.models import EscalationLetter, LetterKind, PlanState, Task
from xuncha.rectification.services import letters as services
from xuncha.rectification.services import plans as plan_services


def build_approved(fb):
    """The town's plan approved: task 1 overdue by 5 days, task 2 yellow (5 days left), task 3 long-term."""
    today = timezone.localdate()
    plan = plan_services.plan_create(actor=fb["liaison"], feedback=fb["feedback"])
    first, second = fb["target"].problems.order_by("number")
    rows = [
        (first, "清退违规发放的补贴", "deadline", 30),
        (second, "修订财务报销制度", "deadline", 5),
        (second, "每季度开展财务检查", "long_term", 90),
    ]
    tasks = [
        plan_services.task_add(
            actor=fb["liaison"],
            plan=plan,
            problem=problem,
            measure=measure,
            standard="整改到位",
            horizon=horizon,
            due_on=today + timedelta(days=days),
            lead_dept="镇党政办",
            owner="张某",
        )
        for problem, measure, horizon, days in rows
    ]
    plan_services.plan_transition(obj=plan, action="submit", actor=fb["unit_leader"])
    plan_services.plan_transition(obj=plan, action="start_review", actor=fb["office"])
    plan = plan_services.plan_transition(obj=plan, action="approve", actor=fb["office"])
    Task.objects.filter(pk=tasks[0].pk).update(due_on=today - timedelta(days=5))
    for task in tasks:
        task.refresh_from_db()
    return plan, tasks


@pytest.fixture
def ap(fed_back, world):
    plan, tasks = build_approved(fed_back)
    return {
        **fed_back,
        "plan": plan,
        "tasks": tasks,
        "other_unit": make_user(world.a["dept"], Role.UNIT_LIAISON, scope=world.a["dept"]),
        "other_office": make_user(world.b["dept"], Role.OFFICE_STAFF, scope=world.b["county"]),
        "county_leader": make_user(world.a["dept"], Role.SUPERVISING_LEADER, scope=world.a["town"]),
    }


def issue(ap, kind=LetterKind.NOTICE, **extra):
    data = {
        "doc_no": services.suggest_doc_no(ap["plan"]),
        "body": "请抓紧整改。",
        "tasks": ap["tasks"][:1],
        **extra,
    }
    return services.letter_issue(actor=ap["office"], plan=ap["plan"], kind=kind, **data)


# --- services ---------------------------------------------------------------------------------


def test_defaults_name_the_overdue_and_yellow_tasks(ap):
    plan, tasks = ap["plan"], ap["tasks"]
    assert services.default_tasks(plan) == tasks[:2]  # the long-term task is not due
    body = services.default_body(plan, LetterKind.NOTICE, tasks[:2])
    assert "有2项整改任务已逾期或临近完成时限" in body
    assert "1. " in body and "清退违规发放的补贴" in body and "已逾期5天" in body
    assert "中共甲县委巡察工作领导小组办公室" in body
    year = timezone.localdate().year
    assert services.suggest_doc_no(plan) == f"甲巡办督〔{year}〕1号"
    assert services.next_kind(plan) == LetterKind.NOTICE


def test_issue_records_the_letter_and_suggests_the_next_step(ap):
    letter = issue(ap, body="  请于10个工作日内报送推进情况。  ")
    assert letter.body == "请于10个工作日内报送推进情况。"
    assert list(letter.tasks.all()) == ap["tasks"][:1]
    assert letter.issued_by == ap["office"] and letter.issued_on == timezone.localdate()
    assert letter.final_due is None
    assert services.next_kind(ap["plan"]) == LetterKind.GUIDANCE
    entry = AuditEntry.objects.get(action="rectification.letter.issue")
    assert entry.after["kind"] == "notice" and entry.after["tasks"] == [1] and entry.after["skipped"] == []
    year = timezone.localdate().year
    assert services.suggest_doc_no(ap["plan"]) == f"甲巡办督〔{year}〕2号"


def test_out_of_order_is_warned_then_allowed_once_confirmed(ap):
    issue(ap)
    due = timezone.localdate() + timedelta(days=10)
    with pytest.raises(ServiceError, match="尚未发出阶段整改指导书、催办书，直接发出预警书不符合五书制的顺序"):
        issue(ap, LetterKind.WARNING, final_due=due)
    assert EscalationLetter.objects.count() == 1
    letter = issue(ap, LetterKind.WARNING, final_due=due, confirm_order=True)
    assert letter.final_due == due
    entry = AuditEntry.objects.filter(action="rectification.letter.issue").latest("seq")
    assert entry.after["skipped"] == ["guidance", "reminder"]


def test_warning_needs_a_final_deadline_after_today(ap):
    kwargs = {"confirm_order": True}
    with pytest.raises(ServiceError, match="预警书须写明最后期限"):
        issue(ap, LetterKind.WARNING, **kwargs)
    with pytest.raises(ServiceError, match="最后期限须晚于今天"):
        issue(ap, LetterKind.WARNING, final_due=timezone.localdate(), **kwargs)
    notice = issue(ap, final_due=timezone.localdate() + timedelta(days=3))
    assert notice.final_due is None  # only a warning carries one


def test_doc_number_is_unique(ap):
    issue(ap, doc_no="甲巡办督〔2026〕7号")
    with pytest.raises(ServiceError, match="文号“甲巡办督〔2026〕7号”已被使用"):
        issue(ap, LetterKind.GUIDANCE, doc_no=" 甲巡办督〔2026〕7号 ")
    with pytest.raises(ServiceError, match="请填写文号"):
        issue(ap, LetterKind.GUIDANCE, doc_no="  ")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"body": " \n "}, "请填写督办事项和要求"),
        ({"tasks": []}, "请选择督办文书涉及的整改任务"),
        ({"issued_on": timezone.localdate() + timedelta(days=1)}, "印发日期不能晚于今天"),
        ({"talk_on": timezone.localdate()}, "只有问责建议书记录约谈"),
    ],
)
def test_bad_input_is_refused_with_a_message(ap, extra, message):
    with pytest.raises(ServiceError, match=message):
        issue(ap, **extra)
    assert not EscalationLetter.objects.exists()


def test_only_an_approved_plan_gets_letters(ap):
    type(ap["plan"]).objects.filter(pk=ap["plan"].pk).update(state=PlanState.RETURNED)
    with pytest.raises(ServiceError, match="整改方案审核通过后才能发出督办文书"):
        issue(ap)


def test_only_the_office_issues(ap):
    for user in (ap["liaison"], ap["unit_leader"], ap["county_leader"], ap["other_office"]):
        with pytest.raises(PermissionDenied):
            services.letter_issue(
                actor=user, plan=ap["plan"], kind="notice", doc_no="x1", body="b", tasks=ap["tasks"][:1]
            )


def test_the_formal_talk_of_an_accountability_letter(ap):
    letter = issue(ap, LetterKind.ACCOUNTABILITY, confirm_order=True, talk_on=timezone.localdate() + timedelta(days=2))
    assert letter.talk_on and not letter.talk_record  # scheduled when issued
    talk = {
        "talk_on": timezone.localdate(),
        "talk_place": "县委巡察办会议室",
        "talk_attendees": "巡察办主任、镇党委书记",
    }
    with pytest.raises(ServiceError, match="请填写约谈记录"):
        services.letter_talk(actor=ap["office"], letter=letter, **talk)
    with pytest.raises(ServiceError, match="约谈尚未进行"):
        services.letter_talk(
            actor=ap["office"],
            letter=letter,
            **{**talk, "talk_on": timezone.localdate() + timedelta(days=1), "talk_record": "已约谈"},
        )
    with pytest.raises(PermissionDenied):
        services.letter_talk(actor=ap["liaison"], letter=letter, **talk, talk_record="x")
    letter = services.letter_talk(actor=ap["office"], letter=letter, **talk, talk_record="指出整改不力，提出要求。")
    assert letter.talk_record == "指出整改不力，提出要求。" and letter.talk_place == "县委巡察办会议室"
    entry = AuditEntry.objects.get(action="rectification.letter.talk")
    assert entry.after["talk_record"] == "指出整改不力，提出要求。"
    notice = issue(ap)
    with pytest.raises(ServiceError, match="只有问责建议书记录约谈"):
        services.letter_talk(actor=ap["office"], letter=notice, **talk, talk_record="x")


def test_the_word_file_in_the_official_layout(ap):
    due = timezone.localdate() + timedelta(days=10)
    letter = issue(ap, LetterKind.WARNING, final_due=due, confirm_order=True, body="第一段。\n第二段。")
    export = services.letter_export(actor=ap["liaison"], letter=letter)
    document = open_docx(export.content)
    text = body_text(document)
    assert "巡察整改预警书" in text and letter.doc_no in text
    assert f"{ap['target'].unit.name}：" in text  # no Party organisation recorded: the unit's name
    assert "第一段。\n第二段。" in text
    assert f"最后期限：请务必于{due.year}年{due.month}月{due.day}日前完成" in text
    assert text.count("中共甲县委巡察工作领导小组办公室") >= 2  # the organ's mark and the signature
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert cells[0] == ["序号", "问题", "整改任务", "完成时限", "目前状态"]
    assert cells[1][0] == "1" and cells[1][2] == "清退违规发放的补贴" and "已逾期5天" in cells[1][4]
    assert ap["liaison"].get_full_name() in footer_text(document)
    entry = AuditEntry.objects.get(action="rectification.letter.export")
    assert entry.after["recipient"] == ap["liaison"].get_full_name()
    with pytest.raises(PermissionDenied):
        services.letter_export(actor=ap["other_unit"], letter=letter)


# --- pages ------------------------------------------------------------------------------------


def test_plan_letters_page_per_role(client, ap):
    letter = issue(ap)
    url = reverse("rectification:plan_letters", args=[ap["plan"].pk])
    client.force_login(ap["office"])
    page = client.get(url).content.decode()
    assert "发出督办文书" in page and letter.doc_no in page and "阶段整改指导书" in page and "建议下一步" in page
    client.force_login(ap["liaison"])
    page = client.get(url).content.decode()
    assert letter.doc_no in page and "发出督办文书" not in page
    assert client.get(letter.get_absolute_url()).status_code == 200
    assert client.get(reverse("rectification:letter_add", args=[ap["plan"].pk])).status_code == 404
    # A county leader with no key item here reaches nothing of the unit's plan (issue 13, finding 1).
    for user in (ap["other_unit"], ap["other_office"], ap["county_leader"]):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(letter.get_absolute_url()).status_code == 404
        assert client.get(reverse("rectification:letter_docx", args=[letter.pk])).status_code == 404


def test_issue_from_the_page_with_the_order_confirmation(client, ap):
    client.force_login(ap["office"])
    url = reverse("rectification:letter_add", args=[ap["plan"].pk])
    page = client.get(url).content.decode()
    year = timezone.localdate().year
    assert f"甲巡办督〔{year}〕1号" in page and "已逾期5天" in page and "发出督办通知书" in page
    form = client.get(url + "?kind=reminder").content.decode()
    assert "尚未发出督办通知书、阶段整改指导书" in form and "确认越级发出" in form
    post = {
        "kind": "reminder",
        "doc_no": f"甲巡办督〔{year}〕1号",
        "issued_on": timezone.localdate().isoformat(),
        "tasks": [ap["tasks"][0].pk],
        "body": "请加快推进。",
    }
    refused = client.post(url, post)
    assert refused.status_code == 200 and "确认越级发出" in refused.content.decode()
    assert not EscalationLetter.objects.exists()
    done = client.post(url, {**post, "confirm_order": "on"})
    letter = EscalationLetter.objects.get()
    assert done.status_code == 302 and done["Location"] == letter.get_absolute_url()
    assert letter.kind == LetterKind.REMINDER
    docx = client.get(reverse("rectification:letter_docx", args=[letter.pk]))
    assert docx.status_code == 200 and docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "巡察整改催办书" in body_text(open_docx(docx.content))


def test_record_the_talk_from_the_page(client, ap):
    letter = issue(ap, LetterKind.ACCOUNTABILITY, confirm_order=True)
    client.force_login(ap["office"])
    assert "记录约谈" in client.get(letter.get_absolute_url()).content.decode()
    url = reverse("rectification:letter_talk", args=[letter.pk])
    client.post(url, {"talk_on": timezone.localdate().isoformat(), "talk_place": "会议室", "talk_attendees": "甲、乙"})
    letter.refresh_from_db()
    assert not letter.talk_on  # the record is required: nothing saved
    client.post(
        url,
        {
            "talk_on": timezone.localdate().isoformat(),
            "talk_place": "会议室",
            "talk_attendees": "甲、乙",
            "talk_record": "已约谈",
        },
    )
    letter.refresh_from_db()
    assert letter.talk_record == "已约谈"
    client.force_login(ap["liaison"])
    assert client.post(url, {"talk_record": "x"}).status_code == 404


def test_letter_register_filters_scopes_and_has_bounded_queries(client, ap, world, django_assert_max_num_queries):
    for n in range(12):
        issue(ap, LetterKind.REMINDER if n % 2 else LetterKind.NOTICE, confirm_order=True)
    client.force_login(ap["office"])
    url = reverse("rectification:letter_list")
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    assert "共 12 条" in page and ap["target"].unit.name in page
    assert "共 6 条" in client.get(url + "?kind=reminder").content.decode()
    assert "共 12 条" in client.get(url + f"?unit={ap['target'].unit.pk}").content.decode()
    client.force_login(ap["liaison"])
    assert "共 12 条" in client.get(url).content.decode()
    for user in (ap["other_unit"], ap["other_office"]):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "没有符合条件的督办文书" in page and ap["target"].unit.name not in page


@pytest.mark.parametrize("kind", ["escalation_letter", "rectification_report", "leader_report"])
def test_default_templates_pass_the_upload_check(kind):
    """What an office may upload in their place is checked against the same sample data."""
    from xuncha.documents.kinds import SPECS
    from xuncha.documents.validation import check_template

    check_template(kind, SPECS[kind].default_path.read_bytes())


def test_letter_title_and_organ_in_the_gbt9704_fonts(ap):
    from xuncha.documents.tests.docx_checks import east_asian_font, font_color, font_size_pt, paragraph_with

    document = open_docx(services.letter_export(actor=ap["office"], letter=issue(ap)).content)
    title = paragraph_with(document, "巡察整改督办通知书")
    assert (east_asian_font(title), font_size_pt(title)) == ("方正小标宋简体", 22)
    assert font_color(paragraph_with(document, "中共甲县委巡察工作领导小组办公室")) == "FF0000"
