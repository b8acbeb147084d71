"""Writes of the appraisal app.

* ``questionnaires`` — publish a new questionnaire version; set the scoring rule.
* ``surveys``        — open a survey (one-time tokens), close it, record the sheet's printing,
  take an anonymous answer.
* ``teams``          — compute and store a team's evaluation, flag it, record the talk that
  followed; grade a member.
"""

from xuncha.appraisal.services.questionnaires import (
    ensure_defaults,
    parse_structure,
    questionnaire_publish,
    rule_update,
)
from xuncha.appraisal.services.surveys import answer_submit, hash_token, sheet_record, survey_close, survey_open
from xuncha.appraisal.services.teams import member_grade, team_appraisal_compute, team_appraisal_handle

__all__ = [
    "answer_submit",
    "ensure_defaults",
    "hash_token",
    "member_grade",
    "parse_structure",
    "questionnaire_publish",
    "rule_update",
    "sheet_record",
    "survey_close",
    "survey_open",
    "team_appraisal_compute",
    "team_appraisal_handle",
]
