"""The parts of a report only people can write (总体评价, 意见建议, 其他事项 …), written in the system.

Each kind of report, and the feedback opinion, has its own parts (``SECTIONS``), as its default
template has them. A part is kept as revisions: saving adds a row for each part whose text changed,
the newest row is the current text, and every generated version keeps in its snapshot the text it
was made from. A required part left empty stops the document from being generated.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The kinds a part belongs to: a report's DraftKind value, or the feedback opinion.
FEEDBACK = "feedback"


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise  # the heading in the document, and the label on the page
    required: bool = True
    help_text: str | Promise = ""


SECTIONS: dict[str, tuple[Section, ...]] = {
    "inspection": (
        Section("overview", _("基本情况和总体评价"), help_text=_("被巡察单位基本情况，对其党组织的总体评价。")),
        Section("suggestions", _("意见建议")),
        Section(
            "other",
            _("问题线索及其他事项"),
            required=False,
            help_text=_("问题线索件数由系统写入；此处写需要报告的其他事项，没有可不填。"),
        ),
    ),
    "thematic": (
        Section("overview", _("基本情况")),
        Section("analysis", _("原因分析和意见建议")),
    ),
    "clue": (),  # every clue comes from a problem: nothing to write by hand
    FEEDBACK: (Section("evaluation", _("总体评价"), help_text=_("对被巡察单位党组织的总体评价。")),),
}


def sections_of(kind: str) -> tuple[Section, ...]:
    return SECTIONS.get(kind, ())


class SectionText(models.Model):
    """One revision of one written part of a report or of a feedback opinion (append-only)."""

    report = models.ForeignKey(
        "findings.InspectionReport", on_delete=models.CASCADE, null=True, blank=True, related_name="section_texts"
    )
    feedback = models.ForeignKey(
        "findings.Feedback", on_delete=models.CASCADE, null=True, blank=True, related_name="section_texts"
    )
    key = models.CharField(_("部分"), max_length=30)
    revision = models.PositiveSmallIntegerField(_("修订"))
    text = models.TextField(_("内容"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("撰写内容")
        verbose_name_plural = _("撰写内容")
        ordering = ["key", "-revision"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(report__isnull=False, feedback__isnull=True) | Q(report__isnull=True, feedback__isnull=False)
                ),
                name="section_text_one_owner",
            ),
            models.UniqueConstraint(
                fields=["report", "key", "revision"],
                condition=Q(report__isnull=False),
                name="section_text_report_revision",
            ),
            models.UniqueConstraint(
                fields=["feedback", "key", "revision"],
                condition=Q(feedback__isnull=False),
                name="section_text_feedback_revision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} #{self.revision}"
