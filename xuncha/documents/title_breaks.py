"""Where a long 公文 title (or an organ's mark) may break: between words, never inside one.

GB/T 9704-2012 7.3.1: a title that does not fit on one line is set on several, "回行时，要做到词意
完整，排列对称，长短适宜" — each line ends at a word boundary and the lines are of about the same
length. Word and LibreOffice break Chinese text after any character, so left alone they split a
word at the edge of the text block ("…党组织的反" / "馈意见"); the renderer inserts the breaks
itself (``typeset``) at the boundaries chosen here, and the conformance checker measures them
with the same words (``conformance``).

Words are jieba's (the dictionary ``common.textsim`` uses, unchanged), glued where jieba's split
is not a place to break a title: a single character that ends an organ or place name (县, 镇, 组,
局…) stays with the word before it, any other lone character with the word after it ("青/山镇",
"张/某某"), "的" with the word before it, a measure after a number ("2026/年"), an opening bracket
with what follows and a closing one or a punctuation mark with what precedes.

Widths are in ems of the font size: a Chinese character or full-width mark is 1, a Latin letter,
digit or half-width mark ½ (what 方正小标宋 and its fallbacks give within a few per cent), and
the quarter em Word puts between Chinese and Latin text.
"""

from __future__ import annotations

import logging
import math
import unicodedata
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)  # the dictionary load is not news

# A lone character that ends a name: it belongs to the word before it.
_SUFFIXES = set("省市县区旗州盟镇乡村组局委办厅处科所站队院校社部室会团书函令")
# Measures after a number: "2026/年", "第七/轮" (jieba keeps "第七轮" but not always).
_MEASURES = set("年月日号届轮个项件人次份名元万亿批")
_FUNCTION_BEFORE = set("的之")  # never starts a line
_OPENING = set("（《「『“‘〔【(<[")
_CLOSING = set("）》」』”’〕】)>]，。、；：？！…%,.;:?!")
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\ufeff"}


def char_em(ch: str) -> float:
    if ch in _ZERO_WIDTH:
        return 0.0
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.5


def text_em(text: str, *, autospace: bool = True) -> float:
    """The width of ``text`` in ems. ``autospace``: Word and LibreOffice put a quarter em between
    a Chinese character and a Latin letter or digit next to it ("2026年" is 2¾ ems, not 2½)."""
    width = sum(char_em(ch) for ch in text)
    if autospace:
        chars = [ch for ch in text if ch not in _ZERO_WIDTH]
        width += 0.25 * sum(1 for a, b in zip(chars, chars[1:], strict=False) if _mixed(a, b))
    return width


def _mixed(a: str, b: str) -> bool:
    return (_is_cjk(a) and _is_alnum_ascii(b)) or (_is_alnum_ascii(a) and _is_cjk(b))


def _is_alnum_ascii(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") and ch.isalpha()


@lru_cache(maxsize=512)
def words(text: str) -> tuple[str, ...]:
    """``text`` cut into the pieces a line may break between (see the module docstring)."""
    tokens = [t for t in jieba.lcut(text, HMM=True) if t]
    glued: list[str] = []
    carry = ""  # characters waiting to be glued to the next token
    for token in tokens:
        token = carry + token
        carry = ""
        if glued and _glues_back(glued[-1], token):
            glued[-1] += token
        elif all(ch in _OPENING for ch in token) or _lone(token):
            carry = token
        else:
            glued.append(token)
    if carry:
        if glued:
            glued[-1] += carry
        else:
            glued.append(carry)
    return tuple(glued)


def _lone(token: str) -> bool:
    """A single Chinese character that is not a word of its own in a title: glued to the next."""
    return len(token) == 1 and _is_cjk(token) and token not in "和与及或并"


def _glues_back(previous: str, token: str) -> bool:
    if all(ch in _CLOSING for ch in token) or token[0] in _CLOSING:
        return True
    if len(token) == 1 and (token in _SUFFIXES or token in _FUNCTION_BEFORE):
        return True
    return len(token) == 1 and token in _MEASURES and previous[-1:].isdigit()


def boundaries(text: str) -> set[int]:
    """The offsets in ``text`` where a line may break (between two of its ``words``)."""
    offsets, at = set(), 0
    for word in words(text)[:-1]:
        at += len(word)
        offsets.add(at)
    return offsets


def break_lines(text: str, max_em: float) -> list[str]:
    """``text`` as the fewest lines of at most ``max_em`` ems, broken between words, as even in
    length as possible (a longer line first when two choices are as even). A word longer than a
    line is split where it must be."""
    if text_em(text) <= max_em or not text:
        return [text]
    pieces: list[str] = []
    for word in words(text):
        pieces += _split_long(word, max_em)
    widths = [text_em(p) for p in pieces]
    total = sum(widths)
    for count in range(max(2, math.ceil(total / max_em)), len(pieces) + 1):
        best = _best_split(pieces, widths, count, max_em)
        if best is not None:
            return best
    return pieces


def _split_long(word: str, max_em: float) -> list[str]:
    if text_em(word) <= max_em:
        return [word]
    chunks, current = [], ""
    for ch in word:
        if current and text_em(current + ch) > max_em:
            chunks.append(current)
            current = ""
        current += ch
    return [*chunks, current] if current else chunks


def _best_split(pieces: list[str], widths: list[float], count: int, max_em: float) -> list[str] | None:
    """The split of ``pieces`` into ``count`` lines that fit, with the least squared deviation
    from the mean line length; None when no split fits."""
    n = len(pieces)
    mean = sum(widths) / count
    prefix = [0.0]
    for w in widths:
        prefix.append(prefix[-1] + w)
    # cost[k][i]: best cost of the first i pieces in k lines; choice[k][i]: where line k starts.
    inf = float("inf")
    cost = [[inf] * (n + 1) for _ in range(count + 1)]
    choice = [[0] * (n + 1) for _ in range(count + 1)]
    cost[0][0] = 0.0
    for k in range(1, count + 1):
        for i in range(k, n + 1):
            for j in range(k - 1, i):
                width = prefix[i] - prefix[j]
                if width > max_em or cost[k - 1][j] == inf:
                    continue
                # Squared deviation; a tiny reward for a longer earlier line breaks ties (倒梯形).
                value = cost[k - 1][j] + (width - mean) ** 2 - width * 1e-6 * (count - k)
                if value < cost[k][i]:
                    cost[k][i], choice[k][i] = value, j
    if cost[count][n] == inf:
        return None
    lines, i = [], n
    for k in range(count, 0, -1):
        j = choice[k][i]
        lines.append("".join(pieces[j:i]))
        i = j
    return lines[::-1]


def greedy_lines(text: str, max_em: float) -> list[str]:
    """How Word or LibreOffice would fill lines of ``max_em`` ems with ``text`` on their own:
    as many characters as fit, then the next line (a closing mark is not left to start a line)."""
    lines, current = [], ""
    for ch in text:
        if current and text_em(current + ch) > max_em and ch not in _CLOSING:
            lines.append(current)
            current = ""
        current += ch
    if current:
        lines.append(current)
    return lines


def split_word(text: str, offset: int) -> str | None:
    """The word of ``text`` a line break at ``offset`` would split, or None at a boundary."""
    if offset <= 0 or offset >= len(text) or offset in boundaries(text):
        return None
    at = 0
    for word in words(text):
        if at < offset < at + len(word):
            return word
        at += len(word)
    return None
