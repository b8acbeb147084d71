"""Common problems (共性问题, 举一反三): group problems of different units that are the same problem
worded differently.

Pure functions over plain items (no database), so the measurement command, the tests and the page
run exactly the same code.

The score of two problems p and q (0 … 1) is::

    s(p, q) = min(1, cos(v_p, v_q) + LABEL_WEIGHT × J(L_p, L_q))

* ``v_p`` is a TF-IDF vector over two kinds of features of the problem's text:
  - words (jieba segmentation and stopwords of ``xuncha.common.textsim``); words of the title
    count ``TITLE_WEIGHT`` times, because the title is the team's one-line statement of the problem;
  - Chinese character bigrams, at weight ``BIGRAM_WEIGHT``: officials abbreviate (公车 / 公务用车,
    津补贴 / 津贴补贴), which word segmentation splits differently but bigrams still share.
  The words of the unit's own name are left out (they say who, not what). Term frequency is
  sublinear (1 + ln tf); ``idf(f) = ln((1 + N) / (1 + df(f))) + 1`` over the N candidate problems,
  so what every problem of the county says weighs little.
* ``L_p`` is the set of the problem's focus items and tags; ``J`` their Jaccard overlap. A shared
  focus item or tag raises the score but cannot make a group alone (LABEL_WEIGHT < any threshold
  offered), because a focus item such as 八项规定 covers many different problems.

Grouping is agglomerative with average linkage, stopping when no two clusters have an average
score ≥ the threshold. Every pair in two different connected components of the "score ≥ threshold"
graph scores below it, so clustering each component alone gives the same result, and is fast.
A group counts only when its problems come from at least two units. Everything is ordered by the
items' keys, so the same input gives the same groups.
"""

from __future__ import annotations

import heapq
import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from xuncha.common.textsim import terms

THRESHOLD_MIN, THRESHOLD_MAX, THRESHOLD_DEFAULT = 0.10, 0.95, 0.15
TITLE_WEIGHT = 2
BIGRAM_WEIGHT = 0.25
LABEL_WEIGHT = 0.08
# Pairs scoring below FLOOR_SHARE × threshold count as 0 in the averages: they barely move an
# average-link decision (and only towards not merging), and keeping every weak pair of a few
# thousand problems would cost time and memory for nothing.
FLOOR_SHARE = 0.5
MAX_DF_SHARE, MAX_DF_FROM = 0.2, 200

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Item:
    key: int
    unit: Hashable
    title: str
    description: str = ""
    labels: frozenset[str] = frozenset()
    unit_name: str = ""


@dataclass
class Group:
    keys: list[int]  # in the order of the items given
    units: int
    central: int  # the key of the member most similar to the others
    cohesion: float  # mean score over the pairs of the group
    scores: dict[int, float] = field(default_factory=dict)  # each member's mean score to the others


def _bigrams(text: str) -> Counter[str]:
    grams: Counter[str] = Counter()
    for run in _HAN_RUN.findall(text or ""):
        grams.update("#" + run[i : i + 2] for i in range(len(run) - 1))
    return grams


def features(item: Item) -> Counter[str]:
    """Raw weighted counts of the item's words and bigrams (before IDF)."""
    own = set(terms(item.unit_name)) if item.unit_name else set()
    words: Counter[str] = Counter()
    for word, n in terms(item.title).items():
        words[word] += TITLE_WEIGHT * n
    words.update(terms(item.description))
    for word in own:
        words.pop(word, None)
    counts: Counter[str] = Counter({w: float(n) for w, n in words.items()})
    name_grams = set(_bigrams(item.unit_name))
    for gram, n in (_bigrams(item.title) + _bigrams(item.title) + _bigrams(item.description)).items():
        if gram not in name_grams:
            counts[gram] += BIGRAM_WEIGHT * n
    return counts


