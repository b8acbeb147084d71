"""The escalation letters (五书制, domain.md §3.8): the office writes to a unit whose rectification
stalls — supervision notice, stage guidance, reminder, warning with a final deadline, accountability
letter with a formal talk (约谈). The ladder is a practice, not a lock: skipping a step is allowed
once the office confirms it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.accounts.permissions import Perm, require
from xuncha.audit.services import audit_record
from xuncha.common.actors import SYSTEM
from xuncha.common.exceptions import ServiceError
from xuncha.documents.contexts import cn_date, jurisdiction_names
from xuncha.documents.kinds import SPECS, DocumentKind
from xuncha.documents.services import Export, render_for, trace_stamp
from xuncha.rectification.documents.contexts import letter_context, overdue_days
from xuncha.rectification.models import LETTER_ORDER, EscalationLetter, LetterKind, PlanState, RectificationPlan, Task
from xuncha.rectification.selectors import RED, YELLOW, Ladder
from xuncha.rectification.workflow import DONE_TASK_STATES

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

MAX_BODY = 10000
_LEVEL_CHARS = "省市县区旗州盟"
TALK_FIELDS = ("talk_on", "talk_place", "talk_attendees", "talk_record")

# Keyed by the stored value (a LetterKind is a str).
_OPENING: dict[str, StrPromise] = {
    LetterKind.NOTICE: gettext_lazy(
        "根据%(group)s关于巡察整改督促检查的要求，现对你单位巡察整改工作进行督办。"
        "经查，截至%(today)s，你单位有%(n)s项整改任务已逾期或临近完成时限："
    ),
    LetterKind.GUIDANCE: gettext_lazy(
        "经对你单位巡察整改工作进行阶段检查，以下%(n)s项整改任务进度滞后、措施落实不够到位："
    ),
    LetterKind.REMINDER: gettext_lazy("你单位以下%(n)s项整改任务已逾期或临近完成时限，仍未整改到位，现予以催办："),
    LetterKind.WARNING: gettext_lazy("你单位以下%(n)s项整改任务经督办、催办后仍未按期完成，现予以预警："),
    LetterKind.ACCOUNTABILITY: gettext_lazy(
        "你单位以下%(n)s项整改任务经督办、催办、预警后仍未完成，整改主体责任落实不力："
    ),
}
_CLOSING: dict[str, StrPromise] = {
    LetterKind.NOTICE: gettext_lazy(
        "请你单位党组织切实履行整改主体责任，主要负责人履行第一责任人职责，对照上述任务逐项研究推进措施，"
        "于收到本通知书之日起10个工作日内将推进情况书面报送%(office)s。"
    ),
    LetterKind.GUIDANCE: gettext_lazy(
        "请你单位对照整改方案和完成标准，细化整改措施，明确阶段目标，压实责任到人，确保按期整改到位，"
        "并于每月底前将阶段整改进展书面报送%(office)s。"
    ),
    LetterKind.REMINDER: gettext_lazy(
        "请你单位高度重视，立即采取有效措施加快推进，于收到本催办书之日起5个工作日内将整改进展和完成时间"
        "书面报送%(office)s。"
    ),
    LetterKind.WARNING: gettext_lazy(
        "请你单位务必在最后期限前完成上述整改任务；逾期仍未完成的，将依规依纪提出问责建议。"
    ),
    LetterKind.ACCOUNTABILITY: gettext_lazy(
        "根据有关规定，建议对相关责任单位和责任人予以问责，并由%(office)s对你单位主要负责人进行约谈。"
    ),
}


def _jurisdiction(plan: RectificationPlan) -> Any:
    return plan.feedback.target.round.jurisdiction


def issued_kinds(plan: RectificationPlan) -> set[str]:
    return set(plan.letters.values_list("kind", flat=True))


def next_kind(plan: RectificationPlan) -> str:
    """The first step of the ladder not yet taken (the last one again once all are)."""
    issued = issued_kinds(plan)
    return next((kind for kind in LETTER_ORDER if kind not in issued), LETTER_ORDER[-1])


def skipped_kinds(plan: RectificationPlan, kind: str) -> list[str]:
    issued = issued_kinds(plan)
    return [k for k in LETTER_ORDER[: LETTER_ORDER.index(kind)] if k not in issued] if kind in LETTER_ORDER else []


def order_warning(plan: RectificationPlan, kind: str) -> str | None:
    skipped = skipped_kinds(plan, kind)
    if not skipped:
        return None
    return _(
        "尚未发出%(missing)s，直接发出%(kind)s不符合五书制的顺序。确需越级发出的，请勾选“确认越级发出”后再提交。"
    ) % {
        "missing": "、".join(str(LetterKind(k).label) for k in skipped),
        "kind": LetterKind(kind).label,
    }


def _short(jurisdiction: Any) -> str:
    name: str = jurisdiction.name
    return name[:-1] if name[-1] in _LEVEL_CHARS else name


def suggest_doc_no(plan: RectificationPlan, on: date | None = None) -> str:
    """ "甲巡办督〔2026〕3号": the next number of the jurisdiction's letters that year."""
    on = on or timezone.localdate()
    jurisdiction = _jurisdiction(plan)
    same = EscalationLetter.objects.filter(plan__feedback__target__round__jurisdiction=jurisdiction)
    n = same.filter(issued_on__year=on.year).count() + 1
    while True:
        doc_no = _("%(short)s巡办督〔%(year)s〕%(n)s号") % {"short": _short(jurisdiction), "year": on.year, "n": n}
        if not same.filter(doc_no=doc_no).exists():
            return doc_no
        n += 1


