from .fixes import FixNotice, FixState
from .papers import PaperEvent, PaperEvidence, PaperState, WorkingPaper
from .records import FieldRecord, InterviewCategory, RecordKind

__all__ = [
    "FieldRecord",
    "FixNotice",
    "FixState",
    "InterviewCategory",
    "PaperEvent",
    "PaperEvidence",
    "PaperState",
    "RecordKind",
    "WorkingPaper",
]
