"""Rectification (整改): the unit's plan with its three lists as views of one structure
(problem → tasks → owners), the tasks' progress with evidence, closure verified by someone else.

Nothing derivable is stored: a problem's status, the unit's rectification rate and every warning
level are computed from the tasks and today's date on read.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.common.models import TimeStampedModel, TransitionEvent


class PlanState(models.TextChoices):
    DRAFT = "draft", _("编制中")
    SUBMITTED = "submitted", _("已报送")
    IN_REVIEW = "in_review", _("联审中")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("审核通过")


class RectificationPlan(TimeStampedModel):
    feedback = models.OneToOneField("findings.Feedback", on_delete=models.PROTECT, related_name="plan")
    state = models.CharField(_("状态"), max_length=12, choices=PlanState.choices, default=PlanState.DRAFT)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    # The main leader signs the plan when it is submitted (第一责任人).
    signed_by = models.ForeignKey(
        "accounts.Person", verbose_name=_("签批人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_on = models.DateField(_("签批日期"), null=True, blank=True)
    approved_on = models.DateField(_("审核通过日期"), null=True, blank=True)

    SCOPE_PATH_FIELD = "feedback__target__unit__path"

    class Meta:
        verbose_name = _("整改方案")
        verbose_name_plural = _("整改方案")

    def __str__(self) -> str:
        return f"{self.feedback.target.unit.name}整改方案"

    def get_absolute_url(self) -> str:
        return reverse("rectification:plan_detail", args=[self.pk])


class Horizon(models.TextChoices):
    IMMEDIATE = "immediate", _("立行立改")
    DEADLINE = "deadline", _("限期整改")
    LONG_TERM = "long_term", _("长期坚持")


class ReportInterval(models.IntegerChoices):
    """How often a long-term task reports its progress (长期坚持: periodic reports)."""

    MONTHLY = 1, _("每月")
    QUARTERLY = 3, _("每季度")


class TaskState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("整改中")
    CLOSURE_REQUESTED = "closure_requested", _("申请销号")
    CLOSED = "closed", _("已销号")
    ONGOING = "ongoing", _("阶段性完成·持续整改")


class Task(TimeStampedModel):
    """One measure against one fed-back problem, with its standard, deadline and owners."""

    plan = models.ForeignKey(RectificationPlan, on_delete=models.CASCADE, related_name="tasks")
    problem = models.ForeignKey(
        "findings.Problem", verbose_name=_("问题"), on_delete=models.PROTECT, related_name="tasks"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    measure = models.TextField(_("整改措施"))
    standard = models.CharField(_("完成标准"), max_length=500)
    horizon = models.CharField(_("整改时限类型"), max_length=10, choices=Horizon.choices, default=Horizon.DEADLINE)
    due_on = models.DateField(_("完成时限"))
    leader = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("责任领导"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lead_dept = models.CharField(_("牵头部门"), max_length=100)
    coop_depts = models.CharField(_("配合部门"), max_length=200, blank=True)
    owner = models.CharField(_("具体责任人"), max_length=50)
    state = models.CharField(_("状态"), max_length=20, choices=TaskState.choices, default=TaskState.IN_PROGRESS)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    # Long-term tasks report periodically; the next report's date is derived from the last one.
    report_interval = models.PositiveSmallIntegerField(
        _("定期报告周期"), choices=ReportInterval.choices, null=True, blank=True
    )
    # A task the office added to the unit's plan for a sector clean-up (专项整治).
    campaign = models.ForeignKey(
        "rectification.Campaign",
        verbose_name=_("专项整治"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )

    SCOPE_PATH_FIELD = "plan__feedback__target__unit__path"

    class Meta:
        verbose_name = _("整改任务")
        verbose_name_plural = _("整改任务")
        ordering = ["plan", "problem__number", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="task_number_unique")]
        indexes = [
            models.Index(fields=["state", "due_on"], name="task_state_due"),
            # The open tasks of the plans in a scope (home page and to-do counts: overdue, awaiting
            # closure): a city office's counts read a few index entries per plan, not every task.
            models.Index(
                fields=["plan", "state", "due_on"],
                name="task_open_by_plan",
                condition=~models.Q(state__in=["ongoing", "closed"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("rectification:task_detail", args=[self.pk])


class TaskUpdate(models.Model):
    """Progress, a closure request, a verification or a rejection: what was said, with evidence."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("进展报告")
        REQUEST = "request", _("销号申请")
        CLOSE = "close", _("核验销号")
        REJECT = "reject", _("核验退回")
        ONGOING = "ongoing", _("阶段性完成")
        PERIODIC = "periodic", _("定期报告")
        REOPEN = "reopen", _("回访重新整改")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("内容"))
    files = models.ManyToManyField("files.StoredFile", verbose_name=_("佐证材料"), blank=True, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    SCOPE_PATH_FIELD = "task__plan__feedback__target__unit__path"

    class Meta:
        verbose_name = _("整改进展")
        verbose_name_plural = _("整改进展")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.task} {self.kind}"


