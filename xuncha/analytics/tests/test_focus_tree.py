"""Issue 16, findings 1 and 2: the round's reports name the round as the body does, and a problem
classified under a focus item and its sub-item (or under two items) is listed and counted once.

The rule (``xuncha.findings.grouping``): a problem belongs to one top-level item of the focus list,
the first of its items' top-level items in the list's order; reports list it there, tables count it
there, sub-items are "其中" rows that do not add to their item, and the total is the number of
problems. Problems are numbered 1, 2, 3… through each unit's list, not restarting per item.
"""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.analytics.selectors import dashboard as stats
from xuncha.analytics.selectors import figures as f
from xuncha.analytics.selectors.dashboard_lists import ListFilters, problem_drill_list
from xuncha.analytics.situation_exports import comprehensive_docx_export, situation_docx_export, situation_xlsx_export
from xuncha.common.testing import load_demo
from xuncha.documents.tests.docx_checks import open_docx
from xuncha.documents.trace import strip_fingerprints
from xuncha.findings.documents.contexts import feedback_context, inspection_report_context
from xuncha.findings.models import DraftKind, Feedback, Problem
from xuncha.findings.services import problems as problem_services
from xuncha.findings.services import reports as report_services
from xuncha.findings.tests.factories import findings_site, signed_paper
from xuncha.plans.models import Round, RoundTarget

ROUND_NAME = "县委第十四届第七轮巡察"
UNIT = re.compile(r"^（[一二三四五六七八九十]+）(?P<unit>[^。]+)。.*发现问题(?P<n>\d+)个")
ENTRY = re.compile(r"^(?P<index>\d+)\. (?P<title>.+)。$")


@pytest.fixture
def tree(world, settings, tmp_path):
    """Round 1 of the year named 县委第十四届第七轮巡察; the town has 5 problems, the village 2,
    classified under items and sub-items of 四个落实 in every combination."""
    settings.MEDIA_ROOT = tmp_path
    site = findings_site(world)
    Round.objects.filter(pk=site["round"].pk).update(name=ROUND_NAME)
    site["round"].refresh_from_db()
    village = RoundTarget.objects.create(round=site["round"], unit=world.a["village"], team=site["team"])
    roots = site["items"]

    def sub(i: int, j: int):
        return roots[i].children.order_by("position")[j]

    rows = [
        (site["target"], "甲问题", [roots[0], sub(0, 0)]),  # the item and its sub-item
        (site["target"], "乙问题", [roots[0]]),  # the item only
        (site["target"], "丙问题", [sub(0, 0)]),  # the sub-item only
        (site["target"], "丁问题", [sub(1, 3), roots[2]]),  # two items: counted under the first (二)
        (site["target"], "戊问题", [roots[2], sub(2, 1)]),
        (village, "己问题", [roots[1], sub(1, 0)]),
        (village, "庚问题", [sub(3, 0)]),
    ]
    for target, title, items in rows:
        problem_services.problem_create(
            actor=site["users"]["member"],
            target=target,
            papers=[signed_paper(site, title=title, target=target)],
            focus_items=items,
            title=title,
            description=f"{title}的具体表现。",
            disciplines=["work"],
        )
    office = make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])
    # counted by hand: per top-level item, and the sub-items under it
    expected = {roots[0].text: 3, roots[1].text: 2, roots[2].text: 1, roots[3].text: 1}
    subs = {sub(0, 0).text: 2, sub(1, 3).text: 1, sub(1, 0).text: 1, sub(2, 1).text: 1, sub(3, 0).text: 1}
    return {**site, "village_target": village, "office": office, "expected": expected, "subs": subs, "total": 7}


def _texts(document) -> list[str]:
    """Paragraphs as read: without trace marks, a title's line breaks (layout) joined."""
    return [strip_fingerprints(p.text).replace("\n", "") for p in document.paragraphs]


def _table(document, header: tuple[str, ...]) -> list[tuple[str, ...]]:
    for table in document.tables:
        rows = [tuple(cell.text for cell in row.cells) for row in table.rows]
        if rows and rows[0] == header:
            return rows[1:]
    raise AssertionError(f"no table {header}")


