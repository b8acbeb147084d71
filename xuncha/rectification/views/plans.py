"""Rectification pages: the plans in scope, a plan's three lists and its review, a task's progress
and closure."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from xuncha.accounts.decorators import perm_required
from xuncha.accounts.permissions import Perm, has_perm
from xuncha.common.exceptions import ServiceError
from xuncha.common.pagination import paginate
from xuncha.common.views_helpers import form_error_messages, post_action, post_form_action
from xuncha.documents.services import trace_stamp
from xuncha.files.responses import attachment_disposition, stored_file_response
from xuncha.findings.access import access_feedback
from xuncha.rectification import excel, selectors
from xuncha.rectification.access import access_plan, access_task
from xuncha.rectification.forms import ImportForm, ReviewForm, TaskForm, UpdateForm
from xuncha.rectification.models import PlanImport, TaskUpdate
from xuncha.rectification.selectors import imports as import_selectors
from xuncha.rectification.selectors import supervision as supervision_selectors
from xuncha.rectification.services import plans as services
from xuncha.rectification.services import tasks as task_services
from xuncha.rectification.workflow import EDITABLE_PLAN_STATES, PLAN_WORKFLOW, TASK_WORKFLOW


@require_GET
@perm_required(Perm.RECTIFY_VIEW)
def plan_list(request):
    page = paginate(request, selectors.plan_list(user=request.user))
    ladder = selectors.Ladder()
    ladder.preload(
        list({p.feedback.target.round.jurisdiction_id: p.feedback.target.round.jurisdiction for p in page}.values())
    )
    rows = []
    for plan in page:
        tasks = list(plan.tasks.all())
        for task in tasks:
            task.plan = plan  # the ladder reads the jurisdiction through it, already loaded
        levels = [w.level for t in tasks if (w := ladder.warning(t))]
        done = {t.problem_id for t in tasks} and selectors.rate(plan, total=plan.n_problems)
        rows.append(
            {"plan": plan, "rate": done or (0, 0), "red": levels.count("red"), "yellow": levels.count("yellow")}
        )
    return render(
        request, "rectification/plan_list.html", {"page": page, "rows": rows, "sections": _sections(request.user)}
    )


# The rectification area's cross-unit pages, shown as buttons on the plans list to who may open them.
SECTIONS = [
    (gettext_lazy("领衔督办"), "rectification:assignment_list", Perm.SUPERVISE_VIEW),
    (gettext_lazy("专项整治"), "rectification:campaign_list", Perm.CAMPAIGN_VIEW),
    (gettext_lazy("督办文书"), "rectification:letter_list", Perm.RECTIFY_SUPERVISE),
    (gettext_lazy("整改评估"), "rectification:evaluation_list", Perm.RECTIFY_SUPERVISE),
    (gettext_lazy("问责情况"), "rectification:accountability_list", Perm.RECTIFY_SUPERVISE),
]


def _sections(user) -> list[tuple[str, str]]:
    return [(label, reverse(name)) for label, name, code in SECTIONS if has_perm(user, code)]


@require_POST
def plan_start(request, feedback_pk):
    feedback = access_feedback(request.user, feedback_pk, Perm.RECTIFY_EDIT, sent_only=True)
    return post_action(
        request,
        lambda: services.plan_create(actor=request.user, feedback=feedback),
        _("已建立整改方案，请针对每个问题制定整改措施。"),
        reverse("rectification:plan_for_feedback", args=[feedback.pk]),
    )


@require_GET
def plan_for_feedback(request, feedback_pk):
    feedback = access_feedback(request.user, feedback_pk, Perm.RECTIFY_VIEW, sent_only=True)
    plan = getattr(feedback, "plan", None)
    return redirect(plan) if plan else redirect("findings:unit_feedback_detail", feedback.pk)


@require_GET
def plan_detail(request, pk):
    plan = access_plan(request.user, pk)
    can_edit = has_perm(request.user, Perm.RECTIFY_EDIT, plan) and plan.state in EDITABLE_PLAN_STATES
    ladder = selectors.Ladder()
    rows = selectors.problem_rows(plan)
    for row in rows:
        for task in row["tasks"]:
            task.plan = plan
            task.warning = ladder.warning(task)
    reviews = list(plan.reviews.select_related("reviewer"))
    diff = services.version_diff(reviews[-1].snapshot, services.plan_snapshot(plan)) if reviews else []
    ctx = {
        "plan": plan,
        "rows": rows,
        "tasks": [t for r in rows for t in r["tasks"]],
        "rate": selectors.rate(plan),
        "warnings": services.plan_warnings(plan),
        "actions": selectors.plan_actions(user=request.user, plan=plan),
        "reviews": reviews,
        "diff": diff,
        "task_form": TaskForm(plan=plan) if can_edit else None,
        "import_form": ImportForm() if can_edit else None,
        "import_panel": import_selectors.import_panel(plan),
        "review_form": ReviewForm(),
        "report_due": services.report_due(plan),
        "can_supervise": has_perm(request.user, Perm.SUPERVISE_ASSIGN, plan),
        "campaign_problems": {t.problem_id for r in rows for t in r["tasks"] if t.campaign_id},
    }
    return render(request, "rectification/plan_detail.html", ctx)


@require_POST
def task_add(request, pk):
    plan = access_plan(request.user, pk, Perm.RECTIFY_EDIT)
    form = TaskForm(request.POST, plan=plan)
    fields = services.TASK_FIELDS
    return post_form_action(
        request,
        form,
        lambda d: services.task_add(actor=request.user, plan=plan, problem=d["problem"], **{k: d[k] for k in fields}),
        _("已添加整改任务。"),
        plan,
    )


@require_POST
def plan_transition(request, pk, action):
    plan = access_plan(request.user, pk)
    transition = PLAN_WORKFLOW.get(action)
    if transition is None:
        return redirect(plan)
    items = {key[5:]: value for key, value in request.POST.items() if key.startswith("item_") and value.strip()}
    data = {"comment": request.POST.get("comment", ""), "item_comments": items}
    return post_action(
        request,
        lambda: services.plan_transition(obj=plan, action=action, actor=request.user, data=data),
        _("已%(action)s。") % {"action": transition.label},
        plan,
    )


@require_GET
def task_detail(request, pk):
    task = access_task(request.user, pk)
    ctx = {
        "task": task,
        "updates": task.updates.select_related("actor").prefetch_related("files"),
        "warning": selectors.Ladder().warning(task),
        "today": timezone.localdate(),
        "next_report": supervision_selectors.next_report_due(
            task, supervision_selectors.last_reports([task]).get(task.pk)
        ),
        # Each step's form has its own prefix: field ids stay unique on the page.
        "actions": [(t, UpdateForm(prefix=t.action)) for t in selectors.task_actions(user=request.user, task=task)],
        "can_report": has_perm(request.user, Perm.RECTIFY_EDIT, task) and task.plan.state == "approved",
        "form": UpdateForm(),
        # A county leader reaches the task through his key item, not through the unit's plan.
        "can_see_plan": has_perm(request.user, Perm.RECTIFY_VIEW, task.plan),
    }
    return render(request, "rectification/task_detail.html", ctx)


@require_GET
def task_file(request, pk, file_pk):
    """A file attached to one of the task's updates (progress, closure request): whoever may see
    the task may read its evidence, and nobody else (the file id alone opens nothing)."""
    task = access_task(request.user, pk)
    link = (
        TaskUpdate.files.through.objects.filter(taskupdate__task_id=task.pk, storedfile_id=file_pk)
        .select_related("storedfile")
        .first()
    )
    if link is None:
        raise Http404
    return stored_file_response(request, link.storedfile, target=task, what=f"task evidence {task.number}")


@require_POST
def task_progress(request, pk):
    task = access_task(request.user, pk, Perm.RECTIFY_EDIT)
    form = UpdateForm(request.POST, request.FILES)
    return post_form_action(
        request,
        form,
        lambda d: task_services.task_progress(actor=request.user, task=task, text=d["text"], uploads=d["uploads"]),
        _("已报告整改进展。"),
        task,
    )


@require_POST
def task_transition(request, pk, action):
    task = access_task(request.user, pk)
    transition = TASK_WORKFLOW.get(action)
    if transition is None:
        return redirect(task)
    form = UpdateForm(request.POST, request.FILES, prefix=action)
    form.fields["text"].required = False
    return post_form_action(
        request,
        form,
        lambda d: task_services.task_transition(obj=task, action=action, actor=request.user, data=d),
        _("已%(action)s。") % {"action": transition.label},
        task,
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(request, content: bytes, name: str, plan, kind: str, label: str) -> HttpResponse:
    """The workbook stamped with this download's trace code; the hand-over recorded and audited."""
    traced = trace_stamp(
        actor=request.user,
        content=content,
        kind=kind,
        kind_label=label,
        target=plan,
        filename=name,
        source=request.get_full_path(),
        action="rectification.plan.export",
        after={"file": name},
    )
    response = HttpResponse(traced.content, content_type=XLSX)
    response["Content-Disposition"] = attachment_disposition(name)
    return response


