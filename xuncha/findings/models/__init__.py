from xuncha.findings.models.feedback import CopyKind, Feedback, FeedbackCopy, FeedbackState
from xuncha.findings.models.focus import AppliesTo, FocusItem, FocusList, Tag, TagGroup
from xuncha.findings.models.problems import Problem, Severity
from xuncha.findings.models.reports import (
    DraftEvent,
    DraftKind,
    DraftState,
    InspectionReport,
    ReportVersion,
    ReviewDecision,
)
from xuncha.findings.models.sections import FEEDBACK, SECTIONS, Section, SectionText, sections_of

__all__ = [
    "AppliesTo",
    "CopyKind",
    "DraftEvent",
    "DraftKind",
    "DraftState",
    "FEEDBACK",
    "Feedback",
    "FeedbackCopy",
    "FeedbackState",
    "FocusItem",
    "FocusList",
    "InspectionReport",
    "Problem",
    "ReportVersion",
    "ReviewDecision",
    "SECTIONS",
    "Section",
    "SectionText",
    "Severity",
    "Tag",
    "TagGroup",
    "sections_of",
]
