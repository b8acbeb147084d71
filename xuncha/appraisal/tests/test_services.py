"""Surveys: opened after feedback, one answer per token, anonymous, closed means closed; the team
score on a hand fixture; flags reach the office head."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from xuncha.appraisal import selectors, services
from xuncha.appraisal.models import (
    Answer,
    AnswerItem,
    Questionnaire,
    Survey,
    SurveyState,
    SurveyToken,
    TeamAppraisal,
    UsedToken,
)
from xuncha.appraisal.tests.conftest import all_items, rate_all, token_of
from xuncha.audit.models import AuditEntry
from xuncha.common.exceptions import ServiceError
from xuncha.common.todo import todo_items
from xuncha.notify.models import Notification


def test_the_default_questionnaire_is_seeded(db):
    q = Questionnaire.objects.get(jurisdiction__isnull=True)
    assert [a.name for a in q.aspects.order_by("order")] == ["纪律作风", "工作作风", "工作质量", "廉洁自律"]


def test_a_jurisdiction_publishes_its_own_version(ev):
    county = ev["round"].jurisdiction
    text = "纪律作风\n遵守八项规定\n保守秘密\n\n工作质量：\n发现问题精准"
    q = services.questionnaire_publish(
        actor=ev["office"], jurisdiction=county, title="测评表", scale="five", structure=text
    )
    assert q.version == 1 and selectors.questionnaire_current(county) == q
    assert [a.name for a in q.aspects.order_by("order")] == ["纪律作风", "工作质量"]
    again = services.questionnaire_publish(
        actor=ev["office"], jurisdiction=county, title="测评表", scale="grade", structure=text
    )
    assert again.version == 2 and selectors.questionnaire_current(county) == again
    with pytest.raises(ServiceError, match="没有评价项目"):
        services.questionnaire_publish(
            actor=ev["office"], jurisdiction=county, title="x", scale="grade", structure="只有方面"
        )
    with pytest.raises(PermissionDenied):
        services.questionnaire_publish(
            actor=ev["outsider"], jurisdiction=county, title="x", scale="grade", structure=text
        )


def test_opening_makes_n_distinct_tokens_once(ev):
    survey = services.survey_open(actor=ev["office"], target=ev["target"], count=5)
    assert survey.tokens.count() == 5 and survey.team == ev["team"]
    assert len({t.token for t in survey.tokens.all()}) == 5
    with pytest.raises(ServiceError, match="已经开展过"):
        services.survey_open(actor=ev["office"], target=ev["target"], count=5)
    assert AuditEntry.objects.filter(action="appraisal.survey.open").count() == 1
    with pytest.raises(PermissionDenied):
        services.survey_close(actor=ev["outsider"], survey=survey)


def test_a_target_not_fed_back_cannot_be_surveyed(site, world):
    from xuncha.findings.tests.factories import office_user

    with pytest.raises(ServiceError, match="反馈巡察意见后"):
        services.survey_open(actor=office_user(world), target=site["target"], count=3)


def test_the_count_is_checked(ev):
    for bad in (0, 301):
        with pytest.raises(ServiceError, match="发放份数"):
            services.survey_open(actor=ev["office"], target=ev["target"], count=bad)
    assert not Survey.objects.exists()


def test_one_answer_per_token(survey):
    token = token_of(survey)
    services.answer_submit(token=token, values=rate_all(survey, 4), comment="作风扎实")
    with pytest.raises(ServiceError, match="已经使用过"):
        services.answer_submit(token=token, values=rate_all(survey, 1))
    assert Answer.objects.count() == 1 and survey.tokens.count() == 2


def test_every_item_must_be_rated_with_a_valid_option(survey):
    values = rate_all(survey, 4)
    values.pop(all_items(survey)[0].pk)
    with pytest.raises(ServiceError, match="每一个评价项目"):
        services.answer_submit(token=token_of(survey), values=values)
    with pytest.raises(ServiceError, match="选项无效"):
        services.answer_submit(token=token_of(survey), values=rate_all(survey, 9))
    assert not Answer.objects.exists() and survey.tokens.count() == 3  # nothing half-written


def test_an_answer_cannot_be_traced_to_its_token(survey):
    token = token_of(survey, serial=2)
    answer = services.answer_submit(token=token, values=rate_all(survey, 3), comment="")
    answer_fields = {f.name for f in Answer._meta.get_fields()}
    assert not answer_fields & {"token", "token_hash", "serial", "ip", "user", "created_at"}
    used_fields = {f.name for f in UsedToken._meta.get_fields()}
    assert used_fields == {"token_hash", "survey"}  # no answer, no serial, no time
    assert not SurveyToken.objects.filter(survey=survey, serial=2).exists()  # the serial is gone
    assert UsedToken.objects.get().token_hash == services.hash_token(token)
    assert not UsedToken.objects.filter(token_hash=token).exists()  # only the hash is kept
    entry = AuditEntry.objects.get(action="appraisal.survey.answer")
    assert entry.actor_id is None and token not in str(entry.after) and entry.target_type == "appraisal.survey"
    assert answer.survey_id == survey.pk


def test_a_closed_survey_refuses_and_its_links_die(survey, ev):
    token = token_of(survey)
    services.survey_close(actor=ev["office"], survey=survey)
    survey.refresh_from_db()
    assert survey.state == SurveyState.CLOSED and not survey.tokens.exclude(token="").exists()
    with pytest.raises(ServiceError):
        services.answer_submit(token=token, values=rate_all(survey, 4))
    with pytest.raises(ServiceError, match="已经结束"):
        services.survey_close(actor=ev["office"], survey=survey)
    assert not Answer.objects.exists()


def _answer(survey, values_by_serial):
    for serial, value in values_by_serial.items():
        services.answer_submit(token=token_of(survey, serial), values=rate_all(survey, value))


def test_the_team_score_on_a_hand_fixture(survey, ev):
    """Answers 好 and 一般 -> survey 80; 2 problems over 1 unit (benchmark 8) -> 25; no case -> 0;
    nothing rectified -> 0. (50*80 + 20*25 + 10*0 + 20*0) / 100 = 45.0 -> flagged (< 70)."""
    _answer(survey, {1: 4, 2: 2})
    live = selectors.team_live(ev["team"])
    assert live["responses"] == 2
    assert live["figures"].survey == 80.0 and live["figures"].problems == 2 and live["figures"].units == 1
    appraisal = services.team_appraisal_compute(actor=ev["office"], team=ev["team"])
    assert appraisal.total == Decimal("45.0") and appraisal.survey_score == Decimal("80.0")
    assert appraisal.flagged and appraisal.flag_reasons == ["综合得分45.0分，低于70分"]
    aspects = selectors.aspect_results(ev["team"])
    assert [a["name"] for a in aspects][0] == "纪律作风" and all(a["avg"] == 80 and a["n"] == 2 for a in aspects)


def test_a_case_and_rectification_raise_the_score(survey, ev, world):
    from xuncha.accounts.permissions import Role
    from xuncha.accounts.tests.factories import make_unit, make_user
    from xuncha.transfers import services as transfer_services

    commission = make_unit(world.a["county"], "甲县纪委监委", "department")
    jw = make_user(commission, Role.DISCIPLINE_RECEIVER, scope=commission)
    transfer = transfer_services.transfer_send(
        actor=ev["office"],
        round=ev["round"],
        kind="clue",
        receiver=commission,
        target=ev["target"],
        title="线索",
        summary="摘要",
        persons="张某",
        persons_count=1,
    )
    transfer_services.transfer_transition(obj=transfer, action="acknowledge", actor=jw)
    transfer_services.transfer_transition(obj=transfer, action="dispose", actor=jw, data={"disposal": "case"})
    _answer(survey, {1: 4})
    figures = selectors.team_figures(ev["team"])
    assert figures.cases == 1 and figures.survey == 100.0
    # (50*100 + 20*25 + 10*50 + 20*0) / 100 = 60.0
    assert services.team_appraisal_compute(actor=ev["office"], team=ev["team"]).total == Decimal("60.0")


def test_a_flag_reaches_the_office_head_until_the_talk_is_recorded(survey, ev, django_capture_on_commit_callbacks):
    _answer(survey, {1: 1})
    with django_capture_on_commit_callbacks(execute=True):
        appraisal = services.team_appraisal_compute(actor=ev["office"], team=ev["team"])
    assert appraisal.flagged
    note = Notification.objects.get(user=ev["head"])
    assert "巡后评估需关注" in note.title and "低于70分" in note.body
    assert not Notification.objects.filter(user=ev["office"]).exists()  # staff, not the head
    labels = [str(i.label) for i in todo_items(ev["head"])]
    assert "巡后评估需关注的巡察组待谈话" in labels
    assert "巡后评估需关注的巡察组待谈话" not in [str(i.label) for i in todo_items(ev["outsider"])]
    with pytest.raises(ServiceError, match="处理情况"):
        services.team_appraisal_handle(actor=ev["head"], appraisal=appraisal, handled_on=timezone.localdate(), note=" ")
    services.team_appraisal_handle(
        actor=ev["head"], appraisal=appraisal, handled_on=timezone.localdate(), note="约谈组长"
    )
    assert "巡后评估需关注的巡察组待谈话" not in [str(i.label) for i in todo_items(ev["head"])]
    with django_capture_on_commit_callbacks(execute=True):
        again = services.team_appraisal_compute(actor=ev["office"], team=ev["team"])
    assert again.handled_on is not None  # same reasons: the talk still answers them
    assert Notification.objects.filter(user=ev["head"]).count() == 1


def test_a_member_graded_unfit_flags_the_team(survey, ev, django_capture_on_commit_callbacks):
    _answer(survey, {1: 4, 2: 4, 3: 4})
    ev_rule = selectors.rule_for(ev["round"].jurisdiction)
    services.rule_update(
        actor=ev["office"],
        jurisdiction=ev["round"].jurisdiction,
        **{
            "w_survey": 100,
            "w_problems": 0,
            "w_cases": 0,
            "w_rectify": 0,
            "problems_per_unit": 8,
            "cases_target": 2,
            "threshold": ev_rule.threshold,
        },
    )
    appraisal = services.team_appraisal_compute(actor=ev["office"], team=ev["team"])
    assert appraisal.total == Decimal("100.0") and not appraisal.flagged
    member = ev["team"].members.select_related("person", "team").first()
    with django_capture_on_commit_callbacks(execute=True):
        services.member_grade(actor=ev["office"], member=member, grade="不称职", note="多次违反工作纪律")
    appraisal.refresh_from_db()
    assert appraisal.flagged and appraisal.flag_reasons == [f"成员{member.person.name}考核为不称职"]
    member.refresh_from_db()
    assert member.appraisal_grade == "不称职" and member.appraisal_note == "多次违反工作纪律"
    assert Notification.objects.filter(user=ev["head"], body__contains="不称职").exists()


def test_the_rule_must_add_up(ev):
    values = {
        "w_survey": 50,
        "w_problems": 20,
        "w_cases": 10,
        "w_rectify": 10,
        "problems_per_unit": 8,
        "cases_target": 2,
        "threshold": 70,
    }
    with pytest.raises(ServiceError, match="之和须为100"):
        services.rule_update(actor=ev["office"], jurisdiction=ev["round"].jurisdiction, **values)


def test_nothing_to_appraise_is_refused(ev):
    from xuncha.plans.tests.factories import make_round, make_staffed_team

    rnd = make_round(ev["round"].jurisdiction, number=9)
    team = make_staffed_team(rnd, [], ev["office"].unit, size=1)
    with pytest.raises(ServiceError, match="无法评定"):
        services.team_appraisal_compute(actor=ev["office"], team=team)
    assert not TeamAppraisal.objects.exists() and not AnswerItem.objects.exists()
