from .fixes import FixEvent, FixNotice, FixState
from .papers import PaperEvent, PaperEvidence, PaperState, WorkingPaper
from .records import FieldRecord, InterviewCategory, RecordKind

__all__ = [
    "FieldRecord",
    "FixEvent",
    "FixNotice",
    "FixState",
    "InterviewCategory",
    "PaperEvent",
    "PaperEvidence",
    "PaperState",
    "RecordKind",
    "WorkingPaper",
]
