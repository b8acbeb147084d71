"""Reading the formatting Word would apply to a paragraph or run of a .docx (python-docx elements).

A property is looked up the way Word resolves it: the run's own, then its character style and that
style's ancestors, then the paragraph's style chain, then the document defaults. python-docx gives
each level; this module walks them, for the typesetting pass (``typeset``) and the GB/T 9704
checker (``conformance``), which must see what the reader sees rather than what one element says.

Units: OOXML lengths are twips (1/20 pt), font sizes half-points, character spacing twips, borders
eighths of a point; the helpers return points.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

MM_PER_PT = 25.4 / 72
_FALSE = {"0", "false", "off", "none"}


def pt_to_mm(value: float) -> float:
    return value * MM_PER_PT


def page_pt(section: Any) -> dict[str, float]:
    """A section's page size and margins in points (absent values count as 0)."""
    names = ("page_width", "page_height", "top_margin", "bottom_margin", "left_margin", "right_margin")
    return {name: int(getattr(section, name) or 0) / 12700 for name in names}


def twips_to_pt(value: str | int | None) -> float:
    return int(value or 0) / 20


class Styles:
    """The style sheet of one document, by id, with the document defaults."""

    def __init__(self, document: DocxDocument) -> None:
        root = document.styles.element
        self._by_id: dict[str, Any] = {}
        self._by_name: dict[str, Any] = {}
        self.default_paragraph: str | None = None
        for style in root.findall(qn("w:style")):
            style_id = style.get(qn("w:styleId"))
            self._by_id[style_id] = style
            name = style.find(qn("w:name"))
            if name is not None:
                self._by_name[name.get(qn("w:val"))] = style
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true", "on"):
                self.default_paragraph = style_id
        defaults = root.find(qn("w:docDefaults"))
        self.default_rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") if defaults is not None else None
        self.default_ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}") if defaults is not None else None

    def id_of(self, name_or_id: str) -> str | None:
        if name_or_id in self._by_id:
            return name_or_id
        style = self._by_name.get(name_or_id)
        return style.get(qn("w:styleId")) if style is not None else None

    def name_of(self, style_id: str | None) -> str:
        style = self._by_id.get(style_id or "")
        name = style.find(qn("w:name")) if style is not None else None
        return name.get(qn("w:val")) if name is not None else ""

    def chain(self, style_id: str | None) -> Iterator[Any]:
        """The style and its ancestors (``basedOn``), nearest first."""
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._by_id:
            seen.add(style_id)
            style = self._by_id[style_id]
            yield style
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None


def paragraph_style_id(p: Any, styles: Styles) -> str | None:
    p_pr = p.find(qn("w:pPr"))
    style = p_pr.find(qn("w:pStyle")) if p_pr is not None else None
    return style.get(qn("w:val")) if style is not None else styles.default_paragraph


def _ppr_chain(p: Any, styles: Styles) -> Iterator[Any]:
    p_pr = p.find(qn("w:pPr"))
    if p_pr is not None:
        yield p_pr
    for style in styles.chain(paragraph_style_id(p, styles)):
        style_ppr = style.find(qn("w:pPr"))
        if style_ppr is not None:
            yield style_ppr
    if styles.default_ppr is not None:
        yield styles.default_ppr


def _rpr_chain(p: Any, r: Any | None, styles: Styles) -> Iterator[Any]:
    if r is not None:
        r_pr = r.find(qn("w:rPr"))
        if r_pr is not None:
            yield r_pr
            r_style = r_pr.find(qn("w:rStyle"))
            if r_style is not None:
                for style in styles.chain(r_style.get(qn("w:val"))):
                    style_rpr = style.find(qn("w:rPr"))
                    if style_rpr is not None:
                        yield style_rpr
    for style in styles.chain(paragraph_style_id(p, styles)):
        style_rpr = style.find(qn("w:rPr"))
        if style_rpr is not None:
            yield style_rpr
    if styles.default_rpr is not None:
        yield styles.default_rpr


def paragraph_child(p: Any, styles: Styles, tag: str) -> Any | None:
    """The nearest ``w:tag`` child of the paragraph's properties, wherever it is set."""
    for p_pr in _ppr_chain(p, styles):
        child = p_pr.find(qn(f"w:{tag}"))
        if child is not None:
            return child
    return None


def paragraph_attr(p: Any, styles: Styles, tag: str, attr: str) -> str | None:
    """An attribute of a mergeable child (``w:ind``, ``w:spacing``): each attribute is resolved on its own."""
    for p_pr in _ppr_chain(p, styles):
        child = p_pr.find(qn(f"w:{tag}"))
        if child is not None and child.get(qn(f"w:{attr}")) is not None:
            return child.get(qn(f"w:{attr}"))
    return None


