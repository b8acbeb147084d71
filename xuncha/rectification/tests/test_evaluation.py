"""Evaluation: deductions within each item's points with a reason, grades at exactly 90/80/60, one
evaluation per plan (edits audited with before and after), a "差" proposes one draft look-back round
through the plans services; offices version their sheet (100 points, ordered thresholds); the list
filters by the derived grade; the score sheet opens in openpyxl."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from xuncha.audit.models import AuditEntry
from xuncha.common.exceptions import ServiceError
from xuncha.plans.models import Round, RoundMode, RoundState
from xuncha.rectification.evaluation_seed import default_items
from xuncha.rectification.models import Evaluation, EvaluationSheet, Grade
from xuncha.rectification.selectors.evaluation import sheet_for
from xuncha.rectification.services import evaluation as services
from xuncha.rectification.tests.test_followup import TODAY, approved_plan, people  # noqa: F401  (fixture)


@pytest.fixture
def plan(fed_back):
    from xuncha.rectification.evaluation_seed import load

    load()  # the default sheet comes with a migration; a flushed test database may lack it
    return approved_plan(fed_back)


def _score(fb, plan, deductions, **extra):
    return services.evaluation_save(actor=fb["office"], plan=plan, evaluated_on=TODAY(), deductions=deductions, **extra)


def _deduct(total_off):
    """Deductions that take ``total_off`` points, spread from the first item on."""
    rows, left = {}, Decimal(str(total_off))
    for item in default_items():
        take = min(left, Decimal(item["points"]))
        if take > 0:
            rows[item["code"]] = {"deduct": str(take), "reason": "未按期完成"}
        left -= take
    return rows


def test_deductions_are_bounded_and_need_a_reason(fed_back, plan):
    with pytest.raises(ServiceError, match="A1 主体责任落实：扣分须在0至10分之间"):
        _score(fed_back, plan, {"A1": {"deduct": "10.5", "reason": "x"}})
    with pytest.raises(ServiceError, match="扣分须在0至"):
        _score(fed_back, plan, {"A1": {"deduct": "-1", "reason": "x"}})
    with pytest.raises(ServiceError, match="扣分须写明理由"):
        _score(fed_back, plan, {"B1": {"deduct": "2", "reason": " "}})
    with pytest.raises(ServiceError, match="最多保留一位小数"):
        _score(fed_back, plan, {"B1": {"deduct": "1.25", "reason": "逾期"}})
    with pytest.raises(ServiceError, match="没有这些指标：Z9"):
        _score(fed_back, plan, {"Z9": {"deduct": "1", "reason": "x"}})
    assert not Evaluation.objects.exists()
    evaluation = _score(fed_back, plan, {"B1": {"deduct": "2.5", "reason": "1项逾期"}, "A1": {"deduct": "0"}})
    assert evaluation.deductions == {"B1": {"deduct": "2.5", "reason": "1项逾期"}}
    assert evaluation.total == Decimal("97.5") and evaluation.grade == Grade.GOOD


@pytest.mark.parametrize(
    ("off", "grade"),
    [
        ("10", Grade.GOOD),
        ("10.1", Grade.FAIR),
        ("20", Grade.FAIR),
        ("20.1", Grade.PASS),
        ("40", Grade.PASS),
        ("40.1", Grade.POOR),
    ],
)
def test_grade_boundaries(fed_back, plan, off, grade):
    evaluation = _score(fed_back, plan, _deduct(off))
    assert evaluation.total == 100 - Decimal(off) and evaluation.grade == grade


def test_one_evaluation_per_plan_edits_are_audited(fed_back, plan):
    first = _score(fed_back, plan, {"B1": {"deduct": "2", "reason": "逾期"}})
    second = _score(fed_back, plan, {"B1": {"deduct": "12", "reason": "多项逾期"}}, comment="整改偏慢")
    assert first.pk == second.pk and Evaluation.objects.count() == 1 and second.grade == Grade.FAIR
    entry = AuditEntry.objects.filter(action="rectification.evaluation.save").order_by("-seq").first()
    assert entry.before["total"] == "98.0" and entry.after["total"] == "88.0"
    assert entry.after["deductions"] == {"B1": {"deduct": "12.0", "reason": "多项逾期"}}


def test_only_the_office_scores_and_only_an_approved_plan(fed_back, plan, people):  # noqa: F811
    for who in ("liaison", "member", "leader", "other_county"):
        with pytest.raises(PermissionDenied):
            services.evaluation_save(actor=people[who], plan=plan, evaluated_on=TODAY(), deductions={})
    with pytest.raises(ServiceError, match="评估日期不能晚于今天"):
        services.evaluation_save(
            actor=fed_back["office"], plan=plan, evaluated_on=TODAY() + timedelta(days=1), deductions={}
        )


def test_a_poor_grade_proposes_one_look_back_round(fed_back, plan):
    fair = _score(fed_back, plan, _deduct("15"))
    with pytest.raises(ServiceError, match="为“差”时才提请"):
        services.evaluation_propose_lookback(actor=fed_back["office"], evaluation=fair)
    poor = _score(fed_back, plan, _deduct("45"))
    rnd = services.evaluation_propose_lookback(actor=fed_back["office"], evaluation=poor)
    original = fed_back["target"].round
    year = (TODAY() + services.LOOKBACK_STARTS_IN).year
    assert rnd.state == RoundState.DRAFT and rnd.jurisdiction_id == original.jurisdiction_id and rnd.year == year
    taken = set(
        Round.objects.filter(jurisdiction=original.jurisdiction, year=year)
        .exclude(pk=rnd.pk)
        .values_list("number", flat=True)
    )
    assert rnd.number == max(taken, default=0) + 1
    assert rnd.name == f"{year}年第{rnd.number}轮巡察“回头看”"
    target = rnd.targets.get()
    assert target.unit == fed_back["target"].unit and target.mode == RoundMode.LOOK_BACK
    assert target.original_round == original
    poor.refresh_from_db()
    assert poor.lookback_round == rnd
    with pytest.raises(ServiceError, match="不能重复提请"):
        services.evaluation_propose_lookback(actor=fed_back["office"], evaluation=poor)
    assert Round.objects.filter(targets__mode=RoundMode.LOOK_BACK).count() == 1
    assert AuditEntry.objects.filter(action="rectification.evaluation.lookback").count() == 1
    assert AuditEntry.objects.filter(action="plans.round.create", target_id=str(rnd.pk)).exists()


def _sheet(fb, world, items=None, **extra):
    data = {"name": "甲县整改评估指标表", "good_from": 90, "fair_from": 80, "pass_from": 60, **extra}
    return services.sheet_create(
        actor=fb["office"], jurisdiction=world.a["county"], items=items or default_items(), **data
    )


def test_sheet_versions(fed_back, world, plan):
    default = sheet_for(world.a["county"])
    assert default.jurisdiction is None
    bad = default_items()
    bad[0]["points"] = 11
    with pytest.raises(ServiceError, match="合计须为100分，现为101分"):
        _sheet(fed_back, world, bad)
    bad[0]["points"] = 0
    with pytest.raises(ServiceError, match="正整数"):
        _sheet(fed_back, world, bad)
    with pytest.raises(ServiceError, match="100 ≥ “好” > “较好” > “一般” > 0"):
        _sheet(fed_back, world, fair_from=90)
    dup = default_items()
    dup[1]["code"] = "A1"
    with pytest.raises(ServiceError, match="编号“A1”重复"):
        _sheet(fed_back, world, dup)
    first = _sheet(fed_back, world)
    assert sheet_for(world.a["county"]) == first and first.version == 1
    second = _sheet(fed_back, world, pass_from=50)
    first.refresh_from_db()
    assert second.version == 2 and not first.is_active and sheet_for(world.a["county"]) == second
    assert sheet_for(world.b["county"]) == default  # another county keeps the default
    default.refresh_from_db()
    assert default.is_active
    with pytest.raises(PermissionDenied):
        services.sheet_create(
            actor=fed_back["liaison"],
            jurisdiction=world.a["county"],
            name="x",
            items=default_items(),
            good_from=90,
            fair_from=80,
            pass_from=60,
        )
    evaluation = _score(fed_back, plan, _deduct("45"))
    assert evaluation.sheet == second and evaluation.grade == Grade.PASS  # 55 ≥ 50 on this version


def test_the_evaluation_pages(client, fed_back, plan):
    client.force_login(fed_back["office"])
    url = reverse("rectification:evaluation_edit", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "主体责任落实" in page and "扣分理由" in page
    post = {"evaluated_on": TODAY().isoformat(), "comment": "", "deduct_B1": "3", "reason_B1": ""}
    refused = client.post(url, post).content.decode()
    assert "扣分须写明理由" in refused
    unexplained = client.post(reverse("rectification:evaluation_preview", args=[plan.pk]), post)
    assert "扣分须写明理由" in unexplained.content.decode()
    preview = client.post(reverse("rectification:evaluation_preview", args=[plan.pk]), {**post, "reason_B1": "逾期"})
    assert "97" in preview.content.decode() and "好" in preview.content.decode()
    post.update({"deduct_B1": "41", "reason_B1": "多项逾期"})
    assert "扣分须在0至20分之间" in client.post(url, post).content.decode()
    post.update(
        {"deduct_B1": "20", "deduct_A1": "10", "reason_A1": "未研究部署", "deduct_C1": "10.5", "reason_C1": "不配合"}
    )
    assert client.post(url, post).status_code == 200  # C1 is worth 10
    post["deduct_C1"] = "10"
    assert client.post(url, post).status_code == 302
    followup = client.get(reverse("rectification:plan_followup", args=[plan.pk])).content.decode()
    assert "60" in followup and "提请开展“回头看”" not in followup  # 60 is 一般
    post["deduct_E1"], post["reason_E1"] = "0.5", "群众反映"
    client.post(url, post)
    followup = client.get(reverse("rectification:plan_followup", args=[plan.pk])).content.decode()
    assert "59.5" in followup and "提请开展“回头看”" in followup
    response = client.post(reverse("rectification:evaluation_lookback", args=[plan.pk]), follow=True)
    assert "已提请开展“回头看”" in response.content.decode()
    client.force_login(fed_back["liaison"])
    assert client.get(url).status_code == 404
    assert client.post(reverse("rectification:evaluation_lookback", args=[plan.pk])).status_code == 404


def test_the_score_sheet_round_trips(client, fed_back, plan):
    _score(fed_back, plan, {"B1": {"deduct": "2.5", "reason": "1项逾期"}}, comment="总体较好")
    client.force_login(fed_back["liaison"])  # the unit may download its own score sheet
    response = client.get(reverse("rectification:evaluation_xlsx", args=[plan.pk]))
    assert response.status_code == 200 and "xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row[0]}
    assert rows["B1"][1] == "按期销号" and rows["B1"][3] == 2.5 and rows["B1"][4] == 17.5 and rows["B1"][5] == "1项逾期"
    assert rows["合计"][4] == 97.5 and rows["评估等次"][1] == "好" and rows["评估意见"][1] == "总体较好"
    assert AuditEntry.objects.filter(action="rectification.plan.export", after__file__icontains="计分表").exists()


def test_the_list_filters_by_grade(client, fed_back, plan, people, django_assert_max_num_queries):  # noqa: F811
    _score(fed_back, plan, _deduct("45"))
    client.force_login(fed_back["office"])
    url = reverse("rectification:evaluation_list")
    with django_assert_max_num_queries(9):
        page = client.get(url).content.decode()
    assert fed_back["target"].unit.name in page and "待提请" in page
    assert fed_back["target"].unit.name in client.get(url, {"grade": "poor"}).content.decode()
    assert "没有符合条件的整改评估" in client.get(url, {"grade": "good"}).content.decode()
    client.force_login(people["other_county"])
    assert "没有符合条件的整改评估" in client.get(url).content.decode()
    client.force_login(fed_back["liaison"])
    assert client.get(url).status_code == 403
    client.force_login(fed_back["office"])
    sheets = client.get(reverse("rectification:evaluation_sheets")).content.decode()
    assert "系统默认" in sheets and "制定新版本" in sheets


def test_a_new_sheet_from_the_page(client, fed_back, world):
    client.force_login(fed_back["office"])
    url = reverse("rectification:sheet_create")
    page = client.get(url).content.decode()
    assert "主体责任落实" in page  # starts from the sheet in force
    post = {
        "jurisdiction": world.a["county"].pk,
        "name": "甲县整改评估指标表",
        "good_from": "90",
        "fair_from": "80",
        "pass_from": "60",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-0-code": "A",
        "items-0-label": "责任落实",
        "items-0-points": "60",
        "items-1-code": "B",
        "items-1-label": "整改成效",
        "items-1-points": "30",
    }
    assert "合计须为100分，现为90分" in client.post(url, post).content.decode()
    post["items-1-points"] = "40"
    assert client.post(url, post).status_code == 302
    sheet = EvaluationSheet.objects.get(jurisdiction=world.a["county"])
    assert [i["code"] for i in sheet.items] == ["A", "B"] and sheet.is_active