def _check_focus_rows(rows: list[tuple[str, int]], expected: dict, subs: dict, total: int) -> None:
    """Top-level rows = the hand count and add up to the total row; 其中 rows do not add up."""
    assert rows[-1] == ("合计", total)
    tops = {label: n for label, n in rows[:-1] if not label.startswith("其中")}
    others = {label.removeprefix("其中：").strip(): n for label, n in rows[:-1] if label.startswith("其中")}
    assert tops == expected
    assert sum(tops.values()) == total
    assert others == subs


def _unit_entries(document) -> dict[str, dict]:
    """Per unit subsection of the comprehensive report: the count it states and its entries."""
    out: dict[str, dict] = {}
    current = None
    for text in _texts(document):
        if (m := UNIT.match(text)) is not None:
            current = m["unit"]
            out[current] = {"n": int(m["n"]), "entries": []}
        elif re.match(r"^[一二三四五六七八九十]+、", text):
            current = None
        elif current and (e := ENTRY.match(text)) is not None:
            out[current]["entries"].append((int(e["index"]), e["title"]))
    return out


def _check_units(units: dict[str, dict]) -> None:
    for name, unit in units.items():
        entries = unit["entries"]
        assert len(entries) == unit["n"], name  # each problem once
        assert [i for i, _t in entries] == list(range(1, unit["n"] + 1)), name  # 1, 2, 3… no restart
        assert len({t for _i, t in entries}) == len(entries), name


# --- finding 1: the title names the round the body names -------------------------------------------


def test_the_situation_report_title_names_the_round(tree):
    texts = _texts(open_docx(situation_docx_export(actor=tree["office"], rnd=tree["round"]).content))
    assert "关于县委第十四届第七轮巡察情况的汇报" in texts
    assert "现将县委第十四届第七轮巡察有关情况汇报如下。" in texts
    assert not any("第一轮" in text for text in texts)


def test_the_comprehensive_report_title_names_the_round(tree):
    texts = _texts(open_docx(comprehensive_docx_export(actor=tree["office"], rnd=tree["round"]).content))
    assert "关于县委第十四届第七轮巡察情况的综合报告" in texts
    assert "现将县委第十四届第七轮巡察情况综合报告如下。" in texts
    assert not any("第一轮" in text for text in texts)


def test_a_report_for_one_unit_says_so_in_its_title(tree):
    unit = tree["village_target"].unit
    texts = _texts(open_docx(situation_docx_export(actor=tree["office"], rnd=tree["round"], unit=unit).content))
    assert f"关于县委第十四届第七轮巡察（{unit.name}）情况的汇报" in texts


# --- finding 2: each problem once --------------------------------------------------------------------


def test_the_figures_count_each_problem_once(tree):
    rows = f.problems_by_focus_item(tree["office"], tree["round"])
    tops = {row["label"]: row["n"] for row in rows if not row["sub"]}
    assert tops == tree["expected"]
    assert sum(tops.values()) == f.problems_by_severity(tree["office"], tree["round"])["total"] == tree["total"]
    assert {row["label"]: row["n"] for row in rows if row["sub"]} == tree["subs"]


def test_the_situation_reports_focus_table_adds_up(tree):
    document = open_docx(situation_docx_export(actor=tree["office"], rnd=tree["round"]).content)
    rows = [(label, int(n)) for label, n in _table(document, ("监督重点", "问题数"))]
    _check_focus_rows(rows, tree["expected"], tree["subs"], tree["total"])


def test_the_comprehensive_report_lists_each_problem_once_numbered_through(tree):
    document = open_docx(comprehensive_docx_export(actor=tree["office"], rnd=tree["round"]).content)
    units = _unit_entries(document)
    town, village = tree["target"].unit.name, tree["village_target"].unit.name
    assert units[town]["entries"] == [(1, "甲问题"), (2, "乙问题"), (3, "丙问题"), (4, "丁问题"), (5, "戊问题")]
    assert units[village]["entries"] == [(1, "己问题"), (2, "庚问题")]
    _check_units(units)
    texts = _texts(document)
    roots = tree["items"]
    # the groups are the top-level items, in the list's order, once each per unit
    town_start = next(i for i, t in enumerate(texts) if t.startswith(f"（一）{town}"))
    village_start = next(i for i, t in enumerate(texts) if t.startswith(f"（二）{village}"))
    groups = [t for t in texts[town_start:village_start] if t.endswith("方面：")]
    assert groups == [f"{roots[0].text}方面：", f"{roots[1].text}方面：", f"{roots[2].text}方面："]


