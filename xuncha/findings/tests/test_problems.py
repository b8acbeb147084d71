"""Problems from signed papers: classification against the round's list version, merging, and
the refusals (unsigned paper, paper used twice, another unit, wrong list, frozen list)."""

import pytest
from django.core.exceptions import PermissionDenied

from xuncha.audit.models import AuditEntry
from xuncha.common.exceptions import ServiceError
from xuncha.fieldwork.models import PaperState
from xuncha.fieldwork.services import papers as paper_services
from xuncha.findings.models import FocusItem, FocusList, Problem, Tag
from xuncha.findings.services import problems as services
from xuncha.findings.tests.factories import problem, signed_paper


def test_the_seeded_lists_and_tags_are_there(db):
    # Loaded by migration 0002 (pytest-django migrates the test database); this reads them as they are.
    four = FocusList.objects.get(name="四个落实", version=1, jurisdiction=None)
    assert four.items.filter(parent=None).count() == 4 and four.items.filter(parent__isnull=False).count() == 12
    assert FocusList.objects.filter(name="三个聚焦").count() == 2  # the three- and four-item versions
    assert FocusList.objects.get(name="六个围绕、一个加强").items.count() == 7
    assert Tag.objects.filter(group="near_public").count() == 12 and Tag.objects.filter(group="bucket").count() == 3


def test_problem_from_merged_signed_papers_is_numbered_and_audited(site):
    first, second = signed_paper(site, "违规发放补贴"), signed_paper(site, "违规发放加班费")
    tag = Tag.objects.get(name="虚报冒领")
    sub = FocusItem.objects.filter(parent=site["items"][1]).first()
    p1 = services.problem_create(
        actor=site["users"]["member"],
        target=site["target"],
        papers=[first, second],
        focus_items=[site["items"][1], sub],
        tags=[tag],
        title="违规发放津贴补贴",
        description="2025年以加班补助名义发放补贴。",
        disciplines=["integrity", "work"],
        responsibilities=["principal"],
        severity="serious",
        people="张某（镇长）",
    )
    p2 = problem(site)
    assert (p1.number, p2.number) == (1, 2)
    assert set(p1.papers.all()) == {first, second} and list(p1.tags.all()) == [tag]
    entry = AuditEntry.objects.get(action="findings.problem.create", target_id=str(p1.pk))
    assert entry.after["papers"] == sorted([first.pk, second.pk]) and entry.after["severity"] == "serious"


def test_only_signed_papers_count(site):
    member = site["users"]["member"]
    draft = paper_services.paper_create(actor=member, team=site["team"], target=site["target"], title="草稿")
    assert draft.state == PaperState.DRAFT
    with pytest.raises(ServiceError, match="尚未签发"):
        problem(site, paper=draft)
    with pytest.raises(ServiceError, match="至少一份"):
        services.problem_create(
            actor=member, target=site["target"], papers=[], focus_items=[site["items"][0]], title="x", description="y"
        )
    assert not Problem.objects.exists()


def test_a_paper_feeds_one_problem_only(site):
    paper = signed_paper(site)
    problem(site, paper=paper)
    with pytest.raises(ServiceError, match="已形成其他问题"):
        problem(site, paper=paper)
    assert Problem.objects.count() == 1


def test_focus_items_must_come_from_the_rounds_list_version(site):
    other = FocusList.objects.get(name="六个围绕、一个加强").items.first()
    with pytest.raises(ServiceError, match="四个落实"):
        services.problem_create(
            actor=site["users"]["member"],
            target=site["target"],
            papers=[signed_paper(site)],
            focus_items=[other],
            title="x",
            description="y",
        )


def test_a_round_without_a_list_cannot_classify(site):
    type(site["round"]).objects.filter(pk=site["round"].pk).update(focus_list=None)
    with pytest.raises(ServiceError, match="监督重点清单"):
        problem(site)


def test_bad_codes_and_empty_text_are_refused(site):
    for data, message in (
        ({"disciplines": ["nonsense"]}, "涉及纪律"),
        ({"responsibilities": ["x"]}, "责任类型"),
        ({"severity": "x"}, "严重程度"),
        ({"title": "  "}, "请填写问题"),
        ({"description": ""}, "具体表现"),
    ):
        with pytest.raises(ServiceError, match=message):
            problem(site, **data)
    assert not Problem.objects.exists()


def test_outsiders_cannot_assemble_problems(site, world):
    from xuncha.accounts.permissions import Role
    from xuncha.accounts.tests.factories import make_user

    office = make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"])
    with pytest.raises(PermissionDenied):
        services.problem_create(
            actor=office,
            target=site["target"],
            papers=[signed_paper(site)],
            focus_items=[site["items"][0]],
            title="x",
            description="y",
        )


def test_update_and_delete_while_assembling(site):
    p = problem(site)
    services.problem_update(actor=site["users"]["member"], problem=p, title="违规发放津贴补贴问题", severity="grave")
    p.refresh_from_db()
    assert p.title == "违规发放津贴补贴问题" and p.severity == "grave"
    entry = AuditEntry.objects.get(action="findings.problem.update")
    assert entry.before == {"title": "违规发放津贴补贴", "severity": "general"}
    services.problem_delete(actor=site["users"]["member"], problem=p)
    assert not Problem.objects.exists() and AuditEntry.objects.filter(action="findings.problem.delete").exists()
