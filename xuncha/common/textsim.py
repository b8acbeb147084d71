"""Similarity of Chinese texts: jieba segmentation, then cosine of term counts.

Used to flag possible duplicate reports (and later to group similar problems). Single characters
and punctuation carry little meaning in Chinese and are dropped; so are the words every complaint
shares (反映, 问题, 举报 …), which would otherwise make any two reports look alike.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)  # the dictionary load is not news

_STOPWORDS_TEXT = """
反映 问题 举报 情况 存在 有关 相关 进行 我们 他们 这个 那个 一个 没有 就是 还是 但是 因为 所以 如果
以及 以上 已经 可以 要求 希望 请求 领导 组织 巡察 巡察组 单位 同志 群众 本人
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())  # noqa: SIM905 (a word list reads best as text)
_WORD = re.compile(r"[\w\u4e00-\u9fff]{2,}")


@lru_cache(maxsize=4096)
def terms(text: str) -> Counter[str]:
    """Meaningful words of ``text`` with their counts."""
    words = (w.strip().lower() for w in jieba.lcut(text or ""))
    return Counter(w for w in words if _WORD.fullmatch(w) and w not in STOPWORDS and not w.isdigit())


def cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(count * b[word] for word, count in a.items() if word in b)
    norm = math.sqrt(sum(c * c for c in a.values())) * math.sqrt(sum(c * c for c in b.values()))
    return dot / norm if norm else 0.0


def similarity(left: str, right: str) -> float:
    """0.0 (nothing in common) … 1.0 (the same words in the same proportions)."""
    return cosine(terms(left), terms(right))


# A piece of a "people concerned" field ending like this is a post or a place, not a name.
_TITLE_ENDINGS = ("书记", "长", "主任", "员", "委", "局", "镇", "乡", "村", "县", "市", "部", "科", "办", "所", "站")
_TITLE_ENDINGS += ("院", "校", "司", "会", "处", "队", "组", "支书", "经理", "干部")


def names_in(text: str) -> set[str]:
    """The personal names in a "people concerned" field such as "张明（镇党委书记）、李华".

    jieba tags most names (nr); a short piece between separators that is not a post or a place
    catches the rest (刘德福, 欧阳春花).
    """
    import jieba.posseg

    text = text or ""
    tagged = {w.word for w in jieba.posseg.lcut(text) if w.flag == "nr" and len(w.word) >= 2}
    pieces = {p for p in re.split(r"[\s,，、;；/（）()]+", text) if 2 <= len(p) <= 4 and not p.endswith(_TITLE_ENDINGS)}
    return tagged | pieces