def open_tasks(plan: RectificationPlan) -> list[Task]:
    tasks = list(plan.tasks.exclude(state__in=DONE_TASK_STATES).select_related("problem").order_by("number"))
    for task in tasks:
        task.plan = plan  # the ladder reads the jurisdiction through it, already loaded
    return tasks


def default_tasks(plan: RectificationPlan, today: date | None = None) -> list[Task]:
    """The plan's overdue (red) and yellow tasks: what a letter is usually about."""
    ladder = Ladder(today)
    return [t for t in open_tasks(plan) if (w := ladder.warning(t)) and w.level in (RED, YELLOW)]


def default_body(plan: RectificationPlan, kind: str, tasks: list[Task], today: date | None = None) -> str:
    today = today or timezone.localdate()
    names = jurisdiction_names(_jurisdiction(plan))
    lines = [_OPENING[kind] % {"group": names["leading_group"], "today": cn_date(today), "n": len(tasks)}]
    for task in tasks:
        late = overdue_days(task, today)
        lines.append(
            _("%(n)s. %(problem)s：%(measure)s（完成时限%(due)s%(late)s）。")
            % {
                "n": task.number,
                "problem": task.problem.title.rstrip("。"),
                "measure": task.measure.rstrip("。"),
                "due": cn_date(task.due_on),
                "late": _("，已逾期%(d)s天") % {"d": late} if late else "",
            }
        )
    lines.append(_CLOSING[kind] % {"office": names["office"]})
    return "\n".join(lines)


def _locked(plan: RectificationPlan) -> RectificationPlan:
    return (
        RectificationPlan.objects.select_for_update(of=("self",))
        .select_related("feedback__target__unit", "feedback__target__round__jurisdiction")
        .get(pk=plan.pk)
    )


def _clean_doc_no(plan: RectificationPlan, doc_no: str) -> str:
    doc_no = (doc_no or "").strip()
    if not doc_no:
        raise ServiceError(_("请填写文号。"))
    if len(doc_no) > 50:
        raise ServiceError(_("文号过长，请控制在50字以内。"))
    # The constraint says once per plan; a number names one document of the office, so the
    # whole jurisdiction is checked.
    taken = EscalationLetter.objects.filter(
        plan__feedback__target__round__jurisdiction=_jurisdiction(plan), doc_no=doc_no
    ).exists()
    if taken:
        raise ServiceError(_("文号“%(no)s”已被使用，请换一个文号。") % {"no": doc_no})
    return doc_no


def _clean_body(body: str) -> str:
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise ServiceError(_("请填写督办事项和要求。"))
    if len(body) > MAX_BODY:
        raise ServiceError(_("督办事项和要求过长，请精简到%(n)s字以内。") % {"n": MAX_BODY})
    return body


def _clean_talk(kind: str, talk: dict[str, Any], *, required: bool) -> dict[str, Any]:
    talk = {k: (v.strip() if isinstance(v, str) else v) for k, v in talk.items() if k in TALK_FIELDS}
    if not any(talk.values()) and not required:
        return {}
    if kind != LetterKind.ACCOUNTABILITY:
        raise ServiceError(_("只有问责建议书记录约谈。"))
    if not talk.get("talk_on"):
        raise ServiceError(_("请填写约谈日期。"))
    if required:
        for name, label in (
            ("talk_place", _("约谈地点")),
            ("talk_attendees", _("参加人员")),
            ("talk_record", _("约谈记录")),
        ):
            if not talk.get(name):
                raise ServiceError(_("请填写%(field)s。") % {"field": label})
    if talk.get("talk_record") and talk["talk_on"] > timezone.localdate():
        raise ServiceError(_("约谈尚未进行，约谈记录请在约谈后填写。"))
    for name, size in (("talk_place", 100), ("talk_attendees", 300)):
        if len(talk.get(name) or "") > size:
            raise ServiceError(_("内容过长，请精简到%(n)s字以内。") % {"n": size})
    return talk


