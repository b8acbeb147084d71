"""Test data for findings: a round on site with the 四个落实 list, signed papers, problems."""

from __future__ import annotations

from datetime import date

from xuncha.common.actors import SYSTEM
from xuncha.fieldwork.services import papers as paper_services
from xuncha.fieldwork.tests.factories import on_site, pdf
from xuncha.findings.focus_seed import load as load_focus_lists
from xuncha.findings.models import FocusItem, FocusList
from xuncha.findings.services import problems as problem_services
from xuncha.plans.models import Round


def with_focus_list(site: dict) -> dict:
    load_focus_lists()  # normally there from migration 0002; a transactional test's flush removes them
    focus = FocusList.objects.get(name="四个落实", version=1, jurisdiction=None)
    Round.objects.filter(pk=site["round"].pk).update(focus_list=focus)
    site["round"].refresh_from_db()
    items = list(FocusItem.objects.filter(focus_list=focus, parent=None).order_by("position"))
    return {**site, "focus": focus, "items": items}


def findings_site(world) -> dict:
    return with_focus_list(on_site(world))


def signed_paper(site: dict, title: str = "违规发放津贴补贴", target=None, facts: str = "2025年违规发放补贴3.2万元。"):
    member = site["users"]["member"]
    paper = paper_services.paper_create(
        actor=member,
        team=site["team"],
        target=target or site["target"],
        title=title,
        facts=facts,
        basis="《中国共产党纪律处分条例》",
        resp_principal=True,
    )
    paper_services.paper_evidence_add(actor=member, paper=paper, uploads=[pdf()], description="发放表")
    paper_services.paper_transition(obj=paper, action="submit", actor=member)
    paper_services.paper_transition(obj=paper, action="approve", actor=SYSTEM, data={"comment": "同意"})
    paper_services.paper_transition(obj=paper, action="sign", actor=SYSTEM)
    paper.refresh_from_db()
    return paper


def problem(site: dict, paper=None, item=0, **data):
    defaults = {"title": "违规发放津贴补贴", "description": "2025年违规发放补贴3.2万元。", "disciplines": ["integrity"]}
    return problem_services.problem_create(
        actor=site["users"]["member"],
        target=site["target"],
        papers=[paper or signed_paper(site)],
        focus_items=[site["items"][item]],
        **{**defaults, **data},
    )


# What a team writes by hand in each kind of document (xuncha/findings/models/sections.py).
WRITTEN = {
    "inspection": {
        "overview": "青山镇党委认真贯彻落实上级决策部署，班子总体团结。\n\n但在落实全面从严治党主体责任方面仍有差距。",
        "suggestions": "建议镇党委切实履行主体责任，健全财务管理制度。",
        "other": "",
    },
    "thematic": {
        "overview": "全县惠民惠农补贴资金总体运行平稳。",
        "analysis": "原因在于监管机制不健全，建议完善制度。",
    },
    "clue": {},
    "feedback": {"evaluation": "你单位党组织能够贯彻落实上级决策部署，但也存在一些问题。"},
}


def written(kind: str, **changes: str) -> dict[str, str]:
    return {**WRITTEN[kind], **changes}


def draft(site: dict, kind: str = "inspection", **data):
    """A report with its parts written and its first version generated."""
    from xuncha.findings.services import reports as report_services

    if kind != "thematic":
        data.setdefault("target", site["target"])
    return report_services.draft_create(
        actor=site["users"]["member"], team=site["team"], kind=kind, sections=written(kind), **data
    )


DECISION = {"decided_on": date(2026, 1, 5), "meeting": "第5次组务会", "decision": "同意，按意见修改后上报。"}


def office_user(world):
    from xuncha.accounts.permissions import Role
    from xuncha.accounts.tests.factories import make_user

    return make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])


def walk(report, site, world, until: str):
    """Take a report up the chain as far as ``until`` (the team's steps by its leader)."""
    from xuncha.findings.services import reports as report_services
    from xuncha.findings.services import sections as section_services

    leader, office = site["users"]["leader"], office_user(world)
    if not report.versions.exists():  # created without its written parts: write them, generate
        section_services.report_sections_save(actor=leader, report=report, texts=written(report.kind))
        report_services.version_generate(actor=leader, report=report)
    steps = [("submit", leader, {}), ("pass_team", leader, DECISION), ("pass_leader", leader, DECISION)]
    steps += [("pass_joint", office, DECISION), ("pass_group", office, DECISION), ("approve", office, DECISION)]
    for action, actor, data in steps:
        report = report_services.draft_transition(obj=report, action=action, actor=actor, data=data)
        if action == until:
            break
    return report


def ready_feedback(site, world):
    """A feedback record with everything sending needs (meeting, main leader, a copy)."""
    from django.utils import timezone

    from xuncha.findings.models import CopyKind
    from xuncha.findings.services import feedback as feedback_services
    from xuncha.findings.services import sections as section_services

    feedback = feedback_services.feedback_prepare(actor=site["users"]["leader"], target=site["target"])
    section_services.feedback_sections_save(actor=site["users"]["leader"], feedback=feedback, texts=written("feedback"))
    today = timezone.localdate()
    return feedback_services.feedback_update(
        actor=site["users"]["leader"],
        feedback=feedback,
        meeting_on=today,
        meeting_place="镇党委会议室",
        main_leader=world.a["person"],
        main_leader_on=today,
        copies=[(CopyKind.DISCIPLINE, world.a["dept"], None)],
    )
