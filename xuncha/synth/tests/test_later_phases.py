"""Findings, transfers and rectification in the synthetic data: the rows exist in proportion, their
states and dates agree with what the services produce, and the services themselves accept them
(the next step of each workflow runs on a synthetic row, by the synthetic account meant to take it)."""

import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, F, Model
from django.utils import timezone

from xuncha.accounts.models import User
from xuncha.common.actors import SYSTEM
from xuncha.fieldwork.models import FixEvent, FixState, PaperEvent, PaperState, WorkingPaper
from xuncha.fieldwork.workflow import FIX_WORKFLOW, PAPER_WORKFLOW
from xuncha.files.tests import samples
from xuncha.findings.models import (
    DraftEvent,
    DraftState,
    Feedback,
    FeedbackState,
    InspectionReport,
    Problem,
    ReviewDecision,
)
from xuncha.findings.workflow import DRAFT_WORKFLOW
from xuncha.intake.models import ReportEvent, ReportState
from xuncha.intake.workflow import REPORT_WORKFLOW
from xuncha.notify.models import Notification
from xuncha.plans.models import Round, RoundEvent, RoundState
from xuncha.plans.workflow import ROUND_WORKFLOW
from xuncha.rectification import models as rect
from xuncha.rectification.services import plans as plan_services
from xuncha.rectification.services import tasks as task_services
from xuncha.rectification.workflow import DONE_TASK_STATES, PLAN_WORKFLOW, TASK_WORKFLOW
from xuncha.synth.context import TINY
from xuncha.synth.tests.conftest import AS_OF
from xuncha.transfers.models import Transfer, TransferEvent, TransferState
from xuncha.transfers.services import has_receiver, transfer_transition
from xuncha.transfers.workflow import OWED_STATES, TRANSFER_WORKFLOW
from xuncha.workflow import Workflow
from xuncha.workflow.catalogue import diagrams

FED = [RoundState.FEEDBACK_DONE, RoundState.RECTIFYING, RoundState.EVALUATED, RoundState.ARCHIVED]


def test_findings_are_assembled_from_signed_papers(synth):
    problems = Problem.objects.all()
    signed = WorkingPaper.objects.filter(state=PaperState.SIGNED, team__round__state__in=FED).count()
    assert 0.75 * signed <= problems.filter(round__state__in=FED).count() <= signed  # a few papers merged
    links = Problem.papers.through.objects.select_related("problem", "workingpaper")
    assert all(x.workingpaper.state == PaperState.SIGNED for x in links)
    assert all(x.workingpaper.target_id == x.problem.target_id for x in links)
    assert not links.values("workingpaper").annotate(n=Count("id")).filter(n__gt=1).exists()  # one problem a paper
    # Classified against the round's own focus list; every problem has at least one item.
    items = Problem.focus_items.through.objects.select_related("problem__round", "focusitem")
    assert all(x.focusitem.focus_list_id == x.problem.round.focus_list_id for x in items)
    assert not problems.filter(focus_items=None).exists()
    # Numbers run 1..n per unit.
    for target_id, numbers in _grouped(problems.values_list("target_id", "number")).items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), target_id


def _grouped(pairs) -> dict:
    out: dict = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def test_every_fed_back_unit_has_an_approved_report_and_a_sent_feedback(synth):
    fed = Round.objects.filter(state__in=FED)
    targets = [t for r in fed for t in r.targets.all() if t.problems.exists()]
    assert targets
    for target in targets:
        report = InspectionReport.objects.get(target=target, kind="inspection")
        assert report.state == DraftState.APPROVED and report.approved_on <= target.round.feedback_date
        numbers = list(report.versions.order_by("number").values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) <= 3
        assert report.decisions.filter(action="approve").count() == 1
        # A return is followed by a new version before the report goes up again.
        returns = report.decisions.filter(action__startswith="return").count()
        assert len(numbers) == returns + 1
        feedback = Feedback.objects.get(target=target)
        assert feedback.state == FeedbackState.SENT and feedback.sent_on == target.round.feedback_date
    # The chain's dates never run backwards.
    for report in InspectionReport.objects.all():
        days = list(report.decisions.order_by("created_at", "id").values_list("decided_on", flat=True))
        assert days == sorted(days) and all(d <= AS_OF for d in days)
    assert ReviewDecision.objects.filter(to_state=DraftState.RETURNED).exists()