class PlanReview(models.Model):
    """One reviewer's decision on one version of the plan, with comments per item (joint review)."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("同意")
        RETURN = "return", _("退回修改")

    plan = models.ForeignKey(RectificationPlan, on_delete=models.CASCADE, related_name="reviews")
    version = models.PositiveSmallIntegerField(_("版本"))
    decision = models.CharField(_("审核意见"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("总体意见"), blank=True)
    item_comments = models.JSONField(_("逐项意见"), default=dict, blank=True)  # {task number: comment}
    snapshot = models.JSONField(default=list)  # the tasks as reviewed: the diff between versions is read from it
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.plan} v{self.version} {self.decision}"


class PlanEvent(TransitionEvent):
    """Every step of the plan (PLAN_WORKFLOW); a reviewer's decision in detail is its PlanReview."""

    plan = models.ForeignKey(RectificationPlan, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("原状态"), max_length=20, choices=PlanState.choices)
    to_state = models.CharField(_("新状态"), max_length=20, choices=PlanState.choices)

    SCOPE_PATH_FIELD = "plan__feedback__target__unit__path"

    class Meta(TransitionEvent.Meta):
        verbose_name = _("整改方案流转记录")
        verbose_name_plural = _("整改方案流转记录")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.from_state}→{self.to_state}"


class TaskEvent(TransitionEvent):
    """Every step of a task (TASK_WORKFLOW); what was said, with evidence, is its TaskUpdate."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("原状态"), max_length=20, choices=TaskState.choices)
    to_state = models.CharField(_("新状态"), max_length=20, choices=TaskState.choices)

    SCOPE_PATH_FIELD = "task__plan__feedback__target__unit__path"

    class Meta(TransitionEvent.Meta):
        verbose_name = _("整改任务流转记录")
        verbose_name_plural = _("整改任务流转记录")

    def __str__(self) -> str:
        return f"{self.task_id} {self.from_state}→{self.to_state}"


class ImportState(models.TextChoices):
    RUNNING = "running", _("导入中")
    DONE = "done", _("已导入")
    FAILED = "failed", _("导入失败")


class PlanImport(models.Model):
    """A unit's filled template too large to import inside the web request: the worker imports it
    (``plan_import_task``) and the plan's page polls this row. The uploaded file is kept only until
    the import ends; what stays is the outcome (tasks imported, or the row errors)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(
        RectificationPlan, verbose_name=_("整改方案"), on_delete=models.CASCADE, related_name="imports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=10, choices=ImportState.choices, default=ImportState.RUNNING)
    filename = models.CharField(_("文件名"), max_length=255)
    content = models.BinaryField(_("文件内容"), null=True, blank=True)  # None once the import has ended
    rows = models.PositiveIntegerField(_("导入任务数"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)  # row errors, as parse_plan words them
    # The language of the page that uploaded: the worker's messages follow it.
    lang = models.CharField(_("语言"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # The background task that runs it (the queue's id; empty when the queue assigns it later).
    task_id = models.CharField(_("后台任务"), max_length=64, blank=True)

    SCOPE_PATH_FIELD = "plan__feedback__target__unit__path"

    class Meta:
        verbose_name = _("整改方案导入")
        verbose_name_plural = _("整改方案导入")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["plan", "created_at"], name="planimport_plan_created")]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.filename} {self.state}"
