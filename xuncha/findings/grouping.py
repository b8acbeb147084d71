"""Under which focus item a problem is listed and counted: one rule for every report, table and chart.

A focus list is a tree (top-level items such as the four of 四个落实, each with sub-items), and a
problem may be classified under an item and its sub-item, or under items of two top-level items.
Listing or counting it under each would tell the committee of more problems than were found (issue
16). The rule, as a report to the committee reads:

* A problem belongs to one top-level item: of the top-level items its items fall under (an item
  itself, or a sub-item's parent), the first in the list's order. Reports list it there, once;
  tables count it there, once; so the top-level rows add up to the number of problems.
* Within that item, its sub-item is the first of that item's sub-items it was classified under
  (none when only the item itself was ticked). Tables show sub-items as "其中" rows under their
  item: they break the item's count down and never add to it.
* A problem filed under no item (older data) goes under "其他问题", after the list's items.

``focus_group`` applies the rule to a problem's items in Python (the items' parents loaded);
``with_focus_group`` annotates a Problem queryset with the same choice in SQL, for aggregates.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from xuncha.findings.models import FocusItem


def _root(item: FocusItem) -> FocusItem:
    return item.parent if item.parent_id else item


def focus_group(items: Iterable[FocusItem]) -> tuple[FocusItem | None, FocusItem | None]:
    """(top-level item, sub-item or None) a problem with these items is listed under; (None, None)
    for none. Read ``item.parent`` of each sub-item: prefetch ``focus_items__parent``."""
    items = list(items)
    if not items:
        return None, None
    root = min((_root(item) for item in items), key=lambda r: (r.position, r.pk))
    subs = [item for item in items if item.parent_id == root.pk]
    return root, min(subs, key=lambda s: (s.position, s.pk)) if subs else None


def _items_of(outer: str) -> QuerySet[FocusItem]:
    return FocusItem.objects.filter(problems=OuterRef(outer)).annotate(
        root=Coalesce("parent_id", "id"), root_position=Coalesce("parent__position", "position")
    )


def with_focus_group(qs: QuerySet) -> QuerySet:
    """``qs`` (problems) annotated with ``focus_root`` and ``focus_root_text`` (the top-level item,
    None without items) and ``focus_sub`` (the sub-item or None), as ``focus_group`` chooses."""
    first = _items_of("pk").order_by("root_position", "root")
    qs = qs.annotate(
        focus_root=Subquery(first.values("root")[:1]),
        focus_root_text=Subquery(first.annotate(root_text=Coalesce("parent__text", "text")).values("root_text")[:1]),
    )
    subs = FocusItem.objects.filter(problems=OuterRef("pk"), parent_id=OuterRef("focus_root"))
    return qs.annotate(focus_sub=Subquery(subs.order_by("position", "pk").values("pk")[:1]))