def test_transfers_are_in_proportion_and_follow_their_workflow(synth):
    transfers = Transfer.objects.all()
    problems = Problem.objects.filter(round__state__in=FED).count()
    assert 0.1 * problems <= transfers.count() <= 0.35 * problems
    assert all(has_receiver(t.receiver, t.kind) for t in transfers.select_related("receiver"))
    states = Counter(transfers.values_list("state", flat=True))
    assert states[TransferState.CLOSED] > len(transfers) / 2 and set(states) - {TransferState.CLOSED}
    # Dates in order; each state's date is set exactly when reached.
    for t in transfers:
        steps = [t.sent_on, t.acknowledged_on, t.reported_on, t.closed_on]
        reached = [d for d in steps if d is not None]
        assert reached == sorted(reached) and reached[-1] <= AS_OF
        assert t.events.count() == [*TransferState.values].index(t.state)
    assert transfers.filter(state__in=OWED_STATES, sent_on__lt=AS_OF.replace(month=8)).exists()  # some overdue


def test_rectification_plans_tasks_and_their_history(synth):
    feedbacks = Feedback.objects.filter(state=FeedbackState.SENT)
    assert rect.RectificationPlan.objects.count() == feedbacks.count()
    tasks = rect.Task.objects.all()
    problems = Problem.objects.filter(round__state__in=FED)
    assert 2 * problems.count() <= tasks.count() <= 4 * problems.count()
    assert not problems.filter(tasks=None).exists()  # every problem answered
    assert not tasks.filter(due_on__lt=F("plan__feedback__sent_on")).exists()
    # Only approved plans make progress; their reviews name the version and keep a snapshot.
    assert not tasks.exclude(plan__state=rect.PlanState.APPROVED).exclude(state=rect.TaskState.IN_PROGRESS).exists()
    assert not rect.TaskUpdate.objects.exclude(task__plan__state=rect.PlanState.APPROVED).exists()
    for plan in rect.RectificationPlan.objects.filter(state=rect.PlanState.APPROVED):
        review = plan.reviews.get(decision="approve")
        assert review.version == plan.version and len(review.snapshot) == plan.tasks.count()
        assert plan.signed_on <= plan.approved_on
    # Closed tasks: a request with evidence, verified by someone else.
    for task in tasks.filter(state=rect.TaskState.CLOSED)[:200]:
        request = task.updates.filter(kind="request").last()
        close = task.updates.get(kind="close")
        assert request.files.exists() and request.actor_id != close.actor_id
        assert task.closed_on == close.created_at.date()
    # Older rounds are done; recent ones still have open tasks, some overdue.
    old = tasks.filter(plan__feedback__round__state=RoundState.ARCHIVED)
    assert old.exists() and not old.exclude(state__in=DONE_TASK_STATES).exists()
    assert tasks.filter(state=rect.TaskState.IN_PROGRESS, due_on__lt=AS_OF).exists()


def test_the_new_models_are_sprinkled(synth):
    plans = rect.RectificationPlan.objects.count()
    problems = Problem.objects.filter(round__state__in=FED).count()
    assignments = rect.LeaderAssignment.objects.select_related("leader")
    assert 0 < assignments.count() <= problems / 8
    assert all(a.leader.role_assignments.filter(role="supervising_leader").exists() for a in assignments)
    assert rect.Campaign.objects.count() == 2 and rect.Task.objects.exclude(campaign=None).exists()
    # Letters go to units with overdue tasks only, in the ladder's order.
    for letter in rect.EscalationLetter.objects.all():
        assert letter.tasks.filter(due_on__lt=letter.issued_on).count() == letter.tasks.count() > 0
    evaluated = rect.RectificationPlan.objects.filter(
        feedback__round__state__in=[RoundState.EVALUATED, RoundState.ARCHIVED]
    )
    assert rect.Evaluation.objects.count() == evaluated.count() > 0
    assert rect.LifeMeeting.objects.count() <= plans and rect.LifeMeeting.objects.exists()
    assert rect.Mechanism.objects.exists() and rect.MoneyRecovery.objects.exists()
    public = rect.Disclosure.objects.filter(channel="public", state="approved")
    assert public.exists() and not public.filter(published_on=None).exists()
    assert rect.ReturnVisit.objects.exists()
    assert rect.PlanReport.objects.filter(kind="leader").count() == rect.PlanReport.objects.filter(kind="unit").count()
    # The ladder's messages, keyed as `remind` keys them (so a later run of it sends nothing twice).
    messages = Notification.objects.filter(key__startswith="task:")
    assert messages.filter(read_at=None).exists() and messages.filter(key__contains=":red:").exists()