def test_the_page_table_adds_up(tree, client):
    client.force_login(tree["office"])
    page = client.get(reverse("analytics:round_situation", args=[tree["round"].pk])).content.decode()
    table = page[page.index("监督重点") : page.index("</table>", page.index("监督重点"))]
    rows = [
        (re.sub(r"<[^>]+>", "", label).strip(), int(n))
        for label, n in re.findall(r"<tr[^>]*>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(\d+)</td>\s*</tr>", table, re.S)
    ]
    _check_focus_rows(rows, tree["expected"], tree["subs"], tree["total"])


def test_the_workbook_table_adds_up(tree):
    book = load_workbook(io.BytesIO(situation_xlsx_export(actor=tree["office"], rnd=tree["round"]).content))
    values = list(book["发现问题"].iter_rows(values_only=True))
    start = values.index(("按巡察监督重点", None, None)) + 2
    end = values.index((None, None, None), start) if (None, None, None) in values[start:] else len(values)
    rows = [(strip_fingerprints(str(label)), n) for label, n, *_rest in values[start:end]]
    _check_focus_rows(rows, tree["expected"], tree["subs"], tree["total"])


def test_the_dashboard_counts_each_problem_once_and_the_bar_opens_its_problems(tree):
    office, rnd = tree["office"], tree["round"]
    figs = stats.figures(stats.scope_for(office), stats.Filters(round=rnd))
    bars = {row["item"]: row["n"] for row in figs.by_focus}
    assert bars == {label: n for label, n in tree["expected"].items() if n}
    assert sum(bars.values()) == figs.summary["problems"] == tree["total"]
    for row in figs.by_focus:
        listed = problem_drill_list(user=office, f=ListFilters(round_id=rnd.pk, focus_id=row["item_id"]))
        assert listed.count() == row["n"] == len(set(listed.values_list("pk", flat=True)))


def test_the_inspection_report_and_feedback_list_each_problem_once(tree):
    site, today = tree, timezone.localdate()
    report = report_services.draft_create(
        actor=site["users"]["member"], team=site["team"], kind=DraftKind.INSPECTION, target=site["target"]
    )
    feedback = Feedback.objects.create(target=site["target"], round=site["round"], team=site["team"])
    roots = tree["items"]
    for ctx in (inspection_report_context(report, today=today), feedback_context(feedback, today=today)):
        groups = ctx["groups"]
        assert [g["heading"] for g in groups] == [roots[0].text, roots[1].text, roots[2].text]
        assert [g["label"] for g in groups] == ["（一）", "（二）", "（三）"]
        entries = [(p["index"], p["title"]) for g in groups for p in g["problems"]]
        assert entries == [(1, "甲问题"), (2, "乙问题"), (3, "丙问题"), (4, "丁问题"), (5, "戊问题")]
        assert ctx["problem_count"] == len(entries) == Problem.objects.filter(target=site["target"]).count()


# --- the demo county ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_countys_reports():
    from xuncha.accounts.models import User

    load_demo()
    office = User.objects.get(username="xcb_ganbu")
    rnd = Round.objects.get(name=ROUND_NAME)
    document = open_docx(comprehensive_docx_export(actor=office, rnd=rnd).content)
    texts = _texts(document)
    assert "关于县委第十四届第七轮巡察情况的综合报告" in texts
    units = _unit_entries(document)
    problems = Problem.objects.filter(round=rnd, target__unit__name="县民政局").count()
    assert units["县民政局"]["n"] == problems == len(units["县民政局"]["entries"]) == 3
    _check_units(units)
    situation = open_docx(situation_docx_export(actor=office, rnd=rnd).content)
    assert "关于县委第十四届第七轮巡察情况的汇报" in _texts(situation)
    rows = [(label, int(n)) for label, n in _table(situation, ("监督重点", "问题数"))]
    total = Problem.objects.filter(round=rnd).count()
    assert rows[-1] == ("合计", total)
    assert sum(n for label, n in rows[:-1] if not label.startswith("其中")) == total
