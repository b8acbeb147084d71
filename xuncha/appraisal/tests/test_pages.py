"""The pages: the office of the county runs the survey and reads the results; another county's
office, the inspected unit and the team itself cannot; the public answering page needs no login,
takes one answer per link and says clearly why a link no longer works; query counts are pinned."""

import pytest
from django.test import override_settings
from django.urls import reverse

from xuncha.appraisal import services
from xuncha.appraisal.models import Answer, Survey
from xuncha.appraisal.tests.conftest import all_items, rate_all, token_of
from xuncha.audit.models import AuditEntry


def _post_all(survey, value, comment=""):
    return {f"item_{item.pk}": str(value) for item in all_items(survey)} | {"comment": comment}


def test_the_office_runs_a_survey_from_the_pages(client, ev):
    client.force_login(ev["office"])
    page = client.get(reverse("appraisal:round_detail", args=[ev["round"].pk])).content.decode()
    assert "开展测评" in page and ev["target"].unit.name in page
    open_url = reverse("appraisal:survey_open", args=[ev["target"].pk])
    response = client.post(open_url, {"count": 4})
    survey = Survey.objects.get()
    assert response.status_code == 302 and response.url == reverse("appraisal:survey_sheet", args=[survey.pk])
    sheet = client.get(response.url).content.decode()
    assert sheet.count("<svg") == 4 and token_of(survey) in sheet
    assert AuditEntry.objects.filter(action="appraisal.survey.sheet", actor=ev["office"]).exists()
    client.post(reverse("appraisal:survey_close", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.state == "closed"
    assert "<svg" not in client.get(reverse("appraisal:survey_sheet", args=[survey.pk])).content.decode()


def test_the_count_error_is_shown(client, ev):
    client.force_login(ev["office"])
    page = client.post(reverse("appraisal:survey_open", args=[ev["target"].pk]), {"count": 0}).content.decode()
    assert "invalid-feedback" in page and not Survey.objects.exists()


def test_answering_without_login(client, survey):
    url = reverse("appraisal_public:answer", args=[token_of(survey)])
    page = client.get(url).content.decode()
    assert "纪律作风" in page and "较好" in page and "匿名" in page
    incomplete = client.post(url, {"comment": "x"})
    assert incomplete.status_code == 200 and "还有项目没有选择" in incomplete.content.decode()
    done = client.post(url, _post_all(survey, 3, "希望多到基层"))
    assert done.status_code == 200 and "测评已提交" in done.content.decode()
    assert Answer.objects.get().comment == "希望多到基层"
    used = client.get(url)
    assert used.status_code == 410 and "已经提交过" in used.content.decode()
    assert client.post(url, _post_all(survey, 1)).status_code == 410
    assert Answer.objects.count() == 1


def test_a_wrong_token_reveals_nothing(client, survey):
    response = client.get(reverse("appraisal_public:answer", args=["not-a-token"]))
    assert response.status_code == 404 and "测评" not in response.content.decode()


def test_a_closed_survey_says_so(client, survey, ev):
    url = reverse("appraisal_public:answer", args=[token_of(survey)])
    services.survey_close(actor=ev["office"], survey=survey)
    response = client.get(url)
    assert response.status_code == 410 and "已经结束" in response.content.decode()
    assert client.post(url, _post_all(survey, 4)).status_code == 410 and not Answer.objects.exists()


@override_settings(ROOT_URLCONF="config.urls_public")
def test_the_public_only_instance_serves_the_answering_page(client, survey):
    url = f"/pingjia/{token_of(survey)}/"
    assert client.get(url).status_code == 200
    assert client.post(url, _post_all(survey, 4)).status_code == 200 and Answer.objects.count() == 1
    assert client.get("/appraisal/").status_code == 404


@pytest.mark.parametrize("who", ["outsider", "liaison", "unit_leader", "member"])
def test_others_cannot_reach_the_office_pages(client, ev, survey, who):
    user = ev["users"]["member"] if who == "member" else ev[who]
    client.force_login(user)
    assert client.get(reverse("appraisal:index")).status_code == (200 if who == "outsider" else 403)
    for name, pk in [
        ("round_detail", ev["round"].pk),
        ("team_detail", ev["team"].pk),
        ("survey_sheet", survey.pk),
        ("survey_open", ev["target"].pk),
    ]:
        assert client.get(reverse(f"appraisal:{name}", args=[pk])).status_code in (403, 404), name
    member = ev["team"].members.first()
    client.post(reverse("appraisal:member_grade", args=[member.pk]), {"grade": "不称职"})
    client.post(reverse("appraisal:survey_close", args=[survey.pk]))
    member.refresh_from_db()
    survey.refresh_from_db()
    assert member.appraisal_grade == "" and survey.state == "open"


def test_the_outsider_does_not_see_the_round_in_its_list(client, ev, survey):
    client.force_login(ev["outsider"])
    assert ev["round"].name not in client.get(reverse("appraisal:index")).content.decode()


def test_team_results_page_and_the_talk(client, ev, survey):
    for serial in (1, 2):
        services.answer_submit(token=token_of(survey, serial), values=rate_all(survey, 1), comment=f"意见{serial}")
    client.force_login(ev["head"])
    url = reverse("appraisal:team_detail", args=[ev["team"].pk])
    page = client.get(url).content.decode()
    assert "意见1" in page and "意见2" in page and "计算方法" in page and "尚未评定" in page
    client.post(reverse("appraisal:team_compute", args=[ev["team"].pk]))
    page = client.get(url).content.decode()
    assert "需关注" in page and "低于70分" in page
    home = client.get(reverse("home")).content.decode()
    assert "巡后评估需关注的巡察组待谈话" in home
    appraisal = ev["team"].appraisal
    client.post(reverse("appraisal:team_handle", args=[appraisal.pk]), {"handled_on": "2026-11-30", "note": "约谈组长"})
    assert "约谈组长" in client.get(url).content.decode()


def test_member_grade_with_a_comment_reaches_the_pool_profile(client, ev, survey):
    from xuncha.plans.services import pool_entry_save

    member = ev["team"].members.select_related("person").first()
    entry = pool_entry_save(actor=ev["office"], person=member.person, jurisdiction=ev["round"].jurisdiction)
    services.answer_submit(token=token_of(survey), values=rate_all(survey, 4))
    client.force_login(ev["office"])
    client.post(reverse("appraisal:team_compute", args=[ev["team"].pk]))
    client.post(reverse("appraisal:member_grade", args=[member.pk]), {"grade": "优秀", "note": "发现问题精准"})
    page = client.get(reverse("plans:pool_edit", args=[entry.pk])).content.decode()
    assert "优秀" in page and "发现问题精准" in page and str(ev["team"].appraisal.total) in page


def test_questionnaire_and_rule_pages(client, ev):
    client.force_login(ev["office"])
    url = reverse("appraisal:questionnaire")
    page = client.get(url).content.decode()
    assert "纪律作风" in page and "系统默认" in page
    client.post(url, {"title": "本县测评表", "scale": "five", "structure": "纪律作风\n遵守纪律\n\n工作质量\n精准"})
    page = client.get(url).content.decode()
    assert "本县测评表（第1版）" in page and "5分=100" in page
    bad = client.post(url, {"title": "x", "scale": "five", "structure": "只有方面"}).content.decode()
    assert "没有评价项目" in bad
    rule_url = reverse("appraisal:rule")
    values = {
        "w_survey": 60,
        "w_problems": 20,
        "w_cases": 10,
        "w_rectify": 10,
        "problems_per_unit": 5,
        "cases_target": 1,
        "threshold": 75,
    }
    assert client.post(rule_url, values).status_code == 302
    assert "之和须为100" in client.post(rule_url, values | {"w_survey": 10}).content.decode()


def test_query_counts_do_not_grow(client, ev, world, django_assert_max_num_queries):
    from xuncha.accounts.tests.factories import make_unit
    from xuncha.plans.tests.factories import make_round, make_staffed_team

    services.survey_open(actor=ev["office"], target=ev["target"], count=4)
    survey = Survey.objects.get()
    for serial in (1, 2, 3):
        services.answer_submit(token=token_of(survey, serial), values=rate_all(survey, 3), comment=f"c{serial}")
    bigger = make_round(ev["round"].jurisdiction, number=2)  # four teams, eight units
    for i in range(4):
        units = [make_unit(world.a["county"], f"单位{i}-{j}", "department") for j in range(2)]
        make_staffed_team(bigger, units, ev["office"].unit, size=2)
    client.force_login(ev["office"])
    for rnd in (ev["round"], bigger):
        with django_assert_max_num_queries(12):
            assert client.get(reverse("appraisal:round_detail", args=[rnd.pk])).status_code == 200
    with django_assert_max_num_queries(24):
        assert client.get(reverse("appraisal:team_detail", args=[ev["team"].pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("appraisal:index")).status_code == 200
    with django_assert_max_num_queries(16):  # the view is audited (a few queries of its own)
        assert client.get(reverse("appraisal:survey_sheet", args=[survey.pk])).status_code == 200
    client.logout()
    with django_assert_max_num_queries(6):  # the questionnaire in two queries whatever its length
        assert client.get(reverse("appraisal_public:answer", args=[token_of(survey, 4)])).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("appraisal_public:answer", args=["x" * 24])).status_code == 404