def test_services_take_the_next_step_on_synthetic_rows(synth):
    """The workflows continue on generated rows, by the generated accounts: states, roles and scopes fit."""
    task = (
        rect.Task.objects.filter(plan__state=rect.PlanState.APPROVED, state=rect.TaskState.IN_PROGRESS)
        .select_related("plan__feedback__target__unit")
        .first()
    )
    liaison = User.objects.get(username__contains="_ll", unit=task.plan.feedback.target.unit)
    task_services.task_progress(actor=liaison, task=task, text="按计划推进。")
    evidence = SimpleUploadedFile("closure.pdf", samples.pdf())
    task_services.task_transition(
        obj=task, action="request", actor=liaison, data={"text": "已完成。", "uploads": [evidence]}
    )
    staff = User.objects.filter(username__endswith="_staff1").first()
    assert task_services.task_transition(obj=task, action="close", actor=staff).state == rect.TaskState.CLOSED
    transfer = Transfer.objects.filter(state=TransferState.SENT).select_related("receiver").first()
    if transfer is not None:
        receiver = User.objects.get(
            role_assignments__scope=transfer.receiver, role_assignments__role__endswith="_receiver"
        )
        assert transfer_transition(obj=transfer, action="acknowledge", actor=receiver).state == "acknowledged"
    open_plan = rect.RectificationPlan.objects.exclude(state=rect.PlanState.APPROVED).first()
    if open_plan is not None and open_plan.state == rect.PlanState.SUBMITTED:
        plan_services.plan_transition(obj=open_plan, action="start_review", actor=staff)
    assert plan_services.plan_create(actor=SYSTEM, feedback=Feedback.objects.first()).pk  # one per feedback


def test_tiny_volumes(synth):
    # Two counties of TINY: problems in proportion to signed papers, ≈ 3 tasks each.
    assert synth.rows["findings.Problem"] == Problem.objects.count() > 2 * TINY.targets_per_round
    assert synth.rows["rectification.Task"] == rect.Task.objects.count()
    assert synth.timings["rectification"] >= 0 and synth.timings["findings"] >= 0


# --- event histories ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Machine:
    """An event kind, its object's state machine and the state the generator creates objects in."""

    kind: str
    events: type[Model]  # the TransitionEvent subclass
    fk: str  # its foreign key to the object
    workflow: Workflow
    initial: str


MACHINES = (
    Machine("RoundEvent", RoundEvent, "round", ROUND_WORKFLOW, RoundState.DRAFT),
    Machine("PaperEvent", PaperEvent, "paper", PAPER_WORKFLOW, PaperState.DRAFT),
    Machine("FixEvent", FixEvent, "notice", FIX_WORKFLOW, FixState.ISSUED),
    Machine("ReportEvent", ReportEvent, "report", REPORT_WORKFLOW, ReportState.RECEIVED),
    Machine("DraftEvent", DraftEvent, "report", DRAFT_WORKFLOW, DraftState.DRAFT),
    # A transfer is created already sent (transfer_send): its first event is the acknowledgement.
    Machine("TransferEvent", TransferEvent, "transfer", TRANSFER_WORKFLOW, TransferState.SENT),
    Machine("PlanEvent", rect.PlanEvent, "plan", PLAN_WORKFLOW, rect.PlanState.DRAFT),
    Machine("TaskEvent", rect.TaskEvent, "task", TASK_WORKFLOW, rect.TaskState.IN_PROGRESS),
)


