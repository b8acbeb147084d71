"""Measure the grouping of common problems on the hand-labelled set: pairwise precision and recall.

python manage.py similarity_eval                 # a sweep of thresholds
python manage.py similarity_eval --threshold 0.3 # one threshold, with the groups found
python manage.py similarity_eval --scale 3000    # timing on a few thousand problems
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xuncha.analytics import similarity

DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "problems_labelled.json"
SWEEP = [0.10, 0.12, 0.15, 0.18, 0.20, 0.25, 0.30, 0.40, 0.50]


def load_labelled(path: Path = DATA) -> tuple[list[similarity.Item], dict[int, str]]:
    """The labelled problems as items (key = position + 1) and their labels."""
    rows = json.loads(path.read_text(encoding="utf-8"))["problems"]
    items, truth = [], {}
    for n, row in enumerate(rows, start=1):
        labels = frozenset([f"f:{x}" for x in row.get("focus", [])] + [f"t:{x}" for x in row.get("tags", [])])
        items.append(
            similarity.Item(
                key=n,
                unit=row["unit"],
                unit_name=row["unit"],
                title=row["title"],
                description=row["description"],
                labels=labels,
            )
        )
        truth[n] = row["label"]
    return items, truth


def evaluate(threshold: float, items: list[similarity.Item], truth: dict[int, str]) -> tuple[float, float, list[Any]]:
    groups = similarity.group(items, threshold=threshold, min_units=2)
    precision, recall = similarity.pairwise_precision_recall([g.keys for g in groups], truth)
    return precision, recall, groups


class Command(BaseCommand):
    help = "Pairwise precision and recall of the common-problem grouping on the labelled set."

    def add_arguments(self, parser):
        parser.add_argument("--threshold", type=float, help="one threshold (default: a sweep)")
        parser.add_argument("--scale", type=int, default=0, help="also time grouping on N synthetic problems")

    def handle(self, *args, threshold=None, scale=0, **options):
        items, truth = load_labelled()
        labels = {label for label in truth.values() if not label.startswith("x-")}
        self.stdout.write(
            f"{len(items)} problems, {len(labels)} underlying problems, "
            f"{sum(1 for v in truth.values() if v.startswith('x-'))} distractors"
        )
        if threshold is not None:
            if not similarity.THRESHOLD_MIN <= threshold <= similarity.THRESHOLD_MAX:
                raise CommandError(f"threshold must be within {similarity.THRESHOLD_MIN}–{similarity.THRESHOLD_MAX}")
            self._one(threshold, items, truth)
        else:
            self.stdout.write("threshold  precision  recall  groups")
            for t in SWEEP:
                precision, recall, groups = evaluate(t, items, truth)
                mark = "  <- default" if abs(t - similarity.THRESHOLD_DEFAULT) < 1e-9 else ""
                self.stdout.write(f"{t:9.2f}  {precision:9.3f}  {recall:6.3f}  {len(groups):6d}{mark}")
        if scale:
            self._timing(scale, items)

    def _one(self, threshold: float, items: list[similarity.Item], truth: dict[int, str]) -> None:
        precision, recall, groups = evaluate(threshold, items, truth)
        by_key = {item.key: item for item in items}
        for g in groups:
            self.stdout.write(f"-- {len(g.keys)} problems, {g.units} units, cohesion {g.cohesion:.2f}")
            for key in g.keys:
                self.stdout.write(f"   [{truth[key]}] {by_key[key].unit} · {by_key[key].title}")
        self.stdout.write(
            f"threshold {threshold:.2f}: precision {precision:.3f}, recall {recall:.3f}, {len(groups)} groups"
        )

    def _timing(self, n: int, items: list[similarity.Item]) -> None:
        """N problems made from the labelled texts: each takes one text's title and description, a
        sentence of another problem as noise, its own numbers and one of 150 units. A county's
        problems repeat this much (the same few dozen kinds of problem, unit after unit), so this
        is a fair stress test rather than a best case."""
        rng = random.Random(7)
        big = []
        for k in range(n):
            base, other = items[k % len(items)], rng.choice(items)
            noise = other.description.split("，")[0]
            big.append(
                similarity.Item(
                    key=k + 1,
                    unit=f"u{rng.randrange(150)}",
                    title=base.title,
                    description=f"{base.description}{noise}，涉及金额{rng.randrange(1, 999)}万元，第{k}号。",
                    labels=base.labels,
                )
            )
        started = time.perf_counter()
        groups = similarity.group(big, threshold=similarity.THRESHOLD_DEFAULT)
        took = time.perf_counter() - started
        self.stdout.write(f"{n} problems grouped in {took:.2f} s ({len(groups)} groups)")
