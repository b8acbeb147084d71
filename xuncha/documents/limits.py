"""What one rendering of a Word template may spend: time, loop iterations, output, number size.

A replacement template is untrusted code (sandbox.py). The sandbox stops it reaching Python
internals; these limits stop it tying up the worker that renders it, the web worker checking an
upload or the task worker writing a report. Nothing here uses signals, threads or processes: the
sandbox counts as the template runs (every loop iteration, attribute, call, operator, filter and
piece of output goes through it, see ``sandbox.py``) and raises ``RenderLimitExceeded`` from inside
the render, which stops it wherever it runs. Operations that could build a huge value in one step
(``'x' * n``, ``center(n)``, ``replace``, ``join``, ``%``/``format`` widths, ``**``) are sized
before they run, so no single step can outrun the checks.
"""

from __future__ import annotations

import math
import re
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from jinja2 import TemplateError
from jinja2.utils import Namespace


@dataclass(frozen=True)
class RenderLimits:
    seconds: float = 5.0  # one rendering of one document, all its parts
    loop_iterations: int = 100_000  # every {% for %} pass, also the length of a range() or list built
    output_chars: int = 20_000_000  # the XML the template writes (all parts); also the largest string
    number_digits: int = 1000  # the largest integer a template may compute

    @property
    def work_chars(self) -> int:
        """All the strings the template's operations build, kept or not: a few times the output."""
        return 5 * self.output_chars


# Checking an upload and rendering a replacement template in production use the same limits, so a
# template that was accepted does not fail later for a reason the check could not see.
LIMITS = RenderLimits()
# Our own default templates are code we ship: no budget (a province-wide report may be long).
UNLIMITED = RenderLimits(
    seconds=math.inf, loop_iterations=sys.maxsize, output_chars=sys.maxsize // 8, number_digits=sys.maxsize
)


class RenderLimitExceeded(TemplateError):
    """A template hit one of the limits; ``message`` says which, in words an office can act on."""

    def __init__(self, limit: str, message: str) -> None:
        super().__init__(message)
        self.limit = limit  # "time" | "loops" | "output" | "number"

    @property
    def message(self) -> str:  # jinja's TemplateError.message is Optional; ours is always there
        return str(self.args[0])


def loops_exceeded(limits: RenderLimits) -> RenderLimitExceeded:
    return RenderLimitExceeded(
        "loops",
        _("模板循环次数超过上限（%(limit)s次），请检查 for 循环。") % {"limit": limits.loop_iterations},
    )


def time_exceeded(limits: RenderLimits) -> RenderLimitExceeded:
    return RenderLimitExceeded(
        "time",
        _("模板生成文书超过时间上限（%(limit)s秒），请检查循环和重复计算。") % {"limit": f"{limits.seconds:g}"},
    )


