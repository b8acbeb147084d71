"""Immediate-fix notices (立行立改通知): issued to the unit during the round, answered, accepted."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.common.models import TimeStampedModel, TransitionEvent


class FixState(models.TextChoices):
    ISSUED = "issued", _("已下发")
    ANSWERED = "answered", _("单位已反馈")
    ACCEPTED = "accepted", _("已验收")
    RETURNED = "returned", _("退回重改")


class FixNotice(TimeStampedModel):
    paper = models.ForeignKey("fieldwork.WorkingPaper", on_delete=models.PROTECT, related_name="fix_notices")
    unit = models.ForeignKey("accounts.OrgUnit", verbose_name=_("整改单位"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=20, choices=FixState.choices, default=FixState.ISSUED)
    issued_on = models.DateField(_("下发日期"))
    due_on = models.DateField(_("整改期限"))
    requirement = models.TextField(_("整改要求"))
    response = models.TextField(_("整改情况"), blank=True)
    responded_on = models.DateField(_("反馈日期"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("验收意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_on = models.DateField(_("验收日期"), null=True, blank=True)

    # Addressed to the unit: its leaders see it through their role over the unit.
    SCOPE_PATH_FIELD = "unit__path"

    class Meta:
        verbose_name = _("立行立改通知")
        verbose_name_plural = _("立行立改通知")
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "state"], name="fix_unit_state"),
            # The tracking list's order (fieldwork.selectors.fix_list): a city or province office
            # reads its first page off this index instead of sorting every notice in scope
            # (30 ms → 1 ms for a city at 100 counties; bench/results).
            models.Index(fields=["state", "due_on", "-id"], name="fix_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} 立行立改：{self.paper.title}"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:fix_detail", args=[self.pk])


class FixEvent(TransitionEvent):
    """One step of a notice: answered, accepted or returned (FIX_WORKFLOW)."""

    notice = models.ForeignKey(FixNotice, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("原状态"), max_length=20, choices=FixState.choices)
    to_state = models.CharField(_("新状态"), max_length=20, choices=FixState.choices)

    class Meta(TransitionEvent.Meta):
        verbose_name = _("立行立改流转记录")
        verbose_name_plural = _("立行立改流转记录")

    def __str__(self) -> str:
        return f"{self.notice_id} {self.from_state}→{self.to_state}"
