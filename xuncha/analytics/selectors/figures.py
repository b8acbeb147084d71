"""The round's figures for the situation report (情况汇报): one selector per figure.

Each selector takes the acting user, the round and optionally one unit of it, and returns a number
or a small table (a list of dicts) computed by one or two aggregate queries, whatever the size of
the round. Scoping (the statistics code, Perm.STATS_VIEW):

* whoever holds it over the round's jurisdiction (the office, the leading group, the supervising
  leader, an upper-level office over its lower levels) sees the round's figures;
* an inspected unit holds it over its own subtree only: it gets the rectification figures of its
  own units (``case=False`` below) and zeros for what the teams did, found and transferred, which
  it must not learn even as counts (domain.md §7);
* anyone else gets zeros and empty tables, never an error.

Figures are aggregates only, safe for an upper-level office; the one exception, the titles of the
most serious problems, is checked against Perm.FINDING_VIEW, which an upper office does not hold.

Rectification figures live in ``figures_rectification.py``; this module holds the scope and the
teams' work, findings and transfers.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Case, Count, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext as _

from xuncha.accounts.models import OrgUnit, UnitType
from xuncha.accounts.permissions import Perm, perm_paths, scope_queryset
from xuncha.fieldwork.models import FieldRecord, FixNotice, FixState, PaperState, RecordKind, WorkingPaper
from xuncha.findings.grouping import with_focus_group
from xuncha.findings.models import FocusItem, Problem, Severity, Tag
from xuncha.intake.models import Channel, Report, ReportState
from xuncha.plans.models import Round, RoundTarget
from xuncha.transfers.models import Disposal, Transfer, TransferKind, TransferState
from xuncha.transfers.selectors import transfer_overdue

# --- scope ---------------------------------------------------------------------------------------


def round_visible(user: Any, rnd: Round) -> bool:
    """Does ``user`` hold the statistics code over the whole round (its jurisdiction)?"""
    return any(rnd.jurisdiction.path.startswith(p) for p in perm_paths(user, Perm.STATS_VIEW))


def scoped(
    qs: QuerySet, user: Any, rnd: Round, unit: OrgUnit | None, *, unit_field: str, case: bool = True
) -> QuerySet:
    """``qs`` (already narrowed to the round) narrowed to what ``user`` may count, and to ``unit``.

    ``unit_field`` is the lookup to the org path of the unit a row belongs to; ``case`` marks the
    figures of the inspection itself, which need the whole round in scope."""
    if unit is not None:
        qs = qs.filter(**{f"{unit_field}__startswith": unit.path})
    if round_visible(user, rnd):
        return qs
    own = [p for p in perm_paths(user, Perm.STATS_VIEW) if p.startswith(rnd.jurisdiction.path)]
    if case or not own:
        return qs.none()
    return qs.filter(reduce(or_, [Q(**{f"{unit_field}__startswith": p}) for p in own]))


def _rows(pairs: list[tuple[str, int]]) -> list[dict[str, Any]]:
    return [{"label": str(label), "n": n} for label, n in pairs]


def _by(qs: QuerySet, field: str, choices: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """A row per choice (zeros included, in the choices' order) counted in one query."""
    counts = dict(qs.order_by().values_list(field).annotate(n=Count("pk")))
    return _rows([(label, counts.get(value, 0)) for value, label in choices])


# --- what the teams did ----------------------------------------------------------------------------


def teams_and_targets(user: Any, rnd: Round, unit: OrgUnit | None = None) -> dict[str, int]:
    """Teams sent, units inspected and, of those, villages (communities)."""
    qs = scoped(RoundTarget.objects.filter(round=rnd), user, rnd, unit, unit_field="unit__path")
    return qs.aggregate(
        teams=Count("team", distinct=True),
        targets=Count("pk"),
        villages=Count("pk", filter=Q(unit__unit_type=UnitType.VILLAGE)),
    )


def _records(user: Any, rnd: Round, unit: OrgUnit | None, kind: str) -> QuerySet:
    # Planned records (the interview list still to do) are intentions, not work done.
    qs = FieldRecord.objects.filter(team__round=rnd, kind=kind, planned=False)
    return scoped(qs, user, rnd, unit, unit_field="target__unit__path")


def interviews(user: Any, rnd: Round, unit: OrgUnit | None = None) -> dict[str, int]:
    """Individual interviews held (人次) and how many of the records the interviewee confirmed."""
    return _records(user, rnd, unit, RecordKind.INTERVIEW).aggregate(
        held=Count("pk"), confirmed=Count("pk", filter=Q(confirmed_on__isnull=False))
    )


def documents_requested(user: Any, rnd: Round, unit: OrgUnit | None = None) -> dict[str, int]:
    """Document requests (调阅资料, one record per hand-over) and how many were returned.

    The records count hand-overs, not sheets of paper: the number of documents read is not recorded
    and the report says "批次" for that reason."""
    return _records(user, rnd, unit, RecordKind.DOCUMENTS).aggregate(
        requests=Count("pk"), returned=Count("pk", filter=Q(returned_on__isnull=False))
    )


def site_visits(user: Any, rnd: Round, unit: OrgUnit | None = None) -> int:
    return _records(user, rnd, unit, RecordKind.VISIT).count()


def special_checks(user: Any, rnd: Round, unit: OrgUnit | None = None) -> int:
    return _records(user, rnd, unit, RecordKind.SPECIAL_CHECK).count()


def questionnaires(user: Any, rnd: Round, unit: OrgUnit | None = None) -> int:
    return _records(user, rnd, unit, RecordKind.QUESTIONNAIRE).count()


_IN_SCOPE = (ReportState.ACCEPTED, ReportState.LINKED, ReportState.CLOSED)


def public_reports(user: Any, rnd: Round, unit: OrgUnit | None = None) -> dict[str, Any]:
    """Reports from the public received, how they were triaged, and by channel (one query)."""
    qs = scoped(Report.objects.filter(round=rnd), user, rnd, unit, unit_field="target__unit__path")
    counts: dict[tuple[str, str], int] = {
        (row["state"], row["channel"]): row["n"]
        for row in qs.order_by().values("state", "channel").annotate(n=Count("pk"))
    }

    def total(states=None, channel=None) -> int:
        return sum(n for (s, c), n in counts.items() if (states is None or s in states) and channel in (None, c))

    return {
        "received": total(),
        "in_scope": total(_IN_SCOPE),
        "linked": total((ReportState.LINKED,)),
        "forwarded": total((ReportState.FORWARDED,)),
        "not_accepted": total((ReportState.NOT_ACCEPTED,)),
        "merged": total((ReportState.MERGED,)),
        "pending": total((ReportState.RECEIVED,)),
        "by_channel": _rows([(label, total(channel=value)) for value, label in Channel.choices]),
    }


def working_papers(user: Any, rnd: Round, unit: OrgUnit | None = None) -> dict[str, int]:
    qs = scoped(WorkingPaper.objects.filter(team__round=rnd), user, rnd, unit, unit_field="target__unit__path")
    return qs.aggregate(total=Count("pk"), signed=Count("pk", filter=Q(state=PaperState.SIGNED)))


def immediate_fixes(user: Any, rnd: Round, unit: OrgUnit | None = None) -> dict[str, int]:
    """Immediate-fix notices (立行立改) issued during the round and how many were accepted as done."""
    qs = scoped(FixNotice.objects.filter(paper__team__round=rnd), user, rnd, unit, unit_field="unit__path")
    return qs.aggregate(
        issued=Count("pk"),
        done=Count("pk", filter=Q(state=FixState.ACCEPTED)),
        answered=Count("pk", filter=Q(state=FixState.ANSWERED)),
    )


# --- what they found ------------------------------------------------------------------------------


def _problems(user: Any, rnd: Round, unit: OrgUnit | None) -> QuerySet:
    return scoped(Problem.objects.filter(round=rnd), user, rnd, unit, unit_field="target__unit__path")


def problems_by_severity(user: Any, rnd: Round, unit: OrgUnit | None = None) -> dict[str, Any]:
    """Problems found, in total and by severity (one query)."""
    rows = _by(_problems(user, rnd, unit), "severity", list(Severity.choices))
    return {"total": sum(r["n"] for r in rows), "rows": rows}


def problems_by_focus_item(user: Any, rnd: Round, unit: OrgUnit | None = None) -> list[dict[str, Any]]:
    """Problems per item of the round's focus list, each problem counted once under the item
    ``xuncha.findings.grouping`` gives it (two queries): a row per top-level item (every one of the
    round's list, zeros included; then any other a problem was filed under; then "其他问题" for
    problems filed under none), each followed by its sub-items that have problems (``sub``: a
    "其中" row, part of the row above, not added to it). The top-level rows add up to the problems
    found (``problems_by_severity``'s total)."""
    counted = (
        with_focus_group(_problems(user, rnd, unit))
        .order_by()
        .values("focus_root", "focus_sub")
        .annotate(n=Count("pk"))
    )
    roots: dict[int | None, int] = {}
    subs: dict[int, int] = {}
    for row in counted:
        roots[row["focus_root"]] = roots.get(row["focus_root"], 0) + row["n"]
        if row["focus_sub"] is not None:
            subs[row["focus_sub"]] = subs.get(row["focus_sub"], 0) + row["n"]
    return focus_item_rows(rnd, roots, subs)


def focus_item_rows(rnd: Round, roots: dict[int | None, int], subs: dict[int, int]) -> list[dict[str, Any]]:
    """The table of ``problems_by_focus_item`` from the counts per top-level item (None: filed
    under none) and per sub-item (one query, for the items' texts and order)."""
    listed = Q(pk__in=[pk for pk in [*roots, *subs] if pk is not None])
    listed |= Q(focus_list_id=rnd.focus_list_id, parent__isnull=True)
    items = list(FocusItem.objects.filter(listed).values("pk", "text", "parent_id", "position", "focus_list_id"))
    ours = rnd.focus_list_id
    rows: list[dict[str, Any]] = []
    for top in sorted(
        (i for i in items if i["parent_id"] is None), key=lambda i: (i["focus_list_id"] != ours, i["position"], i["pk"])
    ):
        rows.append({"label": top["text"], "n": roots.get(top["pk"], 0), "sub": False})
        children = sorted((i for i in items if i["parent_id"] == top["pk"]), key=lambda i: (i["position"], i["pk"]))
        rows += [{"label": c["text"], "n": subs[c["pk"]], "sub": True} for c in children if subs.get(c["pk"])]
    if roots.get(None):
        rows.append({"label": str(_("其他问题")), "n": roots[None], "sub": False})
    return rows


def problems_by_tag(user: Any, rnd: Round, unit: OrgUnit | None = None) -> list[dict[str, Any]]:
    """Tags used in the round's problems with their counts (only tags in use), by group."""
    ids = _problems(user, rnd, unit).values("pk")
    rows = (
        Tag.objects.filter(problems__in=ids)
        .values("group", "name", "position")
        .annotate(n=Count("problems", distinct=True))
        .order_by("group", "position", "name")
    )
    labels = dict(Tag._meta.get_field("group").choices)
    return [{"group": str(labels.get(r["group"], r["group"])), "label": r["name"], "n": r["n"]} for r in rows]


def recurring_tags(user: Any, rnd: Round, unit: OrgUnit | None = None, *, min_units: int = 2) -> list[dict[str, Any]]:
    """Tags found in at least ``min_units`` inspected units: the cheap sign of a common problem
    (举一反三) that the situation report can name; the full similarity grouping is elsewhere."""
    ids = _problems(user, rnd, unit).values("pk")
    rows = (
        Tag.objects.filter(problems__in=ids)
        .values("name")
        .annotate(units=Count("problems__target__unit", distinct=True), n=Count("problems", distinct=True))
        .filter(units__gte=min_units)
        .order_by("-units", "-n", "name")
    )
    return [{"label": r["name"], "units": r["units"], "n": r["n"]} for r in rows]


def serious_problem_titles(user: Any, rnd: Round, unit: OrgUnit | None = None, *, limit: int = 5) -> list[str]:
    """Titles of the round's most serious problems, for readers who may see problems at all
    (FINDING_VIEW over the round): never for an upper-level office or an inspected unit."""
    qs = scope_queryset(user, Perm.FINDING_VIEW, Problem.objects.filter(round=rnd))
    if unit is not None:
        qs = qs.filter(target__unit__path__startswith=unit.path)
    qs = qs.filter(severity__in=(Severity.GRAVE, Severity.SERIOUS))
    worst_first = Case(When(severity=Severity.GRAVE, then=Value(0)), default=Value(1))
    return list(qs.order_by(worst_first, "target__unit__name", "number").values_list("title", flat=True)[:limit])


# --- what was transferred ------------------------------------------------------------------------


def _transfers(user: Any, rnd: Round, unit: OrgUnit | None) -> QuerySet:
    return scoped(Transfer.objects.filter(round=rnd), user, rnd, unit, unit_field="target__unit__path")


def transfers_by_kind(user: Any, rnd: Round, unit: OrgUnit | None = None) -> list[dict[str, Any]]:
    """Matters and persons transferred, per kind (clues, personnel matters, sector problems…)."""
    qs = _transfers(user, rnd, unit).order_by().values("kind").annotate(n=Count("pk"), persons=Sum("persons_count"))
    found = {row["kind"]: row for row in qs}
    return [
        {"label": str(label), "n": found.get(kind, {}).get("n", 0), "persons": found.get(kind, {}).get("persons") or 0}
        for kind, label in TransferKind.choices
    ]


def transfers_by_receiver(user: Any, rnd: Round, unit: OrgUnit | None = None) -> list[dict[str, Any]]:
    qs = (
        _transfers(user, rnd, unit)
        .order_by()
        .values("receiver__name")
        .annotate(n=Count("pk"), persons=Sum("persons_count"))
        .order_by("-n", "receiver__name")
    )
    return [{"label": row["receiver__name"], "n": row["n"], "persons": row["persons"] or 0} for row in qs]


def transfers_by_state(user: Any, rnd: Round, unit: OrgUnit | None = None) -> list[dict[str, Any]]:
    return _by(_transfers(user, rnd, unit), "state", list(TransferState.choices))


def transfers_by_disposal(user: Any, rnd: Round, unit: OrgUnit | None = None) -> list[dict[str, Any]]:
    """How the receivers disposed of what they received (only what has a disposal recorded)."""
    return _by(_transfers(user, rnd, unit).exclude(disposal=""), "disposal", list(Disposal.choices))


def transfers_overdue(user: Any, rnd: Round, unit: OrgUnit | None = None) -> int:
    """Transfers still owing their report-back after the jurisdiction's deadline (default 3 months)."""
    return transfer_overdue(_transfers(user, rnd, unit)).count()
