"""Writes for fieldwork: on-site records, working papers with evidence, immediate-fix notices."""

from .fixes import fix_issue, fix_respond, fix_review
from .papers import paper_create, paper_evidence_add, paper_transition, paper_update
from .records import record_create, record_update

__all__ = [
    "fix_issue",
    "fix_respond",
    "fix_review",
    "paper_create",
    "paper_evidence_add",
    "paper_transition",
    "paper_update",
    "record_create",
    "record_update",
]
