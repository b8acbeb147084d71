"""Trace codes and the invisible fingerprint: which download a leaked copy came from.

Every download of a generated document or workbook gets its own **trace code**, e.g.
``XC-7K3M-Q9TD``: "XC" and 8 symbols from a 32-letter alphabet without 0, 1, O and I (nothing to
misread on a photocopy), so 40 random bits. The code is printed in the footer next to the
recipient and the time, written to the file's custom properties, and hidden in the body text.

The hidden copy (scheme ``zw1``) survives copying the text out of the file, where the footer and
the properties stay behind. The 40 bits of the code and an 8-bit checksum (the low byte of
CRC-32) are written as 48 zero-width characters, U+200B for 0 and U+200C for 1, framed by
U+200D on both sides::

    ZWJ b47 b46 … b0 ZWJ        (50 characters that take no space on screen or paper)

The mark is repeated through the body (where, and why there, is up to the file format: see
``trace_files``), so a copy of part of the text still carries whole marks. The checksum makes a
damaged or truncated mark read as nothing rather than as somebody else's code.

Limits, stated plainly: whoever retypes the text, photographs or screenshots it, or pastes it
through a tool that drops "format characters" (some chat apps, OCR) loses the mark; then the
code printed in the footer of each page is what identifies the copy. Someone who knows of the
scheme can strip the characters. It identifies a download, not a person's intent: the recipient
may have passed the file on.
"""

from __future__ import annotations

import re
import secrets
import zlib

from django.utils import timezone
from django.utils.translation import gettext as _

PREFIX = "XC"
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols: 5 bits each
SYMBOLS = 8
BITS = SYMBOLS * 5  # 40
CHECK_BITS = 8
SCHEME = "zw1"

ZERO, ONE, FRAME = "\u200b", "\u200c", "\u200d"
ZERO_WIDTH = (ZERO, ONE, FRAME)
_MARK = re.compile(f"{FRAME}([{ZERO}{ONE}]{{{BITS + CHECK_BITS}}}){FRAME}")
_STRIP = re.compile(f"[{ZERO}{ONE}{FRAME}]")
# A code as printed, typed or read back from a photo: any case, any separator (or none).
_SEP = r"[\s\-_·.－—–]*"
_SYMBOL = f"[{ALPHABET}]"
_TYPED = re.compile(rf"(?<![A-Z0-9]){PREFIX}{_SEP}({_SYMBOL}{{4}}){_SEP}({_SYMBOL}{{4}})(?![A-Z0-9])")
_BARE = re.compile(rf"(?:{PREFIX}{_SEP})?({_SYMBOL}{{4}}){_SEP}({_SYMBOL}{{4}})")


def new_code() -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(SYMBOLS))
    return f"{PREFIX}-{symbols[:4]}-{symbols[4:]}"


def normalise_code(raw: str) -> str | None:
    """The canonical form of a code typed by a person ("xc 7k3m q9td", "7K3MQ9TD"), or None."""
    match = _BARE.fullmatch((raw or "").strip().upper())
    return f"{PREFIX}-{match.group(1)}-{match.group(2)}" if match else None


def code_value(code: str) -> int:
    """The 40-bit number a code writes (its symbols in base 32)."""
    return _value(code)


def _value(code: str) -> int:
    value = 0
    for symbol in code.replace(f"{PREFIX}-", "").replace("-", ""):
        value = value * 32 + ALPHABET.index(symbol)
    return value


def _code(value: int) -> str:
    symbols = "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(SYMBOLS)))
    return f"{PREFIX}-{symbols[:4]}-{symbols[4:]}"


def _check(value: int) -> int:
    return zlib.crc32(value.to_bytes(BITS // 8, "big")) & 0xFF


def fingerprint_bits(code: str) -> str:
    """The 48 bits a mark carries, as "0"/"1" (also kept on the trace record)."""
    value = _value(code)
    return format((value << CHECK_BITS) | _check(value), f"0{BITS + CHECK_BITS}b")


def fingerprint(code: str) -> str:
    """The zero-width mark for ``code``."""
    bits = fingerprint_bits(code)
    return FRAME + "".join(ONE if bit == "1" else ZERO for bit in bits) + FRAME


def strip_fingerprints(text: str) -> str:
    return _STRIP.sub("", text)


def fingerprints_in(text: str) -> list[str]:
    """Every code whose mark appears whole in ``text``, most frequent first."""
    counts: dict[str, int] = {}
    for match in _MARK.finditer(text or ""):
        number = int("".join("1" if ch == ONE else "0" for ch in match.group(1)), 2)
        value, check = number >> CHECK_BITS, number & 0xFF
        if _check(value) == check:
            code = _code(value)
            counts[code] = counts.get(code, 0) + 1
    return sorted(counts, key=lambda c: -counts[c])


def printed_codes_in(text: str) -> list[str]:
    """Codes written out in ``text`` ("追溯码 XC-7K3M-Q9TD", retyped from a photo of a page)."""
    found: list[str] = []
    for match in _TYPED.finditer(strip_fingerprints(text or "").upper()):
        code = f"{PREFIX}-{match.group(1)}-{match.group(2)}"
        if code not in found:
            found.append(code)
    return found


def trace_line(recipient: str, when, code: str, *, confidential: bool = True) -> str:
    """The footer line: who received this copy, when, and its code."""
    local = timezone.localtime(when) if timezone.is_aware(when) else when
    values = {"name": recipient, "time": f"{local:%Y-%m-%d %H:%M}", "code": code}
    if confidential:
        return _("本件由 %(name)s 于 %(time)s 导出 · 追溯码 %(code)s · 注意保密") % values
    return _("本件由 %(name)s 于 %(time)s 导出 · 追溯码 %(code)s") % values


# A trace line of any version (before codes existed too, and the English one), so that a file
# stamped before (a stored document from before issue 13, a downloaded version uploaded again)
# is cleaned before the new recipient's line goes on.
TRACE_LINE = re.compile(r"^\s*(本件由 .+ 于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 导出|Exported by .+ at \d{4}-\d{2}-\d{2})")
