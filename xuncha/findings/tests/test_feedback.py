"""Feedback: only after the report is approved, sent once, with the full problem list in the Word
opinion; the date starts the unit's clock; the list freezes."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document

from xuncha.audit.models import AuditEntry
from xuncha.common.exceptions import ServiceError
from xuncha.files.storage import open_stored
from xuncha.findings.models import FeedbackState
from xuncha.findings.services import feedback as services
from xuncha.findings.tests.factories import problem, ready_feedback, signed_paper


def _ready(site, world):
    return ready_feedback(site, world)


def test_feedback_waits_for_the_approved_report(site):
    problem(site)
    with pytest.raises(ServiceError, match="书记专题会审定"):
        services.feedback_prepare(actor=site["users"]["leader"], target=site["target"])


def test_send_once_with_the_full_list_and_the_clock(approved, site, world):
    feedback = _ready(site, world)
    feedback = services.feedback_send(actor=site["users"]["leader"], feedback=feedback)
    assert feedback.state == FeedbackState.SENT and feedback.sent_on == timezone.localdate()
    with open_stored(feedback.document) as fh:
        text = "\n".join(p.text for p in Document(io.BytesIO(fh.read())).paragraphs)
    assert "1. 违规发放津贴补贴。" in text and "2. 选人用人不规范。" in text
    assert "主要存在以下2个方面的问题" in text and "前将整改方案报送" in text
    assert AuditEntry.objects.get(action="findings.feedback.send").after["problems"] == 2
    with pytest.raises(ServiceError, match="不能重复反馈"):
        services.feedback_send(actor=site["users"]["leader"], feedback=feedback)
    with pytest.raises(ServiceError, match="已反馈"):
        services.feedback_update(actor=site["users"]["leader"], feedback=feedback, attendees="又改")
    # the list handed over is the list: no problem can be added or changed now
    with pytest.raises(ServiceError):
        problem(site, paper=signed_paper(site, "反馈后新增"))


def test_sending_needs_the_meeting_and_the_main_leader(approved, site):
    feedback = services.feedback_prepare(actor=site["users"]["leader"], target=site["target"])
    with pytest.raises(ServiceError) as exc:
        services.feedback_send(actor=site["users"]["leader"], feedback=feedback)
    text = " ".join(exc.value.messages)
    assert "反馈会议日期" in text
    feedback.refresh_from_db()
    assert feedback.state == FeedbackState.DRAFT and feedback.document is None


def test_dates_in_the_future_are_refused(approved, site, world):
    feedback = _ready(site, world)
    with pytest.raises(ServiceError, match="晚于今天"):
        services.feedback_send(
            actor=site["users"]["leader"], feedback=feedback, sent_on=timezone.localdate() + timedelta(days=1)
        )
    with pytest.raises(ServiceError, match="晚于今天"):
        services.feedback_update(
            actor=site["users"]["leader"], feedback=feedback, meeting_on=timezone.localdate() + timedelta(days=2)
        )


def test_the_round_workflow_names_the_sent_feedback_state_by_its_value():
    # plans cannot import findings (it comes first in the lifecycle), so its guard "every unit has
    # had its feedback" compares by value: the two must agree.
    from xuncha.findings.models import FeedbackState
    from xuncha.plans.workflow import FEEDBACK_SENT

    assert FeedbackState.SENT == FEEDBACK_SENT
