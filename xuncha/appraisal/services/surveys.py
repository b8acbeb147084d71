"""Opening a survey (one-time tokens), closing it, and the anonymous answer.

What the answer keeps: the survey, the options chosen, the comment and the day. What it does not
keep: who, from where, at what time, with which token. The used token's hash goes to a separate
table so a second use is refused; the printed serial number is deleted with the unused token row.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.permissions import Perm, require
from xuncha.appraisal.models import Answer, AnswerItem, Item, Survey, SurveyState, SurveyToken, UsedToken
from xuncha.appraisal.scoring import SCALE_SCORES
from xuncha.appraisal.selectors import questionnaire_current
from xuncha.appraisal.services.questionnaires import ensure_defaults
from xuncha.audit.services import audit_record
from xuncha.common.exceptions import ServiceError
from xuncha.findings.models import FeedbackState
from xuncha.plans.models import RoundTarget

MAX_TOKENS = 300
MAX_COMMENT = 2000


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def survey_open(*, actor: Any, target: Any, count: int) -> Survey:
    """Open the evaluation of the team by the unit, with ``count`` one-time links."""
    target = (
        RoundTarget.objects.select_for_update(of=("self",))
        .select_related("round__jurisdiction", "team")
        .get(pk=target.pk)
    )
    require(actor, Perm.SURVEY_MANAGE, target)
    feedback = getattr(target, "feedback", None)
    if feedback is None or feedback.state != FeedbackState.SENT:
        raise ServiceError(_("向该单位反馈巡察意见后才能开展巡后评估。"))
    if target.team_id is None:
        raise ServiceError(_("该单位没有对应的巡察组。"))
    if Survey.objects.filter(target=target).exists():
        raise ServiceError(_("该单位的巡后评估已经开展过。"))
    if not 1 <= count <= MAX_TOKENS:
        raise ServiceError(_("发放份数须在1至%(n)s之间。") % {"n": MAX_TOKENS})
    ensure_defaults()
    questionnaire = questionnaire_current(target.round.jurisdiction)
    # ensure_defaults() keeps the default questionnaire, which every jurisdiction falls back on.
    assert questionnaire is not None
    survey = Survey.objects.create(
        target=target,
        team=target.team,
        questionnaire=questionnaire,
        issued=count,
        opened_by=actor,
    )
    tokens = [secrets.token_urlsafe(18) for _i in range(count)]
    SurveyToken.objects.bulk_create(
        [SurveyToken(survey=survey, serial=i, token=t, token_hash=hash_token(t)) for i, t in enumerate(tokens, 1)]
    )
    audit_record(
        actor=actor,
        action="appraisal.survey.open",
        target=survey,
        after={
            "unit": target.unit.name,
            "team": str(target.team),
            "issued": count,
            "version": survey.questionnaire.version,
        },
    )
    return survey


@transaction.atomic
def survey_close(*, actor: Any, survey: Survey) -> Survey:
    """End the survey: the links not used stop working."""
    # NO KEY UPDATE: answers being stored at this moment (rows referring to the survey) are not
    # blocked by it, so the two meet only on the token rows, and in one order (no deadlock).
    survey = (
        Survey.objects.select_for_update(of=("self",), no_key=True)
        .select_related("target__unit", "team")
        .get(pk=survey.pk)
    )
    require(actor, Perm.SURVEY_MANAGE, survey)
    if survey.state == SurveyState.CLOSED:
        raise ServiceError(_("该测评已经结束。"))
    unused = survey.tokens.update(token="")
    survey.state, survey.closed_at, survey.closed_by = SurveyState.CLOSED, timezone.now(), actor
    survey.save(update_fields=["state", "closed_at", "closed_by", "updated_at"])
    audit_record(
        actor=actor,
        action="appraisal.survey.close",
        target=survey,
        after={"answers": survey.answers.count(), "unused": unused},
    )
    return survey


@transaction.atomic
def sheet_record(*, actor: Any, survey: Survey) -> None:
    """The sheet of links is handed out on paper: who looked at it is recorded."""
    require(actor, Perm.SURVEY_MANAGE, survey)
    audit_record(actor=actor, action="appraisal.survey.sheet", target=survey)


def _clean_values(survey: Survey, values: dict[int, int]) -> list[tuple[Item, int]]:
    items = list(
        Item.objects.filter(aspect__questionnaire_id=survey.questionnaire_id).order_by("aspect__order", "order")
    )
    allowed = SCALE_SCORES[survey.questionnaire.scale]
    if any(item.pk not in values for item in items):
        raise ServiceError(_("请对每一个评价项目作出选择。"))
    if any(values[item.pk] not in allowed for item in items):
        raise ServiceError(_("选项无效，请重新选择。"))
    return [(item, values[item.pk]) for item in items]


def answer_submit(*, token: str, values: dict[int, int], comment: str = "") -> Answer:
    """One answer per token: the token row is locked and deleted, its hash stored apart; a second
    submit of the same token (even at the same moment) is refused."""
    token_hash = hash_token(token or "")
    if len(comment) > MAX_COMMENT:
        raise ServiceError(_("意见建议不能超过%(n)s个字。") % {"n": MAX_COMMENT})
    try:
        with transaction.atomic():
            row = (
                SurveyToken.objects.select_for_update(of=("self",))
                .select_related("survey__questionnaire")
                .filter(token_hash=token_hash)
                .first()
            )
            if row is None or not row.token:
                raise ServiceError(_("该链接已经使用过或已失效。"))
            survey = row.survey
            if survey.state != SurveyState.OPEN:
                raise ServiceError(_("本次测评已经结束。"))
            chosen = _clean_values(survey, values)
            deleted, _rows = SurveyToken.objects.filter(pk=row.pk).delete()
            if not deleted:
                raise ServiceError(_("该链接已经使用过或已失效。"))
            UsedToken.objects.create(token_hash=token_hash, survey=survey)
            answer = Answer.objects.create(survey=survey, comment=comment.strip(), answered_on=timezone.localdate())
            scores = SCALE_SCORES[survey.questionnaire.scale]
            AnswerItem.objects.bulk_create(
                [AnswerItem(answer=answer, item=item, value=v, score=scores[v]) for item, v in chosen]
            )
            # Recorded against the survey only: no token, no serial, no answer id.
            audit_record(actor=None, action="appraisal.survey.answer", target=survey)
            return answer
    except IntegrityError:  # the same token's hash was stored by a parallel submit
        raise ServiceError(_("该链接已经使用过或已失效。")) from None
