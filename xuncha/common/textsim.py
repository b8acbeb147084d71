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


# Surnames that start the names jieba's words leave whole (张明) or HMM joins (刘德福): the common
# single-character ones, then the compound ones.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "司徒")


def _looks_like_name(word: str) -> bool:
    if not 2 <= len(word) <= 4 or word.endswith(_TITLE_ENDINGS):
        return False
    return word[0] in _SURNAMES or word.startswith(_COMPOUND_SURNAMES)


def names_in(text: str) -> set[str]:
    """The personal names in a "people concerned" field such as "张明（镇党委书记）、李华".

    A word of jieba's segmentation that starts with a surname and is not a post or a place
    (镇党委书记张明 → 张明; a surname split from its name joined again: 赵 / 建国), and a short
    piece between separators that is not a post or a place (刘德福, 欧阳春花). jieba's
    part-of-speech tagger found the first kind before, at the cost of 54 MB of model in every
    web worker that opened a report (the load test's memory goal).
    """
    text = text or ""
    words = jieba.lcut(text)
    tagged = {w for w in words if _looks_like_name(w) and w not in _COMPOUND_SURNAMES}
    # A surname split from its given name (赵 / 建国): joined again.
    tagged |= {a + b for a, b in zip(words, words[1:], strict=False) if a in _SURNAMES and _looks_like_name(a + b)}
    pieces = {p for p in re.split(r"[\s,，、;；/（）()]+", text) if 2 <= len(p) <= 4 and not p.endswith(_TITLE_ENDINGS)}
    return tagged | pieces