def event_chain_problems(machine: Machine, as_of: date) -> list[str]:
    """Everything wrong with the event histories of one kind, one sentence per broken step.

    Per object, its events in (created_at, id) order must walk the table's edges from the initial
    state to the object's stored state; their times must not run backwards in the order they were
    written (id) and not lie after ``as_of``. An object without events must be in the initial state.
    """
    wf, fk = machine.workflow, f"{machine.fk}_id"
    objects = machine.events._meta.get_field(machine.fk).related_model
    stored = dict(objects.objects.values_list("pk", wf.state_field))
    rows = machine.events.objects.order_by(fk, "created_at", "id")
    history: dict[int, list[tuple]] = {}
    for row in rows.values_list(fk, "id", "action", "from_state", "to_state", "created_at"):
        history.setdefault(row[0], []).append(row[1:])
    problems = []
    for pk, final in stored.items():
        name = f"{machine.kind} of {objects.__name__} pk={pk}"
        events = history.get(pk, [])
        if not events:
            if final != machine.initial:
                problems.append(f"{name}: no events, but in state {final!r}, not the initial {machine.initial!r}")
            continue
        state = machine.initial
        for step, (event_id, action, from_state, to_state, created_at) in enumerate(events, start=1):
            where = f"{name}: step {step} (event id={event_id}, {action} {from_state}→{to_state})"
            transition = wf.get(action)
            if transition is None:
                problems.append(f"{where}: no action {action!r} in {wf.name}")
            else:
                if from_state not in transition.sources:
                    problems.append(f"{where}: from_state not among the sources {sorted(transition.sources)}")
                if to_state != transition.target:
                    problems.append(f"{where}: to_state is not the target {transition.target!r}")
            if from_state != state:
                problems.append(f"{where}: from_state is not the previous step's to_state {state!r}")
            if timezone.localtime(created_at).date() > as_of:
                problems.append(f"{where}: at {created_at.isoformat()}, after the as-of date {as_of}")
            state = to_state
        # Ordered by time, the chain cannot go back in time: the times must also rise with the ids,
        # the order the generator (like the workflow engine) wrote the steps in.
        by_id = sorted(events)
        for before, after in itertools.pairwise(by_id):
            if after[4] < before[4]:
                problems.append(
                    f"{name}: event id={after[0]} ({after[1]}) at {after[4].isoformat()} is earlier than "
                    f"event id={before[0]} ({before[1]}) at {before[4].isoformat()} written before it"
                )
        if state != final:
            problems.append(f"{name}: the last step ends in {state!r}, the object is in {final!r}")
    orphans = set(history) - set(stored)
    if orphans:
        problems.append(f"{machine.kind}: events of missing {objects.__name__} rows {sorted(orphans)[:10]}")
    return problems


def test_event_histories_walk_the_state_machines(synth):
    documented = {d.workflow.name: d.initial for d in diagrams()}
    problems, checked = [], {}
    for machine in MACHINES:
        # The generator starts objects where the documented diagram does ([*] --> initial).
        assert machine.initial == documented[machine.workflow.name], machine.kind
        problems += event_chain_problems(machine, synth.as_of)
        checked[machine.kind] = machine.events.objects.count()
    assert not problems, f"{len(problems)} broken steps:\n" + "\n".join(problems[:50])
    # Not vacuous: the data set's histories reach every kind.
    assert all(checked.values()), checked


def test_the_event_check_catches_a_corrupted_step(synth):
    task_events = next(m for m in MACHINES if m.kind == "TaskEvent")
    assert event_chain_problems(task_events, synth.as_of) == []
    event = rect.TaskEvent.objects.filter(action="request").order_by("id").first()
    rect.TaskEvent.objects.filter(pk=event.pk).update(to_state=rect.TaskState.CLOSED)
    problems = event_chain_problems(task_events, synth.as_of)
    assert problems
    assert all(p.startswith(f"TaskEvent of Task pk={event.task_id}: ") for p in problems), problems
    assert any(f"event id={event.pk}, request" in p and "to_state is not the target" in p for p in problems)
    # A step dated after as-of is caught too.
    later = timezone.make_aware(datetime.combine(synth.as_of + timedelta(days=1), time(9)))
    rect.TaskEvent.objects.filter(pk=event.pk).update(created_at=later)
    assert any("after the as-of date" in p for p in event_chain_problems(task_events, synth.as_of))