def output_exceeded(limits: RenderLimits) -> RenderLimitExceeded:
    return RenderLimitExceeded(
        "output",
        _("模板生成的内容超过上限（约 %(limit)s MB），请检查循环或重复的文字。")
        % {"limit": max(1, limits.output_chars // 1_000_000)},
    )


def number_exceeded(limits: RenderLimits) -> RenderLimitExceeded:
    return RenderLimitExceeded(
        "number",
        _("模板中的数字运算结果过大（超过%(limit)s位），请检查乘方和乘法。") % {"limit": limits.number_digits},
    )


_BITS_PER_DIGIT = math.log2(10)
_NUMBERS_IN_FORMAT = re.compile(r"\d+")


class Budget:
    """The limits being spent by one rendering (one environment, see ``document_env``)."""

    def __init__(self, limits: RenderLimits) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds
        self.loops = 0
        self.output = 0
        self.work = 0
        self._max_bits = limits.number_digits * _BITS_PER_DIGIT

    # --- what is spent ---------------------------------------------------------------------------

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise time_exceeded(self.limits)

    def loop(self, count: int = 1) -> None:
        self.loops += count
        if self.loops > self.limits.loop_iterations:
            raise loops_exceeded(self.limits)
        self.tick()

    def wrote(self, chars: int) -> None:
        """A piece of the rendered XML."""
        self.output += chars
        if self.output > self.limits.output_chars:
            raise output_exceeded(self.limits)
        self.tick()

    def built(self, value: Any) -> Any:
        """A value an operation produced: strings count towards the work, no value may be huge."""
        if isinstance(value, str):
            self.fits(len(value))
            self.work += len(value)
            if self.work > self.limits.work_chars:
                raise output_exceeded(self.limits)
        elif isinstance(value, list | tuple | dict):
            self.items(len(value))
        elif isinstance(value, int) and not isinstance(value, bool):
            self.number_bits(value.bit_length())
        return value

    # --- what is about to be built ---------------------------------------------------------------

    def fits(self, chars: float) -> None:
        """A string of ``chars`` characters is about to be built."""
        if chars > self.limits.output_chars:
            raise output_exceeded(self.limits)

    def items(self, count: float) -> None:
        """A list of ``count`` items is about to be built (or iterated)."""
        if count > self.limits.loop_iterations:
            raise loops_exceeded(self.limits)

    def number_bits(self, bits: float) -> None:
        if bits > self._max_bits:
            raise number_exceeded(self.limits)

    def repeat(self, value: Any, times: Any) -> None:
        """``value * times``: a string, list or number of what size?"""
        if (
            isinstance(value, int)
            and not isinstance(value, str | list | tuple)
            and isinstance(times, str | list | tuple)
        ):
            value, times = times, value
        if isinstance(times, bool) or not isinstance(times, int):
            return
        if isinstance(value, str):
            self.fits(len(value) * max(times, 0))
        elif isinstance(value, list | tuple):
            self.items(len(value) * max(times, 0))
        elif isinstance(value, int) and not isinstance(value, bool):
            self.number_bits(value.bit_length() + times.bit_length())

    def power(self, base: Any, exponent: Any) -> None:
        if isinstance(base, int | Decimal) and isinstance(exponent, int) and not isinstance(exponent, bool):
            if isinstance(base, Decimal):
                base = int(min(abs(base), Decimal(2) ** 64)) + 1
            if abs(base) > 1 and exponent > 0:
                self.number_bits(exponent * abs(base).bit_length())

    def formatted(self, spec: str, values: Any) -> None:
        """``spec % values`` or ``spec.format(...)``: widths written in the spec pad the result."""
        padding = sum(int(n) if len(n) <= 12 else math.inf for n in _NUMBERS_IN_FORMAT.findall(spec))
        self.fits(len(spec) + padding + printed_length(values, self.limits.output_chars))

    def replaced(self, text: str, old: Any, new: Any, count: Any = -1) -> None:
        if not isinstance(old, str) or not isinstance(new, str) or len(new) <= len(old):
            return
        hits = len(text) + 1 if old == "" else text.count(old)
        if isinstance(count, int) and count >= 0:
            hits = min(hits, count)
        self.fits(len(text) + hits * (len(new) - len(old)))

    def joined(self, items: list[Any], separator: Any) -> None:
        self.items(len(items))
        sep = len(separator) if isinstance(separator, str) else 0
        self.fits(printed_length(items, self.limits.output_chars) + sep * len(items))

    def padded(self, text: Any, width: Any, lines: int = 1) -> None:
        if isinstance(width, int) and not isinstance(width, bool):
            self.fits(printed_length(text, self.limits.output_chars) + max(width, 0) * lines)
        elif isinstance(width, str):
            self.fits(printed_length(text, self.limits.output_chars) + len(width) * lines)

    def printable(self, value: Any) -> Any:
        """``value`` is about to be printed (``{{ }}``, ``~``, a filter that makes a string of it)."""
        if not isinstance(value, str | int | float | Decimal):
            self.fits(printed_length(value, self.limits.output_chars))
        return value


def printed_length(value: Any, cap: int) -> int:
    """About how long ``str(value)`` is (its repr, for a list or dict), counted without building
    it and given up past ``cap``: a list of a thousand references to a list of a thousand long
    strings is small in memory and huge printed."""
    total, stack = 0, [value]
    while stack and total <= cap:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item) + 4  # quotes and a separator, in a repr
        elif isinstance(item, Mapping):
            total += 2
            for key, val in item.items():
                stack += (key, val)
        elif isinstance(item, Namespace):
            stack.append(dict(item.__dict__.get("_Namespace__attrs", {})))
        elif isinstance(item, list | tuple | set | frozenset):
            total += 2
            stack += item
        else:
            total += 24  # a number (at most number_digits) or a date
    return total
