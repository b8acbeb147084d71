"""Recusal (回避): may this person inspect these units? Every reason, in words an official uses.

A person must not inspect a unit (or a unit under it) where:
* they hold a post now, held one within the last N years, or served there for M years or more;
* their spouse, parent or child, sibling, collateral relative within three generations or close
  in-law holds a post now;
* their former direct superior or subordinate holds a post now;
* they declared a conflict, or the unit asked for their recusal.
N and M are deadline rules (defaults 3 and 3), configurable per jurisdiction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.accounts.models import OrgUnit, Person, Post, RelationKind, Relationship
from xuncha.plans.models import RecusalDeclaration


@dataclass(frozen=True)
class Conflict:
    unit: OrgUnit  # the inspected unit the conflict is about
    reason: str


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _served_years(post: Post, today: date) -> float:
    return ((post.end_date or today) - post.start_date).days / 365.25


def _relation_words(person: Person, rel: Relationship) -> tuple[Person, str]:
    """The other person and how they relate to ``person`` ("配偶", "子女", "曾经的直接上级"…)."""
    forward = rel.person_id == person.pk
    other = rel.relative if forward else rel.person
    words = {
        RelationKind.SPOUSE: _("配偶"),
        RelationKind.SIBLING: _("兄弟姐妹"),
        RelationKind.COLLATERAL: _("三代以内旁系血亲"),
        RelationKind.IN_LAW: _("近姻亲"),
        # For directed kinds ``rel.person`` is the parent / the superior.
        RelationKind.PARENT_CHILD: _("子女") if forward else _("父母"),
        RelationKind.SUPERIOR: _("曾经的直接下级") if forward else _("曾经的直接上级"),
    }
    return other, str(words[RelationKind(rel.kind)])


def _target_of(unit: OrgUnit, targets: list[OrgUnit]) -> OrgUnit | None:
    """The inspected unit whose subtree contains ``unit`` (a post in a village counts for its township)."""
    return next((t for t in targets if unit.path.startswith(t.path)), None)


def find_conflicts(
    person: Person,
    units: Iterable[OrgUnit],
    *,
    recent_years: int = 3,
    long_service_years: int = 3,
    today: date | None = None,
) -> list[Conflict]:
    """All recusal conflicts of ``person`` with ``units``. Three queries whatever the sizes."""
    targets = list(units)
    if not targets:
        return []
    today = today or timezone.localdate()
    in_targets = Q()
    for t in targets:
        in_targets |= Q(unit__path__startswith=t.path)
    conflicts: list[Conflict] = []
    conflicts += _own_posts(person, targets, in_targets, today, recent_years, long_service_years)
    conflicts += _relatives(person, targets, in_targets)
    conflicts += _declarations(person, targets)
    return conflicts


def _own_posts(person, targets, in_targets, today, recent_years, long_years) -> list[Conflict]:
    found = []
    recent_cutoff = _years_ago(today, recent_years)
    for post in Post.objects.filter(in_targets, person=person).select_related("unit").order_by("start_date"):
        target = _target_of(post.unit, targets)
        if post.end_date is None:
            reason = _("%(name)s现任%(unit)s%(title)s") % {
                "name": person.name,
                "unit": post.unit.name,
                "title": post.title,
            }
        elif post.end_date >= recent_cutoff:
            reason = _("%(name)s曾任%(unit)s%(title)s，%(end)s离任，离任未满%(n)s年") % {
                "name": person.name,
                "end": post.end_date.isoformat(),
                "unit": post.unit.name,
                "title": post.title,
                "n": recent_years,
            }
        elif _served_years(post, today) >= long_years:
            reason = _("%(name)s曾在%(unit)s工作满%(n)s年（%(start)s至%(end)s）") % {
                "name": person.name,
                "unit": post.unit.name,
                "n": long_years,
                "start": post.start_date.isoformat(),
                "end": post.end_date.isoformat(),
            }
        else:
            continue
        found.append(Conflict(target, reason))
    return found


def _relatives(person, targets, in_targets) -> list[Conflict]:
    rels = list(Relationship.objects.filter(Q(person=person) | Q(relative=person)).select_related("person", "relative"))
    if not rels:
        return []
    others = {}
    for rel in rels:
        other, words = _relation_words(person, rel)
        others.setdefault(other.pk, []).append((other, words))
    found = []
    posts = Post.objects.filter(in_targets, person_id__in=others, end_date__isnull=True).select_related("unit")
    for post in posts.order_by("unit__path", "id"):
        for other, words in others[post.person_id]:
            reason = _("%(name)s的%(relation)s%(other)s现任%(unit)s%(title)s") % {
                "name": person.name,
                "relation": words,
                "other": other.name,
                "unit": post.unit.name,
                "title": post.title,
            }
            found.append(Conflict(_target_of(post.unit, targets), reason))
    return found


def _declarations(person, targets) -> list[Conflict]:
    in_targets = Q()
    for t in targets:
        in_targets |= Q(unit__path__startswith=t.path)
    found = []
    rows = RecusalDeclaration.objects.filter(in_targets, person=person, withdrawn=False).select_related("unit")
    for d in rows:
        source = d.get_source_display()
        reason = _("%(source)s：%(reason)s") % {"source": source, "reason": d.reason}
        found.append(Conflict(_target_of(d.unit, targets), reason))
    return found