def paragraph_flag(p: Any, styles: Styles, tag: str) -> bool:
    child = paragraph_child(p, styles, tag)
    return child is not None and (child.get(qn("w:val")) or "1").lower() not in _FALSE


def snaps_to_grid(p: Any, styles: Styles) -> bool:
    child = paragraph_child(p, styles, "snapToGrid")
    return child is None or (child.get(qn("w:val")) or "1").lower() not in _FALSE


def alignment(p: Any, styles: Styles) -> str:
    jc = paragraph_child(p, styles, "jc")
    value = jc.get(qn("w:val")) if jc is not None else "left"
    return {"start": "left", "end": "right", "both": "left", "distribute": "left"}.get(value, value)


def indents_pt(p: Any, styles: Styles) -> dict[str, float]:
    """left, right, first_line (negative for a hanging indent), in points."""
    left = paragraph_attr(p, styles, "ind", "left") or paragraph_attr(p, styles, "ind", "start")
    right = paragraph_attr(p, styles, "ind", "right") or paragraph_attr(p, styles, "ind", "end")
    hanging = paragraph_attr(p, styles, "ind", "hanging")
    first = paragraph_attr(p, styles, "ind", "firstLine")
    return {
        "left": twips_to_pt(left),
        "right": twips_to_pt(right),
        "first_line": -twips_to_pt(hanging) if hanging else twips_to_pt(first),
    }


def spacing_pt(p: Any, styles: Styles) -> dict[str, Any]:
    """before, after (points), line (points for exact/atLeast, else a multiple), rule."""
    rule = paragraph_attr(p, styles, "spacing", "lineRule") or "auto"
    line = paragraph_attr(p, styles, "spacing", "line")
    return {
        "before": twips_to_pt(paragraph_attr(p, styles, "spacing", "before")),
        "after": twips_to_pt(paragraph_attr(p, styles, "spacing", "after")),
        "rule": rule,
        "line": (twips_to_pt(line) if rule in ("exact", "atLeast") else int(line) / 240) if line else None,
    }


def run_child(p: Any, r: Any | None, styles: Styles, tag: str) -> Any | None:
    for r_pr in _rpr_chain(p, r, styles):
        child = r_pr.find(qn(f"w:{tag}"))
        if child is not None:
            return child
    return None


def font_size_pt(p: Any, r: Any | None, styles: Styles) -> float | None:
    size = run_child(p, r, styles, "sz")
    return int(size.get(qn("w:val"))) / 2 if size is not None else None


def east_asian_font(p: Any, r: Any | None, styles: Styles) -> str | None:
    for r_pr in _rpr_chain(p, r, styles):
        fonts = r_pr.find(qn("w:rFonts"))
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return fonts.get(qn("w:eastAsia"))
    return None


def color(p: Any, r: Any | None, styles: Styles) -> str | None:
    child = run_child(p, r, styles, "color")
    return (child.get(qn("w:val")) or "").upper() if child is not None else None


def scale_percent(p: Any, r: Any | None, styles: Styles) -> float:
    child = run_child(p, r, styles, "w")
    return float(child.get(qn("w:val"))) if child is not None and child.get(qn("w:val")) else 100.0


def char_spacing_pt(p: Any, r: Any | None, styles: Styles) -> float:
    child = run_child(p, r, styles, "spacing")
    return twips_to_pt(child.get(qn("w:val"))) if child is not None else 0.0


def is_bold(p: Any, r: Any | None, styles: Styles) -> bool:
    child = run_child(p, r, styles, "b")
    return child is not None and (child.get(qn("w:val")) or "1").lower() not in _FALSE


def runs(p: Any) -> list[Any]:
    """The paragraph's runs, including those inside hyperlinks, fields and smart tags."""
    return list(p.iter(qn("w:r")))


def run_text(r: Any) -> str:
    """A run's text, a line break as "\\n" and a tab as "\\t"."""
    out = []
    for child in r:
        if child.tag == qn("w:t"):
            out.append(child.text or "")
        elif child.tag in (qn("w:br"), qn("w:cr")):
            out.append("\f" if child.get(qn("w:type")) == "page" else "\n")
        elif child.tag == qn("w:tab"):
            out.append("\t")
    return "".join(out)


def paragraph_text(p: Any) -> str:
    return "".join(run_text(r) for r in runs(p))
