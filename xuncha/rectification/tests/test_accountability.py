"""Accountability: the form must fit the subject kind, the problems must be the unit's (at least
one), the date not in the future; edits are audited; the office's list counts by form and kind,
filters by round and unit, and keeps its query count whatever the number of records."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from xuncha.audit.models import AuditEntry
from xuncha.common.exceptions import ServiceError
from xuncha.rectification.models import Accountability
from xuncha.rectification.selectors.accountability import accountability_list, accountability_stats
from xuncha.rectification.services import accountability as services
from xuncha.rectification.tests.test_followup import TODAY, approved_plan, people  # noqa: F401  (fixture)


@pytest.fixture
def plan(fed_back):
    return approved_plan(fed_back)


def _data(fb, **extra):
    return {
        "subject_kind": "cadre",
        "subject_name": "李某",
        "position": "镇党委副书记",
        "form": "talk",
        "deciding_body": "县纪委监委",
        "doc_no": "县纪发〔2026〕12号",
        "decided_on": TODAY(),
        "problems": list(fb["target"].problems.all()[:1]),
        **extra,
    }


def _record(fb, plan, **extra):
    return services.accountability_create(actor=fb["office"], plan=plan, **_data(fb, **extra))


def test_the_form_must_fit_the_subject(fed_back, plan):
    with pytest.raises(ServiceError, match="“约谈”不适用于党组织；对党组织可采取：责令检查、通报（党组织）、改组"):
        _record(fed_back, plan, subject_kind="org", subject_name="某镇党委", position="")
    with pytest.raises(ServiceError, match="“改组”不适用于党员干部"):
        _record(fed_back, plan, form="reorganise")
    with pytest.raises(ServiceError, match="请填写职务"):
        _record(fed_back, plan, position="")
    with pytest.raises(ServiceError, match="至少选择一个涉及的问题"):
        _record(fed_back, plan, problems=[])
    with pytest.raises(ServiceError, match="决定日期不能晚于今天"):
        _record(fed_back, plan, decided_on=TODAY() + timedelta(days=1))
    assert not Accountability.objects.exists()
    org = _record(fed_back, plan, subject_kind="org", subject_name="某镇党委", position="", form="inspection")
    assert org.get_form_display() == "责令检查" and org.problems.count() == 1


def test_problems_of_another_unit_are_refused(fed_back, plan, world):
    from xuncha.findings.services import problems as problem_services
    from xuncha.findings.tests.factories import signed_paper
    from xuncha.plans.models import RoundTarget

    # A second unit of the same round (on site already, so written directly as test set-up).
    other = RoundTarget.objects.create(round=fed_back["round"], unit=world.a["village"], team=fed_back["team"])
    stranger = problem_services.problem_create(
        actor=fed_back["users"]["member"],
        target=other,
        papers=[signed_paper(fed_back, title="另一单位的问题", target=other)],
        focus_items=[fed_back["items"][0]],
        title="另一单位的问题",
        description="村务公开不及时。",
        disciplines=["work"],
    )
    with pytest.raises(ServiceError, match="只能选择反馈给本单位的问题"):
        _record(fed_back, plan, problems=[stranger])


def test_only_the_office_records_and_edits_are_audited(fed_back, plan, people):  # noqa: F811
    for who in ("liaison", "member", "leader", "other_county"):
        with pytest.raises(PermissionDenied):
            services.accountability_create(actor=people[who], plan=plan, **_data(fed_back))
    record = _record(fed_back, plan)
    both = list(fed_back["target"].problems.all())
    services.accountability_update(
        actor=fed_back["office"], record=record, **_data(fed_back, form="admonish", problems=both)
    )
    record.refresh_from_db()
    assert record.form == "admonish" and record.problems.count() == 2
    entry = AuditEntry.objects.filter(action="rectification.accountability.update").get()
    assert entry.before == {"form": "talk", "problems": [both[0].pk]} and entry.after["form"] == "admonish"
    assert AuditEntry.objects.filter(action="rectification.accountability.create").count() == 1


def test_statistics_are_counted(fed_back, plan):
    _record(fed_back, plan)
    _record(fed_back, plan, subject_name="王某", form="talk")
    _record(fed_back, plan, subject_name="赵某", form="discipline")
    _record(fed_back, plan, subject_kind="org", subject_name="某镇党委", position="", form="inspection")
    stats = accountability_stats(accountability_list(user=fed_back["office"]))
    assert stats["total"] == 4 and stats["organisations"] == 1 and stats["persons"] == 3
    cadre = {str(label): n for label, n in stats["kinds"][1]["forms"]}
    assert cadre["约谈"] == 2 and cadre["纪律处分"] == 1 and cadre["诫勉"] == 0
    org = {str(label): n for label, n in stats["kinds"][0]["forms"]}
    assert org == {"责令检查": 1, "通报（党组织）": 0, "改组": 0}


def test_the_pages(client, fed_back, plan, people, django_assert_max_num_queries):  # noqa: F811
    client.force_login(fed_back["office"])
    add = reverse("rectification:accountability_add", args=[plan.pk])
    post = {**_data(fed_back, form="reorganise"), "decided_on": TODAY().isoformat()}
    post["problems"] = [p.pk for p in post["problems"]]
    assert "不适用于党员干部" in client.post(add, post).content.decode()
    post["form"] = "talk"
    assert client.post(add, post).status_code == 302
    for n in range(5):
        _record(fed_back, plan, subject_name=f"干部{n}", problems=list(fed_back["target"].problems.all()))
    url = reverse("rectification:accountability_list")
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "共问责 6 起" in page and "干部4" in page
    filtered = client.get(url, {"round": fed_back["round"].pk, "unit": fed_back["target"].unit.pk}).content.decode()
    assert "共问责 6 起" in filtered
    record = Accountability.objects.order_by("pk").first()
    edit = reverse("rectification:accountability_edit", args=[record.pk])
    assert client.get(edit).status_code == 200
    for who, status in (("liaison", 404), ("member", 404), ("leader", 404), ("other_county", 404)):
        client.force_login(people[who])
        assert client.get(edit).status_code == status, who
        assert client.get(add).status_code == status, who
    client.force_login(people["other_county"])
    assert "共问责 0 起" in client.get(url).content.decode()
    client.force_login(fed_back["liaison"])
    assert client.get(url).status_code == 403
    followup = client.get(reverse("rectification:plan_followup", args=[plan.pk])).content.decode()
    assert "李某" in followup and "登记问责" not in followup
