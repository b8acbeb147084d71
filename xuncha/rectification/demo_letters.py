"""Demo letters, reports and disclosure for 县民政局 (its plan approved by ``seed_rectification``,
with an overdue task): a supervision notice and a reminder issued, one disclosure published to
the public and one notice inside the Party, the unit's rectification report submitted.

Call after ``demo.seed_rectification(county)``: ``seed_letters(county)``. Idempotent: does
nothing when the plan already has letters."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from xuncha.accounts.models import User
from xuncha.common.actors import SYSTEM
from xuncha.rectification.models import LetterKind, PlanState, RectificationPlan
from xuncha.rectification.services import disclosure as disclosure_services
from xuncha.rectification.services import letters as letter_services
from xuncha.rectification.services import reports as report_services

UNIT = "县民政局"

PUBLIC_TEXT = (
    "县委第十四届第七轮巡察反馈县民政局党组问题3个，制定整改任务4项。截至目前，"
    "最低生活保障审核把关不严问题已完成整改，对全县低保对象逐户复核，清退不符合条件的12户；"
    "违规发放津贴补贴问题正在整改，已清退1.8万元，其余正在追缴；"
    "养老机构消防隐患已整改到位，正在核验销号。欢迎社会各界监督。"
)
IN_PARTY_TEXT = (
    "巡察反馈后，局党组召开专题会议研究整改工作，建立问题、任务、责任三个清单。"
    "对整改进度滞后的违规发放津贴补贴问题，县委巡察办已发出督办通知书和催办书，局党组已责成办公室限期清退。"
)


def _user(username: str):
    return User.objects.filter(username=username).first() or SYSTEM


def _plan(county) -> RectificationPlan | None:
    return (
        RectificationPlan.objects.filter(
            feedback__target__round__jurisdiction=county, feedback__target__unit__name=UNIT, state=PlanState.APPROVED
        )
        .select_related("feedback__target__unit", "feedback__target__round__jurisdiction", "feedback__main_leader")
        .first()
    )


@transaction.atomic
def seed_letters(county) -> dict[str, int]:
    plan = _plan(county)
    if plan is None or plan.letters.exists():
        return {"letters": 0, "disclosures": 0, "reports": 0}
    office, liaison = _user("xcb_zhuren"), _user("mz_lianluoyuan")
    today = timezone.localdate()
    tasks = letter_services.default_tasks(plan, today) or letter_services.open_tasks(plan)[:1]
    letters = 0
    for kind, days_ago in ((LetterKind.NOTICE, 3), (LetterKind.REMINDER, 0)):
        issued_on = today - timedelta(days=days_ago)
        letter_services.letter_issue(
            actor=office,
            plan=plan,
            kind=kind,
            doc_no=letter_services.suggest_doc_no(plan, issued_on),
            body=letter_services.default_body(plan, kind, tasks, issued_on),
            tasks=tasks,
            issued_on=issued_on,
            confirm_order=True,  # the demo skips the stage guidance letter
        )
        letters += 1
    public = disclosure_services.disclosure_create(
        actor=liaison,
        plan=plan,
        channel="public",
        title="县民政局关于县委第十四届第七轮巡察整改进展情况的通报",
        text=PUBLIC_TEXT,
        exemptions=["case"],
        exemption_note="涉及违规享受低保的1起问题线索正在审查调查，暂不公开。",
    )
    in_party = disclosure_services.disclosure_create(
        actor=liaison, plan=plan, channel="in_party", title="县民政局党组巡察整改工作情况通报", text=IN_PARTY_TEXT
    )
    for row in (public, in_party):
        disclosure_services.disclosure_approve(actor=office, disclosure=row)
    report_services.report_submit(actor=liaison, plan=plan, kind="unit")
    return {"letters": letters, "disclosures": 2, "reports": 1}
