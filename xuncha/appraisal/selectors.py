"""Reads of the appraisal app, each scoped to the acting user (Perm.SURVEY_MANAGE)."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Prefetch, Q, QuerySet

from xuncha.accounts.models import OrgUnit
from xuncha.accounts.permissions import Perm, perm_paths, scope_queryset
from xuncha.appraisal.models import Answer, AnswerItem, Questionnaire, ScoringRule, Survey, TeamAppraisal
from xuncha.appraisal.scoring import FAILING_GRADE, Figures, rule_dict, team_score
from xuncha.findings.models import Problem
from xuncha.plans.models import Round, RoundTarget, Team
from xuncha.rectification.workflow import DONE_TASK_STATES
from xuncha.transfers.models import Disposal, Transfer

CODE = Perm.SURVEY_MANAGE


def ancestor_paths(unit: OrgUnit) -> list[str]:
    return [unit.path[:end] for end in range(unit.steplen, len(unit.path) + 1, unit.steplen)]


def managed_jurisdictions(user: Any) -> QuerySet[OrgUnit]:
    """The units over which the user organises evaluations (the office's county, usually one)."""
    return OrgUnit.objects.filter(path__in=perm_paths(user, CODE)).order_by("path")


def questionnaire_current(jurisdiction: OrgUnit) -> Questionnaire | None:
    """The jurisdiction's latest version; else the nearest ancestor's; else the default."""
    paths = ancestor_paths(jurisdiction)
    candidates = Questionnaire.objects.filter(Q(jurisdiction__isnull=True) | Q(jurisdiction__path__in=paths))
    best = candidates.select_related("jurisdiction").order_by("-version")
    return max(best, key=lambda q: (len(q.jurisdiction.path) if q.jurisdiction else 0, q.version), default=None)


def questionnaire_items(questionnaire: Questionnaire) -> Questionnaire:
    return Questionnaire.objects.prefetch_related("aspects__items").get(pk=questionnaire.pk)


def questionnaire_versions(jurisdiction: OrgUnit) -> QuerySet[Questionnaire]:
    own = Q(jurisdiction=jurisdiction) | Q(jurisdiction__isnull=True)
    return Questionnaire.objects.filter(own).annotate(used=Count("surveys")).order_by("jurisdiction", "-version")


def rule_for(jurisdiction: OrgUnit) -> ScoringRule:
    """The jurisdiction's rule, else the nearest ancestor's, else the default (unsaved when none)."""
    rules = ScoringRule.objects.filter(
        Q(jurisdiction__isnull=True) | Q(jurisdiction__path__in=ancestor_paths(jurisdiction))
    )
    rules = list(rules.select_related("jurisdiction"))
    return max(rules, key=lambda r: len(r.jurisdiction.path) if r.jurisdiction else 0, default=None) or ScoringRule()


def round_list(*, user: Any) -> QuerySet:
    rounds = scope_queryset(user, CODE, Round.objects.select_related("jurisdiction"))
    return rounds.annotate(
        sent=Count("feedbacks", filter=Q(feedbacks__state="sent"), distinct=True),
        surveys=Count("targets__survey", distinct=True),
    ).order_by("-year", "-number")


def round_overview(*, round_obj: Any) -> list[dict[str, Any]]:
    """The round's teams, each with its targets (feedback state, survey and answer count) and
    its stored appraisal. Four queries whatever the size of the round."""
    surveys = Survey.objects.annotate(answered=Count("answers"))
    targets = RoundTarget.objects.select_related("unit", "feedback").prefetch_related(Prefetch("survey", surveys))
    teams = (
        Team.objects.filter(round=round_obj)
        .select_related("appraisal")
        .prefetch_related(Prefetch("targets", targets.order_by("unit__path")))
        .order_by("number")
    )
    rows = []
    for team in teams:
        target_rows = []
        for target in team.targets.all():
            feedback = getattr(target, "feedback", None)
            survey = getattr(target, "survey", None)
            target_rows.append(
                {"target": target, "fed_back": bool(feedback and feedback.state == "sent"), "survey": survey}
            )
        rows.append({"team": team, "targets": target_rows, "appraisal": getattr(team, "appraisal", None)})
    return rows


def survey_get_by_hash(token_hash: str) -> tuple[Survey | None, bool]:
    """(survey, usable) for a token hash: usable when the token is unused and the survey open."""
    from xuncha.appraisal.models import SurveyToken, UsedToken

    related = ("survey__questionnaire", "survey__target__unit", "survey__target__round", "survey__team")
    row = SurveyToken.objects.filter(token_hash=token_hash).select_related(*related).first()
    if row is not None:
        return row.survey, bool(row.token) and row.survey.state == "open"
    used = UsedToken.objects.filter(token_hash=token_hash).select_related("survey").first()
    return (used.survey, False) if used else (None, False)


def sheet_tokens(survey: Survey) -> QuerySet:
    return survey.tokens.exclude(token="").order_by("serial")


# --- results of one team ------------------------------------------------------------------


def aspect_results(team: Any) -> list[dict[str, Any]]:
    """Per aspect (by name, across the team's surveys): mean score out of 100 and answers counted."""
    rows = (
        AnswerItem.objects.filter(answer__survey__team=team)
        .values("item__aspect__name", "item__aspect__order")
        .annotate(avg=Avg("score"), n=Count("answer", distinct=True))
        .order_by("item__aspect__order", "item__aspect__name")
    )
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        merged.setdefault(
            row["item__aspect__name"], {"name": row["item__aspect__name"], "avg": row["avg"], "n": row["n"]}
        )
    return list(merged.values())


def item_results(team: Any) -> list[dict[str, Any]]:
    return list(
        AnswerItem.objects.filter(answer__survey__team=team)
        .values("item__aspect__name", "item__text")
        .annotate(avg=Avg("score"), n=Count("id"))
        .order_by("item__aspect__order", "item__order", "item__text")
    )


def comments(team: Any) -> QuerySet[Answer]:
    return (
        Answer.objects.filter(survey__team=team)
        .exclude(comment="")
        .select_related("survey__target__unit")
        .order_by("survey__target__unit__path", "pk")
    )


def team_figures(team: Any) -> Figures:
    survey = AnswerItem.objects.filter(answer__survey__team=team).aggregate(avg=Avg("score"))["avg"]
    problems = Problem.objects.filter(team=team, target__feedback__state="sent").annotate(
        n=Count("tasks"), open=Count("tasks", filter=~Q(tasks__state__in=DONE_TASK_STATES))
    )
    counts = problems.aggregate(total=Count("pk"), done=Count("pk", filter=Q(n__gt=0, open=0)))
    return Figures(
        survey=None if survey is None else float(survey),
        units=team.targets.filter(feedback__state="sent").count(),
        problems=counts["total"],
        cases=Transfer.objects.filter(team=team, disposal=Disposal.CASE).count(),
        rectified=counts["done"],
    )


def failing_members(team: Any) -> list[str]:
    return list(
        team.members.filter(appraisal_grade=FAILING_GRADE).order_by("pk").values_list("person__name", flat=True)
    )


def team_live(team: Any) -> dict[str, Any]:
    """The score as it would be computed now, with each indicator and the rule shown."""
    rule = rule_for(team.round.jurisdiction)
    figures = team_figures(team)
    result = team_score(figures, rule_dict(rule))
    responses = Answer.objects.filter(survey__team=team).count()
    return {"figures": figures, "result": result, "rule": rule, "responses": responses}


def flagged_appraisals(*, user: Any) -> QuerySet[TeamAppraisal]:
    qs = TeamAppraisal.objects.filter(flagged=True, handled_on__isnull=True)
    return scope_queryset(user, CODE, qs)


def person_appraisals(person: Any) -> QuerySet[TeamAppraisal]:
    """The team scores of the rounds a person served in (for the talent pool profile)."""
    return TeamAppraisal.objects.filter(team__members__person=person).select_related("team__round")
