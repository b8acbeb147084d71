"""The round's rectification figures (one selector per figure; scope as in ``figures.py``).

An inspected unit holding the statistics code over its own subtree sees these for its own units
(``case=False``): they are its own rectification, which it sees in full anyway. Everything is
derived on read: a problem is rectified when all its tasks are done (closed, or done in stage for
long-term work), a task is overdue when it is not done and its deadline has passed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone

from xuncha.accounts.models import OrgUnit
from xuncha.analytics.selectors.figures import scoped
from xuncha.findings.models import Feedback, FeedbackState, Problem
from xuncha.plans.models import Round
from xuncha.rectification.models import (
    Accountability,
    AccountabilityForm,
    Campaign,
    Mechanism,
    MoneyRecovery,
    PlanState,
    RectificationPlan,
    SubjectKind,
    Task,
    TaskState,
)
from xuncha.rectification.workflow import DONE_TASK_STATES

_UNIT = "feedback__target__unit__path"
_PLAN_UNIT = "plan__feedback__target__unit__path"


def _plan_rows(model: type, user: Any, rnd: Round, unit: OrgUnit | None) -> QuerySet:
    qs = model.objects.filter(plan__feedback__round=rnd)
    return scoped(qs, user, rnd, unit, unit_field=_PLAN_UNIT, case=False)


def plans_progress(user: Any, rnd: Round, unit: OrgUnit | None = None) -> dict[str, int]:
    """Units fed back, plans filed, plans approved by the joint review."""
    qs = Feedback.objects.filter(round=rnd, state=FeedbackState.SENT)
    qs = scoped(qs, user, rnd, unit, unit_field="target__unit__path", case=False)
    return qs.aggregate(
        fed_back=Count("pk"),
        plans=Count("plan"),
        approved=Count("plan", filter=Q(plan__state=PlanState.APPROVED)),
    )


def tasks_progress(user: Any, rnd: Round, unit: OrgUnit | None = None, *, today: date | None = None) -> dict[str, int]:
    """Tasks in total and by state, and the overdue ones (not done, deadline passed)."""
    today = today or timezone.localdate()
    return _plan_rows(Task, user, rnd, unit).aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=Q(state=TaskState.CLOSED)),
        ongoing=Count("pk", filter=Q(state=TaskState.ONGOING)),
        requested=Count("pk", filter=Q(state=TaskState.CLOSURE_REQUESTED)),
        in_progress=Count("pk", filter=Q(state=TaskState.IN_PROGRESS)),
        overdue=Count("pk", filter=~Q(state__in=DONE_TASK_STATES) & Q(due_on__lt=today)),
    )


def rectification_rate(user: Any, rnd: Round, unit: OrgUnit | None = None) -> dict[str, Any]:
    """Problems fed back, problems rectified (every task done) and the rate in per cent (None when
    nothing has been fed back: no rate, rather than a zero that reads as failure)."""
    qs = Problem.objects.filter(round=rnd, target__feedback__state=FeedbackState.SENT)
    qs = scoped(qs, user, rnd, unit, unit_field="target__unit__path", case=False)
    pairs = qs.annotate(
        n_tasks=Count("tasks"), n_done=Count("tasks", filter=Q(tasks__state__in=DONE_TASK_STATES))
    ).values_list("n_tasks", "n_done")
    pairs = list(pairs)
    done = sum(1 for n_tasks, n_done in pairs if n_tasks and n_tasks == n_done)
    total = len(pairs)
    rate = round(Decimal(done * 100) / total, 1) if total else None
    return {"problems": total, "done": done, "rate": rate}


def overdue_by_unit(
    user: Any, rnd: Round, unit: OrgUnit | None = None, *, today: date | None = None
) -> list[dict[str, Any]]:
    """Units with overdue tasks: how many, and how many days the oldest is late; worst first."""
    today = today or timezone.localdate()
    qs = _plan_rows(Task, user, rnd, unit).exclude(state__in=DONE_TASK_STATES).filter(due_on__lt=today)
    rows = (
        qs.order_by()
        .values("plan__feedback__target__unit__name")
        .annotate(n=Count("pk"), oldest=Min("due_on"))
        .order_by("-n", "oldest", "plan__feedback__target__unit__name")
    )
    return [
        {"label": r["plan__feedback__target__unit__name"], "n": r["n"], "days": (today - r["oldest"]).days}
        for r in rows
    ]


def mechanisms_made(user: Any, rnd: Round, unit: OrgUnit | None = None) -> dict[str, int]:
    """Rules made (建章立制): in total, new and revised."""
    return _plan_rows(Mechanism, user, rnd, unit).aggregate(
        total=Count("pk"),
        new=Count("pk", filter=Q(kind=Mechanism.Kind.NEW)),
        revised=Count("pk", filter=Q(kind=Mechanism.Kind.REVISED)),
    )


def money_recovered(user: Any, rnd: Round, unit: OrgUnit | None = None) -> dict[str, Any]:
    """Money recovered (挽回经济损失) in yuan, and the number of recoveries."""
    found = _plan_rows(MoneyRecovery, user, rnd, unit).aggregate(total=Sum("amount"), n=Count("pk"))
    return {"total": found["total"] or Decimal("0.00"), "n": found["n"]}


def accountability_by_form(user: Any, rnd: Round, unit: OrgUnit | None = None) -> dict[str, Any]:
    """Accountability (问责) per form, with the organisations and cadres held to account."""
    rows = _plan_rows(Accountability, user, rnd, unit).order_by().values("subject_kind", "form").annotate(n=Count("pk"))
    return accountability_summary({(r["subject_kind"], r["form"]): r["n"] for r in rows})


def accountability_summary(counts: dict[tuple[str, str], int]) -> dict[str, Any]:
    """The figures of 问责 from counts per (subject kind, form): live here, from the rollups there."""
    by_form = [
        {"label": str(label), "n": sum(n for (_kind, f), n in counts.items() if f == form)}
        for form, label in AccountabilityForm.choices
    ]
    return {
        "total": sum(counts.values()),
        "organisations": sum(n for (k, _f), n in counts.items() if k == SubjectKind.ORGANISATION),
        "cadres": sum(n for (k, _f), n in counts.items() if k == SubjectKind.CADRE),
        "rows": by_form,
    }


def campaigns_started(user: Any, rnd: Round, unit: OrgUnit | None = None) -> int:
    """Sector clean-ups (专项整治) started from the round's problems."""
    problems = scoped(
        Problem.objects.filter(round=rnd), user, rnd, unit, unit_field="target__unit__path", case=False
    ).values("pk")
    return Campaign.objects.filter(problems__in=problems).distinct().count()


def plans_pending(user: Any, rnd: Round, unit: OrgUnit | None = None) -> list[str]:
    """Units fed back whose plan is not approved yet (none filed, or still in drafting or review)."""
    qs = Feedback.objects.filter(round=rnd, state=FeedbackState.SENT)
    qs = scoped(qs, user, rnd, unit, unit_field="target__unit__path", case=False)
    approved = RectificationPlan.objects.filter(state=PlanState.APPROVED).values("feedback_id")
    return list(qs.exclude(pk__in=approved).order_by("target__unit__name").values_list("target__unit__name", flat=True))
