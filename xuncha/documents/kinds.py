"""What differs between the kinds of document: default template file, download name, secrecy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    # Here rather than in models.py so build_templates.py can run without the app registry.
    TEAM_AUTHORISATION = "team_authorisation", _("巡察授权书")
    ENTRY_NOTICE = "entry_notice", _("巡察进驻通知")
    ANNOUNCEMENT = "announcement", _("巡察公告")
    INSPECTION_REPORT = "inspection_report", _("巡察报告")
    THEMATIC_REPORT = "thematic_report", _("专题报告")
    CLUE_REPORT = "clue_report", _("问题线索报告")
    FEEDBACK_OPINION = "feedback_opinion", _("巡察反馈意见")
    TRANSFER_LETTER = "transfer_letter", _("移交函")
    ESCALATION_LETTER = "escalation_letter", _("整改督办文书")
    RECTIFICATION_REPORT = "rectification_report", _("整改情况报告")
    LEADER_REPORT = "leader_report", _("主要负责人组织落实整改情况报告")
    SITUATION_REPORT = "situation_report", _("巡察情况汇报")
    RECTIFICATION_PLAN = "rectification_plan", _("整改方案")
    COMPREHENSIVE_REPORT = "comprehensive_report", _("巡察综合报告")


DEFAULTS_DIR = Path(__file__).resolve().parent / "templates_docx"


@dataclass(frozen=True)
class KindSpec:
    kind: DocumentKind
    default_file: str
    ascii_name: str  # the plain filename= fallback for clients that ignore filename*
    # Internal material says "注意保密" in the trace footer; the public announcement is meant to be
    # posted on a wall, so its footer names the recipient without asking for secrecy.
    confidential: bool = True

    @property
    def default_path(self) -> Path:
        return DEFAULTS_DIR / self.default_file


SPECS: dict[str, KindSpec] = {
    DocumentKind.TEAM_AUTHORISATION: KindSpec(
        DocumentKind.TEAM_AUTHORISATION, "team_authorisation.docx", "team-authorisation.docx"
    ),
    DocumentKind.ENTRY_NOTICE: KindSpec(DocumentKind.ENTRY_NOTICE, "entry_notice.docx", "entry-notice.docx"),
    DocumentKind.ANNOUNCEMENT: KindSpec(
        DocumentKind.ANNOUNCEMENT, "announcement.docx", "announcement.docx", confidential=False
    ),
    DocumentKind.INSPECTION_REPORT: KindSpec(
        DocumentKind.INSPECTION_REPORT, "inspection_report.docx", "inspection-report.docx"
    ),
    DocumentKind.THEMATIC_REPORT: KindSpec(
        DocumentKind.THEMATIC_REPORT, "thematic_report.docx", "thematic-report.docx"
    ),
    DocumentKind.CLUE_REPORT: KindSpec(DocumentKind.CLUE_REPORT, "clue_report.docx", "clue-report.docx"),
    DocumentKind.FEEDBACK_OPINION: KindSpec(
        DocumentKind.FEEDBACK_OPINION, "feedback_opinion.docx", "feedback-opinion.docx"
    ),
    DocumentKind.TRANSFER_LETTER: KindSpec(
        DocumentKind.TRANSFER_LETTER, "transfer_letter.docx", "transfer-letter.docx"
    ),
    DocumentKind.ESCALATION_LETTER: KindSpec(
        DocumentKind.ESCALATION_LETTER, "escalation_letter.docx", "escalation-letter.docx"
    ),
    DocumentKind.RECTIFICATION_REPORT: KindSpec(
        DocumentKind.RECTIFICATION_REPORT, "rectification_report.docx", "rectification-report.docx"
    ),
    DocumentKind.LEADER_REPORT: KindSpec(DocumentKind.LEADER_REPORT, "leader_report.docx", "leader-report.docx"),
    DocumentKind.SITUATION_REPORT: KindSpec(
        DocumentKind.SITUATION_REPORT, "situation_report.docx", "situation-report.docx"
    ),
    DocumentKind.RECTIFICATION_PLAN: KindSpec(
        DocumentKind.RECTIFICATION_PLAN, "rectification_plan.docx", "rectification-plan.docx"
    ),
    DocumentKind.COMPREHENSIVE_REPORT: KindSpec(
        DocumentKind.COMPREHENSIVE_REPORT, "comprehensive_report.docx", "comprehensive-report.docx"
    ),
}