def vectors(items: Sequence[Item]) -> list[dict[str, float]]:
    """L2-normalised TF-IDF vectors, IDF taken over ``items`` themselves."""
    raw = [features(item) for item in items]
    df: Counter[str] = Counter()
    for counts in raw:
        df.update(counts.keys())
    n = len(items)
    idf = {f: math.log((1 + n) / (1 + d)) + 1 for f, d in df.items()}
    out = []
    for counts in raw:
        vec = {f: (1 + math.log(c) if c >= 1 else c) * idf[f] for f, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        out.append({f: w / norm for f, w in vec.items()})
    return out


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def pair_scores(items: Sequence[Item], floor: float) -> dict[tuple[int, int], float]:
    """Scores ≥ ``floor`` of every pair (i, j), i < j, as indices into ``items``.

    Dot products accumulate over an inverted index, so only pairs sharing a feature cost anything.
    Features found in more than MAX_DF_SHARE of the problems (once there are enough problems to
    tell) are left out of the index: they name no particular problem, weigh little after IDF, and
    would otherwise make the cost grow with the square of the corpus.
    """
    vecs = vectors(items)
    n = len(items)
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vec in enumerate(vecs):
        for f, w in vec.items():
            postings[f].append((i, w))
    if n >= MAX_DF_FROM:
        limit = MAX_DF_SHARE * n
        postings = {f: plist for f, plist in postings.items() if len(plist) <= limit}
    scores: dict[tuple[int, int], float] = {}
    for i, vec in enumerate(vecs):
        acc: dict[int, float] = {}
        get = acc.get
        for f, w in vec.items():
            plist = postings.get(f)
            if plist is None:
                continue
            for j, wj in plist[bisect_right(plist, (i, math.inf)) :]:
                acc[j] = get(j, 0.0) + w * wj
        labels = items[i].labels
        reach = floor - LABEL_WEIGHT
        for j, dot in acc.items():
            if dot < reach:
                continue  # even a full label overlap would not lift it to the floor
            s = dot + LABEL_WEIGHT * _jaccard(labels, items[j].labels) if labels else dot
            if s >= floor:
                scores[(i, j)] = min(1.0, s)
    return scores


def _components(n: int, edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in edges:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    comps: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        comps[find(i)].append(i)
    return [c for c in comps.values() if len(c) > 1]


def _average_link(members: list[int], scores: dict[tuple[int, int], float], threshold: float) -> list[list[int]]:
    """Average-link clustering of one component; clusters are named by their smallest index."""
    clusters = {m: [m] for m in members}
    sums: dict[int, dict[int, float]] = {m: {} for m in members}
    inside = set(members)
    for (i, j), s in scores.items():
        if i in inside and j in inside:
            sums[i][j] = sums[j][i] = s
    heap = [(-s, i, j) for (i, j), s in scores.items() if i in inside and j in inside and s >= threshold]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in clusters or b not in clusters:
            continue
        current = sums[a].get(b, 0.0) / (len(clusters[a]) * len(clusters[b]))
        if abs(current + neg) > 1e-12:
            continue  # a stale entry: one side has grown since it was pushed
        keep, gone = min(a, b), max(a, b)
        clusters[keep] = sorted(clusters[keep] + clusters.pop(gone))
        for c, s in sums.pop(gone).items():
            sums[c].pop(gone, None)
            if c != keep:
                sums[keep][c] = sums[keep].get(c, 0.0) + s
                sums[c][keep] = sums[keep][c]
        for c, s in sums[keep].items():
            avg = s / (len(clusters[keep]) * len(clusters[c]))
            if avg >= threshold:
                heapq.heappush(heap, (-avg, min(keep, c), max(keep, c)))
    return [c for c in clusters.values() if len(c) > 1]


def _describe(items: Sequence[Item], idx: list[int], scores: dict[tuple[int, int], float]) -> Group:
    mean: dict[int, float] = {}
    total = 0.0
    for i in idx:
        row = [scores.get((min(i, j), max(i, j)), 0.0) for j in idx if j != i]
        mean[i] = sum(row) / len(row)
        total += sum(row)
    central = max(idx, key=lambda i: (mean[i], -i))
    pairs = len(idx) * (len(idx) - 1)
    return Group(
        keys=[items[i].key for i in idx],
        units=len({items[i].unit for i in idx}),
        central=items[central].key,
        cohesion=total / pairs,
        scores={items[i].key: mean[i] for i in idx},
    )


def group(items: Sequence[Item], threshold: float = THRESHOLD_DEFAULT, min_units: int = 2) -> list[Group]:
    """Groups of similar problems spanning at least ``min_units`` units, largest and tightest first."""
    items = sorted(items, key=lambda it: it.key)
    scores = pair_scores(items, floor=FLOOR_SHARE * threshold)
    strong = [pair for pair, s in scores.items() if s >= threshold]
    groups = []
    for component in _components(len(items), strong):
        for idx in _average_link(component, scores, threshold):
            described = _describe(items, idx, scores)
            if described.units >= min_units:
                groups.append(described)
    groups.sort(key=lambda g: (-g.units, -len(g.keys), -g.cohesion, g.keys[0]))
    return groups


def pairwise_precision_recall(
    predicted: Iterable[Iterable[Hashable]], truth: dict[Hashable, Hashable]
) -> tuple[float, float]:
    """Pairwise precision and recall of predicted groups against true labels (key → label).

    A pair is "predicted" when both keys are in one group, "true" when both carry one label.
    """
    predicted_pairs = set()
    for members in predicted:
        ordered = sorted(members)
        predicted_pairs.update((a, b) for n, a in enumerate(ordered) for b in ordered[n + 1 :])
    by_label: dict[Hashable, list[Hashable]] = defaultdict(list)
    for key, label in truth.items():
        by_label[label].append(key)
    true_pairs = set()
    for keys in by_label.values():
        ordered = sorted(keys)
        true_pairs.update((a, b) for n, a in enumerate(ordered) for b in ordered[n + 1 :])
    hits = len(predicted_pairs & true_pairs)
    precision = hits / len(predicted_pairs) if predicted_pairs else 1.0
    recall = hits / len(true_pairs) if true_pairs else 1.0
    return precision, recall