def _check_tasks(plan: RectificationPlan, tasks: list[Task]) -> list[Task]:
    if not tasks:
        raise ServiceError(_("请选择督办文书涉及的整改任务。"))
    if any(t.plan_id != plan.pk for t in tasks):
        raise ServiceError(_("只能选择本单位整改方案中的任务。"))
    return tasks


@transaction.atomic
def letter_issue(
    *,
    actor: Any,
    plan: RectificationPlan,
    kind: str,
    doc_no: str,
    body: str,
    tasks: list[Task],
    issued_on: date | None = None,
    final_due: date | None = None,
    confirm_order: bool = False,
    **talk: Any,
) -> EscalationLetter:
    plan = _locked(plan)
    require(actor, Perm.RECTIFY_SUPERVISE, plan)
    if plan.state != PlanState.APPROVED:
        raise ServiceError(_("整改方案审核通过后才能发出督办文书。"))
    if kind not in LETTER_ORDER:
        raise ServiceError(_("督办文书类别不正确。"))
    today = timezone.localdate()
    issued_on = issued_on or today
    if issued_on > today:
        raise ServiceError(_("印发日期不能晚于今天。"))
    if kind == LetterKind.WARNING:
        if final_due is None:
            raise ServiceError(_("预警书须写明最后期限。"))
        if final_due <= today:
            raise ServiceError(_("最后期限须晚于今天。"))
    else:
        final_due = None
    cleaned_talk = _clean_talk(kind, talk, required=False)
    letter_fields = {"doc_no": _clean_doc_no(plan, doc_no), "body": _clean_body(body)}
    tasks = _check_tasks(plan, list(tasks))
    skipped = skipped_kinds(plan, kind)
    if skipped and not confirm_order:
        warning = order_warning(plan, kind)
        assert warning is not None  # there is one whenever steps are skipped
        raise ServiceError(warning, code="letter_order")
    letter = EscalationLetter.objects.create(
        plan=plan,
        kind=kind,
        issued_on=issued_on,
        final_due=final_due,
        issued_by=None if actor is SYSTEM else actor,
        **letter_fields,
        **cleaned_talk,
    )
    letter.tasks.set(tasks)
    audit_record(
        actor=actor,
        action="rectification.letter.issue",
        target=letter,
        after={
            "kind": kind,
            "doc_no": letter.doc_no,
            "tasks": sorted(t.number for t in tasks),
            "final_due": final_due.isoformat() if final_due else None,
            "skipped": skipped,
            "talk_on": letter.talk_on.isoformat() if letter.talk_on else None,
        },
    )
    return letter


@transaction.atomic
def letter_talk(*, actor: Any, letter: EscalationLetter, **talk: Any) -> EscalationLetter:
    """Record the formal talk of an accountability letter (date, place, who, what was said)."""
    letter = EscalationLetter.objects.select_for_update().get(pk=letter.pk)
    require(actor, Perm.RECTIFY_SUPERVISE, letter)
    if letter.kind != LetterKind.ACCOUNTABILITY:
        raise ServiceError(_("只有问责建议书记录约谈。"))
    cleaned = _clean_talk(letter.kind, talk, required=True)
    before = {k: str(getattr(letter, k) or "") for k in TALK_FIELDS}
    for key, value in cleaned.items():
        setattr(letter, key, value)
    letter.save(update_fields=[*cleaned.keys(), "updated_at"])
    after = {k: str(getattr(letter, k) or "") for k in TALK_FIELDS}
    audit_record(actor=actor, action="rectification.letter.talk", target=letter, before=before, after=after)
    return letter


def letter_export(*, actor: Any, letter: EscalationLetter, source: str = "") -> Export:
    """The letter as a Word file for ``actor`` (their trace in the footer), the hand-over audited."""
    require(actor, Perm.RECTIFY_VIEW, letter)
    plan = letter.plan
    content, replacement = render_for(
        kind=DocumentKind.ESCALATION_LETTER,
        jurisdiction=_jurisdiction(plan),
        context=lambda: letter_context(letter),
    )
    name = _("%(kind)s-%(unit)s-%(no)s.docx") % {
        "kind": letter.get_kind_display(),
        "unit": plan.feedback.target.unit.name,
        "no": letter.doc_no,
    }
    spec = SPECS[DocumentKind.ESCALATION_LETTER]
    traced = trace_stamp(
        actor=actor,
        content=content,
        kind=spec.kind,
        target=letter,
        filename=_safe(name),
        source=source,
        action="rectification.letter.export",
        after={"template": replacement.pk if replacement else "default"},
    )
    return Export(
        kind=spec.kind, filename=_safe(name), ascii_name=spec.ascii_name, content=traced.content, trace=traced.code
    )


def _safe(name: str) -> str:
    return "".join("_" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in name)