@require_GET
def plan_template(request, pk):
    plan = access_plan(request.user, pk)
    name = _("整改方案模板-%(unit)s.xlsx") % {"unit": plan.feedback.target.unit.name}
    return xlsx_response(
        request, excel.plan_template(plan), name, plan, "rectification_plan_template", _("整改方案模板")
    )


@require_GET
def plan_ledger(request, pk):
    plan = access_plan(request.user, pk)
    name = _("整改台账-%(unit)s.xlsx") % {"unit": plan.feedback.target.unit.name}
    return xlsx_response(request, excel.ledger([plan]), name, plan, "rectification_ledger", _("整改台账"))


@require_POST
def plan_import(request, pk):
    plan = access_plan(request.user, pk, Perm.RECTIFY_EDIT)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect(plan)
    try:
        result = services.plan_import(actor=request.user, plan=plan, upload=form.cleaned_data["upload"][0])
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if isinstance(result, PlanImport):
            messages.info(request, _("文件较大，已转入后台导入，完成后本页显示结果，您可关闭页面。"))
        else:
            messages.success(request, _("已导入整改任务。"))
    return redirect(plan)


@require_GET
@never_cache
def plan_import_status(request, pk):
    """What the plan's page polls while a large file is imported in the background: the latest
    import's row as it stands (the worker does the import, never this request)."""
    plan = access_plan(request.user, pk)
    return render(request, "rectification/_plan_import.html", import_selectors.import_panel(plan))
