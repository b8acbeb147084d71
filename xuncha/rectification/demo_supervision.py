"""Demo supervision for 县民政局's approved plan: 冯领 (xld_fenguan) leads two key problems — the overdue
subsidy problem (with an instruction) and the one whose closure is awaiting verification — and 县财政局
(cz_chengban) leads a clean-up of irregular allowances with its first report."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from xuncha.accounts.models import OrgUnit, User
from xuncha.common.actors import SYSTEM
from xuncha.rectification.models import RectificationPlan
from xuncha.rectification.services import campaigns as campaign_services
from xuncha.rectification.services import supervision as services

KEY_PROBLEMS = {
    "违规发放津贴补贴": ("限月底前清退到位，每周报告进度。", "请于本月底前全部清退到位，逐人建立台账。"),
    "上轮巡察反馈问题整改不到位": ("消防隐患整改须经消防部门验收。", ""),
}


def seed_supervision(county) -> dict[str, int]:
    plan = RectificationPlan.objects.filter(
        feedback__target__round__jurisdiction=county, feedback__target__unit__name="县民政局", state="approved"
    ).first()
    leader = User.objects.filter(username="xld_fenguan").first()
    office = User.objects.filter(username="xcb_zhuren").first() or SYSTEM
    if plan is None or leader is None:
        return {"assignments": 0, "campaigns": 0}
    problems = {p.title: p for p in plan.feedback.target.problems.all()}
    made = 0
    for title, (note, instruction) in KEY_PROBLEMS.items():
        if title not in problems:
            continue
        assignment = services.assignment_create(actor=office, problem=problems[title], leader=leader, note=note)
        made += 1
        if instruction:
            services.leader_comment(actor=leader, assignment=assignment, text=instruction)
    return {"assignments": made, "campaigns": _campaign(county, problems.get("违规发放津贴补贴"), office)}


def _campaign(county, problem, office) -> int:
    finance = OrgUnit.objects.filter(name="县财政局", path__startswith=county.path).first()
    reporter = User.objects.filter(username="cz_chengban").first()
    if problem is None or finance is None:
        return 0
    campaign = campaign_services.campaign_create(
        actor=office,
        sector_dept=finance,
        problems=[problem],
        title="违规发放津贴补贴问题专项整治",
        description="对照巡察反馈问题，全面清查2023年以来津贴补贴发放情况，违规发放的一律清退，修订完善发放管理办法。",
        standard="违规发放款项全部清退，发放办法修订印发",
        due_on=timezone.localdate() + timedelta(days=75),
    )
    if reporter is not None:
        campaign_services.campaign_report(
            actor=reporter, campaign=campaign, text="已印发专项整治通知，组织县民政局开展自查，已清退1.8万元。"
        )
    return 1
