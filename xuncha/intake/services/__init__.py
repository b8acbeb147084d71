"""Services of the intake app: filing and messages, triage, identity, retention."""

from xuncha.intake.services.filing import (
    CONTACT_FIELDS,
    CONTENT_FIELDS,
    MAX_FILES,
    MAX_TEXT,
    Filed,
    attachment_open,
    message_add,
    message_text,
    open_json,
    report_by_code,
    report_file,
)
from xuncha.intake.services.identity import identity_unlock
from xuncha.intake.services.retention import round_reports_purge
from xuncha.intake.services.triage import report_transition

__all__ = [
    "CONTACT_FIELDS",
    "CONTENT_FIELDS",
    "MAX_FILES",
    "MAX_TEXT",
    "Filed",
    "attachment_open",
    "identity_unlock",
    "message_add",
    "message_text",
    "open_json",
    "report_by_code",
    "report_file",
    "report_transition",
    "round_reports_purge",
]
