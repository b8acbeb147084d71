"""Demo rectification for the round fed back (第七轮): 县民政局's plan approved after one return,
its tasks closed, awaiting verification, overdue (red) and long-term; 县水利局's plan submitted and
waiting for the joint review."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from xuncha.accounts.models import User
from xuncha.common.actors import SYSTEM
from xuncha.common.demo import demo_part, demo_prerequisite
from xuncha.fieldwork.demo import _pdf
from xuncha.findings.models import Feedback, FeedbackState
from xuncha.rectification.demo_followup import followup_seeded, seed_followup
from xuncha.rectification.evaluation_seed import load as load_evaluation_sheet
from xuncha.rectification.models import RectificationPlan
from xuncha.rectification.services import plans as services
from xuncha.rectification.services import tasks as task_services

# (problem title, measure, standard, horizon, days from today, lead department, what happens)
TASKS = {
    "县民政局": [
        (
            "最低生活保障审核把关不严",
            "对全县低保对象逐户复核，清退不符合条件的12户",
            "复核全覆盖，违规享受的资金全部追回",
            "deadline",
            20,
            "社会救助股",
            "closed",
        ),
        (
            "违规发放津贴补贴",
            "清退违规发放的补贴4.2万元，修订津贴补贴发放办法",
            "资金清退到位、制度印发",
            "deadline",
            -5,
            "办公室",
            "overdue",
        ),
        (
            "上轮巡察反馈问题整改不到位",
            "对2家养老机构消防隐患限期整改，建立常态化检查机制",
            "隐患整改到位并通过消防验收",
            "deadline",
            12,
            "养老服务股",
            "requested",
        ),
        (
            "上轮巡察反馈问题整改不到位",
            "每季度开展养老服务机构安全检查",
            "每季度检查记录齐全",
            "long_term",
            90,
            "养老服务股",
            "open",
        ),
    ],
    "县水利局": [
        (
            "工程项目招投标管理不规范",
            "全面梳理2023年以来工程项目招投标，规范先施工后招标问题",
            "问题项目全部整改，制度完善",
            "deadline",
            40,
            "规划建设股",
            "open",
        ),
        (
            "基层党组织建设薄弱",
            "严格落实“三会一课”制度，建立支部工作台账",
            "支部活动记录完整",
            "long_term",
            120,
            "机关党支部",
            "open",
        ),
    ],
}


def rectification_seeded(county) -> bool:
    return RectificationPlan.objects.filter(feedback__target__round__jurisdiction=county).exists()


def _doc(name: str) -> SimpleUploadedFile:
    return _pdf(name)


@transaction.atomic
def seed_rectification(county) -> dict[str, int]:
    liaison = User.objects.filter(username="mz_lianluoyuan").first() or SYSTEM
    office = User.objects.filter(username="xcb_ganbu").first() or SYSTEM
    plans = 0
    feedbacks = Feedback.objects.filter(
        target__round__jurisdiction=county, target__round__name="县委第十四届第七轮巡察", state=FeedbackState.SENT
    ).select_related("target__unit")
    for feedback in feedbacks:
        rows = TASKS.get(feedback.target.unit.name)
        if not rows:
            continue
        actor = liaison if feedback.target.unit.name == "县民政局" else SYSTEM
        plan = services.plan_create(actor=actor, feedback=feedback)
        problems = {p.title: p for p in feedback.target.problems.all()}
        tasks = []
        for title, measure, standard, horizon, days, dept, _fate in rows:
            due = max(timezone.localdate() + timedelta(days=days), feedback.sent_on)
            tasks.append(
                services.task_add(
                    actor=actor,
                    plan=plan,
                    problem=problems[title],
                    measure=measure,
                    standard=standard,
                    horizon=horizon,
                    due_on=due,
                    lead_dept=dept,
                    owner="周民" if actor is liaison else "王强",
                )
            )
        services.plan_transition(obj=plan, action="submit", actor=SYSTEM)  # the main leader signs
        plans += 1
        if feedback.target.unit.name != "县民政局":
            continue  # 县水利局: submitted, waiting for the joint review
        services.plan_transition(obj=plan, action="start_review", actor=office)
        services.plan_transition(
            obj=plan,
            action="return",
            actor=office,
            data={"item_comments": {tasks[1].number: "请明确清退时限和责任人。"}},
        )
        services.plan_transition(obj=plan, action="submit", actor=SYSTEM)
        services.plan_transition(obj=plan, action="start_review", actor=office)
        services.plan_transition(obj=plan, action="approve", actor=office, data={"comment": "同意，请抓好落实。"})
        _progress(tasks, rows, liaison, office)
    from xuncha.rectification.demo_letters import seed_letters
    from xuncha.rectification.demo_supervision import seed_supervision

    return {"plans": plans, **seed_supervision(county), **seed_letters(county)}


def _progress(tasks: list[Any], rows: list[tuple], liaison: Any, office: Any) -> None:
    for task, row in zip(tasks, rows, strict=True):
        fate = row[-1]
        if fate in ("closed", "requested"):
            task_services.task_progress(
                actor=liaison, task=task, text="已完成大部分整改工作。", uploads=[_doc("progress")]
            )
            task_services.task_transition(
                obj=task,
                action="request",
                actor=liaison,
                data={"text": "已按标准完成整改。", "uploads": [_doc("closure")]},
            )
        if fate == "closed":
            task_services.task_transition(
                obj=task, action="close", actor=office, data={"text": "经核验，整改到位，同意销号。"}
            )
        if fate == "overdue":
            task_services.task_progress(actor=liaison, task=task, text="已清退1.8万元，其余正在追缴。")


demo_part(
    order=60,
    seeded=rectification_seeded,
    seed=seed_rectification,
    message=(
        "已建立整改方案 {plans} 份、领衔督办事项 {assignments} 项、专项整治 {campaigns} 项、督办文书 {letters} 份。"
    ),
)
demo_part(
    order=70,
    seeded=followup_seeded,
    seed=seed_followup,
    message="已记录回访督查 {visits} 次、整改评估 {evaluations} 个。",
)
# The default evaluation sheet comes with migration 0003; a flushed test database would lack it.
demo_prerequisite(load_evaluation_sheet)
