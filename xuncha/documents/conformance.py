"""Does a .docx follow GB/T 9704-2012 《党政机关公文格式》? A checker, rule by rule.

``check(docx_bytes, kind=...)`` reads the file as Word would lay it out (the formatting each
paragraph and run ends up with, through styles and defaults: ``ooxml``) and returns a ``Report``:
for every rule of the standard it checks, either nothing (passed) or the faults, in Chinese and
naming the rule ("7.3.1 标题"). What it measures:

* 5.1, 5.2.1 page and margins: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm;
* 5.2.3 lines and characters: the document grid of 22 lines × 28 characters (``w:docGrid``), and
  the body text really set 28 characters to a line and 22 lines to a page;
* 5.2.4 colour: black text, red only in the organ's mark;
* 7.2.1–7.2.7 版头: copy number (6 digits, on every classified document), secrecy and urgency
  (3号黑体, flush left), the organ's mark (小标宋, red, 35 mm down, larger than the title and
  fitting the line), the document number (3号仿宋, 〔year〕), 签发人, the red separator line;
* 7.3.1–7.3.7 主体: title (2号小标宋, centred, broken between words and within the line: the lines
  are measured at the title's size and each break is checked against jieba's words), addressee,
  body (3号仿宋, two characters in) and its headings (黑体 / 楷体 / 仿宋), attachment note,
  signature and date (the date never alone on a page: the last lines of the body, the signature and
  the date keep together; the date written 2026年3月8日), 附注, 附件 (on a new page, "附件" in 3号黑体);
* 7.4.1–7.4.3 版记: at the foot of the last page (a block pinned to the bottom of the text block,
  after everything else) between a thick and a thick rule, 抄送 with "，" between the recipients,
  印发机关 and 印发日期 in 4号仿宋;
* 7.5 page numbers: "— 1 —" in 4号宋体, odd pages right and even pages left;
* tables (section 8 speaks of 横排表格; this is the system's own rule for what it generates): a
  table stays within the text block and its header, numbers and dates fit their columns.

Fonts are accepted by family (a "仿宋_GB2312" or its "仿宋"/"FangSong" fallback), sizes to the
half point. The widths of text are estimated (``title_breaks.text_em``), which is what a checker
without the fonts can do; they are exact for Chinese text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

from xuncha.documents import layout, ooxml, title_breaks
from xuncha.documents.kinds import DocumentKind
from xuncha.documents.trace import TRACE_LINE, strip_fingerprints

# The rules, in the standard's order (the names the standard gives them).
RULES = (
    "5.1 幅面尺寸",
    "5.2.1 页边与版心尺寸",
    "5.2.3 行数和字数",
    "5.2.4 文字的颜色",
    "7.2.1 份号",
    "7.2.2 密级和保密期限",
    "7.2.3 紧急程度",
    "7.2.4 发文机关标志",
    "7.2.5 发文字号",
    "7.2.6 签发人",
    "7.2.7 版头中的分隔线",
    "7.3.1 标题",
    "7.3.2 主送机关",
    "7.3.3 正文",
    "7.3.4 附件说明",
    "7.3.5 发文机关署名、成文日期和印章",
    "7.3.6 附注",
    "7.3.7 附件",
    "7.4.1 版记中的分隔线",
    "7.4.2 抄送机关",
    "7.4.3 印发机关和印发日期",
    "7.5 页码",
    "8 公文中的表格",
)
(
    R_PAGE,
    R_MARGINS,
    R_GRID,
    R_COLOUR,
    R_COPY_NO,
    R_SECRECY,
    R_URGENCY,
    R_ORGAN,
    R_DOC_NO,
    R_SIGNER,
    R_RED_LINE,
    R_TITLE,
    R_ADDRESSEE,
    R_BODY,
    R_ATTACH_NOTE,
    R_SIGNATURE,
    R_NOTE,
    R_ATTACHMENT,
    R_RECORD,
    R_COPY_TO,
    R_ISSUED,
    R_PAGE_NO,
    R_TABLE,
) = RULES

# The kinds whose default template has a 版头 (the organ's mark and the red line) or a 版记.
HEADER_KINDS = {
    DocumentKind.TEAM_AUTHORISATION,
    DocumentKind.ENTRY_NOTICE,
    DocumentKind.INSPECTION_REPORT,
    DocumentKind.THEMATIC_REPORT,
    DocumentKind.CLUE_REPORT,
    DocumentKind.FEEDBACK_OPINION,
    DocumentKind.TRANSFER_LETTER,
    DocumentKind.ESCALATION_LETTER,
}
RECORD_KINDS = {DocumentKind.ENTRY_NOTICE, DocumentKind.FEEDBACK_OPINION, DocumentKind.ESCALATION_LETTER}

SIZE_2, SIZE_3, SIZE_4 = 22.0, 16.0, 14.0
# A red header "noticeably larger than" the title's 2号: at least 小初 (36 pt); layout uses 48 pt.
ORGAN_MIN_PT = 36.0
TOLERANCE_MM = 1.0

FAMILIES = {
    "仿宋": ("仿宋", "fangsong"),
    "黑体": ("黑体", "simhei", "heiti"),
    "楷体": ("楷体", "kaiti"),
    "小标宋": ("小标宋", "xbs"),
    "宋体": ("宋体", "simsun", "songti"),
}

_COPY_NO = re.compile(r"^\d{6}$")
_SECRECY = re.compile(r"^(绝密|机密|秘密)(★(\d+年|\d+个月|长期))?$")
_CLASSIFIED = tuple(layout.CLASSIFIED)
_URGENCY = ("特急", "加急", "特提", "平急")
_DATE = re.compile(r"^\d{4}年([1-9]|1[0-2])月([1-9]|[12]\d|3[01])日$")
_ANY_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_ISSUED = re.compile(r"\d{1,2}日印发$")
_HEADING_1 = re.compile(r"^[一二三四五六七八九十]+、")
_HEADING_2 = re.compile(r"^（[一二三四五六七八九十]+）")
_NUMBER = re.compile(r"^[\d.]+$")
RED = re.compile(r"^(FF|E[0-9A-F]|D[0-9A-F])[0-5][0-9A-F][0-5][0-9A-F]$")


@dataclass(frozen=True)
class Fault:
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}：{self.message}"


@dataclass
class Report:
    kind: str | None = None
    checked: list[str] = field(default_factory=lambda: list(RULES))
    faults: list[Fault] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.faults

    @property
    def passed(self) -> list[str]:
        failed = {f.rule for f in self.faults}
        return [rule for rule in self.checked if rule not in failed]

    def faults_of(self, rule: str) -> list[Fault]:
        """The faults of ``rule`` (its full name, or its number: "7.3.1")."""
        return [f for f in self.faults if f.rule == rule or f.rule.split(" ")[0] == rule]

    def summary(self) -> str:
        label = f"（{DocumentKind(self.kind).label}）" if self.kind in DocumentKind.values else ""
        failed = {f.rule for f in self.faults}
        head = f"GB/T 9704-2012 版式检查{label}：检查{len(self.checked)}项，"
        head += "全部符合。" if self.ok else f"{len(failed)}项不符合，共{len(self.faults)}处。"
        lines = [head]
        for rule in self.checked:
            mine = [f for f in self.faults if f.rule == rule]
            lines.append(f"{'✗' if mine else '✓'} {rule}" + ("" if mine else "：符合"))
            lines += [f"    - {f.message}" for f in mine]
        return "\n".join(lines)


def check(docx_bytes: bytes, *, kind: str | None = None) -> Report:
    """The GB/T 9704-2012 report of a .docx (``kind``: a ``DocumentKind``, for the parts that kind
    must have)."""
    document = Document(io.BytesIO(docx_bytes))
    return Checker(document, str(kind) if kind else None).run()


def _mm(pt: float) -> float:
    return ooxml.pt_to_mm(pt)


def _family(font: str | None, family: str) -> bool:
    name = (font or "").lower().replace(" ", "")
    return any(key in name for key in FAMILIES[family])


def _text(p: Any) -> str:
    return strip_fingerprints(ooxml.paragraph_text(p))


class Checker:
    def __init__(self, document: DocxDocument, kind: str | None) -> None:
        self.document = document
        self.kind = kind
        self.styles = ooxml.Styles(document)
        self.report = Report(kind=kind)
        section = document.sections[-1]
        self.section = section
        self.page_pt = ooxml.page_pt(section)
        self.width = self.page_pt["page_width"] - self.page_pt["left_margin"] - self.page_pt["right_margin"]
        self.height = self.page_pt["page_height"] - self.page_pt["top_margin"] - self.page_pt["bottom_margin"]
        self.body = document.element.body
        self.blocks = [b for b in self.body if b.tag in (qn("w:p"), qn("w:tbl"))]
        self.paragraphs = [b for b in self.blocks if b.tag == qn("w:p")]

    # --- helpers ---------------------------------------------------------------------------------

    def fault(self, rule: str, message: str) -> None:
        self.report.faults.append(Fault(rule, message))

    def style_id(self, p: Any) -> str | None:
        return ooxml.paragraph_style_id(p, self.styles)

    def styled(self, name: str) -> list[Any]:
        style_id = self.styles.id_of(name)
        return [p for p in self.paragraphs if style_id and self.style_id(p) == style_id]

    def first_styled(self, name: str) -> Any | None:
        found = self.styled(name)
        return found[0] if found else None

    def size(self, p: Any, r: Any | None = None) -> float | None:
        return ooxml.font_size_pt(p, r, self.styles)

    def font(self, p: Any, r: Any | None = None) -> str | None:
        return ooxml.east_asian_font(p, r, self.styles)

    def text_runs(self, p: Any) -> list[Any]:
        return [r for r in ooxml.runs(p) if strip_fingerprints(ooxml.run_text(r)).strip()]

    def type_of(self, rule: str, what: str, p: Any, family: str, size: float) -> None:
        """Every run with text in ``p`` is in ``family`` at ``size`` points."""
        wrong_font, wrong_size = set(), set()
        for r in self.text_runs(p) or [None]:
            font, got = self.font(p, r), self.size(p, r)
            if not _family(font, family):
                wrong_font.add(font or "未指定")
            if got is None or abs(got - size) > 0.25:
                wrong_size.add(got)
        if wrong_font:
            self.fault(rule, f"{what}应使用{family}，现为{'、'.join(sorted(wrong_font))}")
        if wrong_size:
            shown = "、".join(f"{s:g}磅" if s else "未指定" for s in sorted(wrong_size, key=lambda s: s or 0))
            self.fault(rule, f"{what}应为{_size_name(size)}（{size:g}磅），现为{shown}")

    def flush_left(self, rule: str, what: str, p: Any) -> None:
        indents = ooxml.indents_pt(p, self.styles)
        if ooxml.alignment(p, self.styles) not in ("left", "both") or abs(indents["left"]) > 1 or indents["first_line"]:
            self.fault(rule, f"{what}应顶格居左编排")

    def em_width(self, text: str) -> float:
        return title_breaks.text_em(text)

    # --- the run ---------------------------------------------------------------------------------

    def run(self) -> Report:
        steps: Iterable[Callable[[], None]] = (
            self.page,
            self.grid,
            self.colour,
            self.header_block,
            self.organ,
            self.doc_no,
            self.signer,
            self.red_line,
            self.titles,
            self.addressee,
            self.body_text,
            self.attachment_note,
            self.closing,
            self.note,
            self.attachment,
            self.record,
            self.page_numbers,
            self.tables,
        )
        for step in steps:
            step()
        return self.report

    # 5.1, 5.2.1
    def page(self) -> None:
        s = self.page_pt
        w, h = _mm(s["page_width"]), _mm(s["page_height"])
        if abs(w - 210) > TOLERANCE_MM or abs(h - 297) > TOLERANCE_MM:
            self.fault(R_PAGE, f"纸张应为A4（210mm×297mm），现为{w:.0f}mm×{h:.0f}mm")
        top, left = _mm(s["top_margin"]), _mm(s["left_margin"])
        if abs(top - 37) > TOLERANCE_MM:
            self.fault(R_MARGINS, f"天头（上白边）应为37mm，现为{top:.1f}mm")
        if abs(left - 28) > TOLERANCE_MM:
            self.fault(R_MARGINS, f"订口（左白边）应为28mm，现为{left:.1f}mm")
        tw, th = _mm(self.width), _mm(self.height)
        if abs(tw - 156) > 0.5 or abs(th - 225) > 0.5:
            self.fault(R_MARGINS, f"版心应为156mm×225mm，现为{tw:.1f}mm×{th:.1f}mm")

    # 5.2.3
    def grid(self) -> None:
        grid = self.section._sectPr.find(qn("w:docGrid"))
        kind = grid.get(qn("w:type")) if grid is not None else None
        pitch = ooxml.twips_to_pt(grid.get(qn("w:linePitch"))) if grid is not None else 0
        char_space = int(grid.get(qn("w:charSpace")) or 0) if grid is not None else 0
        normal = self.styles.default_paragraph
        size = self.normal_size()
        char_pitch = size + char_space / 4096
        if kind != "linesAndChars":
            shown = {"lines": "只指定行网格", "snapToChars": "文字对齐字符网格", None: "无网格"}.get(kind, kind)
            per_line = int(self.width // size + 1e-6)
            self.fault(
                R_GRID, f"文档网格应为“指定行和字符网格”（每面22行、每行28字），现为{shown}，每行只排{per_line}字"
            )
        else:
            lines = int(self.height / pitch + 0.01) if pitch else 0
            chars = int(self.width / char_pitch + 1e-6) if char_pitch > 0 else 0
            if lines != layout.GRID_LINES or chars != layout.GRID_CHARS:
                self.fault(R_GRID, f"文档网格应为每面22行、每行28字，现为每面{lines}行、每行{chars}字")
        # What the body really gets: exact lines, and characters at their own width or the grid's.
        probe = self.normal_probe()
        spacing: dict[str, Any] = (
            ooxml.spacing_pt(probe, self.styles) if probe is not None else {"rule": "auto", "line": None}
        )
        if spacing["rule"] == "exact" and spacing["line"]:
            lines = int(self.height / float(spacing["line"]) + 0.01)
            if lines != layout.GRID_LINES:
                self.fault(R_GRID, f"正文行距{spacing['line']:g}磅，每面排{lines}行（应为22行）")
        elif kind not in ("lines", "linesAndChars"):
            self.fault(R_GRID, "正文未设固定行距，也未对齐行网格，每面行数不定")
        if probe is None or normal is None:
            return
        if kind == "linesAndChars" and ooxml.snaps_to_grid(probe, self.styles):
            advance = char_pitch
            if char_pitch < size - 0.01:
                self.fault(
                    R_GRID,
                    f"正文对齐字符网格而网格字距（{char_pitch:.2f}磅）小于字号，LibreOffice/WPS中每字占两格，每行只排14字",
                )
        else:
            advance = size + ooxml.char_spacing_pt(probe, None, self.styles)
        per_line = int(self.width / advance + 1e-6)
        if per_line != layout.GRID_CHARS:
            self.fault(R_GRID, f"正文每行排{per_line}字（应为28字）")

    def normal_size(self) -> float:
        normal = self.styles.default_paragraph
        for style in self.styles.chain(normal):
            size = style.find(f"{qn('w:rPr')}/{qn('w:sz')}")
            if size is not None:
                return int(size.get(qn("w:val"))) / 2
        return SIZE_3

    def normal_probe(self) -> Any | None:
        """A body paragraph to read Normal's effective formatting from (the first one, else any)."""
        normal = self.styles.default_paragraph
        for p in self.paragraphs:
            if self.style_id(p) == normal and _text(p).strip():
                return p
        return self.paragraphs[0] if self.paragraphs else None

    # 5.2.4
    def colour(self) -> None:
        organ = set(map(id, self.styled("公文发文机关标志")))
        coloured = set()
        for p in self.paragraphs:
            if id(p) in organ:
                continue
            for r in self.text_runs(p):
                value = ooxml.color(p, r, self.styles)
                if value and value not in ("000000", "AUTO"):
                    coloured.add(_text(p).strip()[:12])
        for text in sorted(coloured):
            self.fault(R_COLOUR, f"“{text}”不是黑色（红色只用于发文机关标志和分隔线）")

    # 7.2.1–7.2.3
    def header_block(self) -> None:
        head = self.paragraphs[:6]
        secrecy = self.first_styled("公文密级")
        if secrecy is None:
            secrecy = next((p for p in head if _text(p).startswith(_CLASSIFIED)), None)
        secrecy_text = _text(secrecy).strip() if secrecy is not None else ""
        if secrecy is not None and secrecy_text:
            self.type_of(R_SECRECY, "密级和保密期限", secrecy, "黑体", SIZE_3)
            self.flush_left(R_SECRECY, "密级和保密期限", secrecy)
            if secrecy_text.startswith(_CLASSIFIED) and not _SECRECY.match(secrecy_text):
                self.fault(R_SECRECY, f"密级写法应如“秘密”或“秘密★1年”，现为“{secrecy_text}”")
        copy_nos = self.styled("公文份号") or [p for p in head if _COPY_NO.match(_text(p).strip())]
        copy_no = next((p for p in copy_nos if _text(p).strip()), None)
        if secrecy_text.startswith(_CLASSIFIED):
            if copy_no is None:
                self.fault(R_COPY_NO, f"涉密公文（{secrecy_text[:2]}）应标注份号，未见份号")
            elif not _COPY_NO.match(_text(copy_no).strip()):
                shown = _text(copy_no).strip()
                self.fault(R_COPY_NO, f"份号应为6位阿拉伯数字，现为“{shown}”（未逐份编号）")
            elif secrecy is not None and self.paragraphs.index(copy_no) > self.paragraphs.index(secrecy):
                self.fault(R_COPY_NO, "份号应编排在版心左上角第一行，密级之上")
        if copy_no is not None and _COPY_NO.match(_text(copy_no).strip()):
            size = self.size(copy_no)
            if size is None or abs(size - SIZE_3) > 0.25:
                self.fault(R_COPY_NO, f"份号应为3号（16磅），现为{size or '未指定'}磅")
            self.flush_left(R_COPY_NO, "份号", copy_no)
        urgency = self.first_styled("公文紧急程度")
        if urgency is None:
            urgency = next((p for p in head if _text(p).strip() in _URGENCY), None)
        if urgency is not None and _text(urgency).strip():
            self.type_of(R_URGENCY, "紧急程度", urgency, "黑体", SIZE_3)
            self.flush_left(R_URGENCY, "紧急程度", urgency)

    # 7.2.4
    def organ(self) -> None:
        organ = self.first_styled("公文发文机关标志")
        if organ is None or not _text(organ).strip():
            if self.kind in HEADER_KINDS:
                self.fault(R_ORGAN, "缺少发文机关标志")
            return
        text = _text(organ).strip()
        for r in self.text_runs(organ) or [None]:
            if not _family(self.font(organ, r), "小标宋"):
                self.fault(R_ORGAN, f"发文机关标志应使用小标宋体字，现为{self.font(organ, r) or '未指定'}")
                break
        for r in self.text_runs(organ) or [None]:
            value = ooxml.color(organ, r, self.styles)
            if not value or not RED.match(value):
                self.fault(R_ORGAN, f"发文机关标志应为红色，现为{value or '黑色'}")
                break
        size = self.size(organ) or 0
        if size < ORGAN_MIN_PT:
            self.fault(
                R_ORGAN,
                f"发文机关标志字号{size:g}磅，不足红头应有的大小（应明显大于2号标题，不小于{ORGAN_MIN_PT:g}磅）",
            )
        if ooxml.alignment(organ, self.styles) != "center":
            self.fault(R_ORGAN, "发文机关标志应居中排布")
        scale = min((ooxml.scale_percent(organ, r, self.styles) for r in self.text_runs(organ)), default=100.0)
        width = self.line_width(organ)
        for line in text.split("\n"):
            needed = self.em_width(line) * size * scale / 100
            if needed > width + 0.5:
                self.fault(
                    R_ORGAN,
                    f"发文机关标志“{line}”宽{_mm(needed):.0f}mm，超出版心宽度（156mm），将被折行",
                )
        if scale < layout.ORGAN_MIN_SCALE:
            self.fault(R_ORGAN, f"发文机关标志字形压缩到{scale:g}%，过窄（不小于{layout.ORGAN_MIN_SCALE}%）")
        top = self.offset_of(organ)
        spacing = ooxml.spacing_pt(organ, self.styles)
        if spacing["rule"] == "exact" and spacing["line"]:
            top += (spacing["line"] - size) / 2
        if abs(_mm(top) - 35) > 2:
            self.fault(R_ORGAN, f"发文机关标志上边缘距版心上边缘应为35mm，现约为{_mm(top):.0f}mm")

    def line_width(self, p: Any) -> float:
        indents = ooxml.indents_pt(p, self.styles)
        return self.width - indents["left"] - indents["right"]

    def height_of(self, p: Any) -> float:
        spacing = ooxml.spacing_pt(p, self.styles)
        size = self.size(p) or SIZE_3
        if spacing["rule"] in ("exact", "atLeast") and spacing["line"]:
            line = spacing["line"] if spacing["rule"] == "exact" else max(spacing["line"], size * 1.3)
        else:
            line = size * 1.3 * (spacing["line"] or 1)
        lines = max(1, _text(p).count("\n") + 1)
        return spacing["before"] + lines * line + spacing["after"]

    def offset_of(self, p: Any) -> float:
        """How far below the top of the text block ``p``'s first line box starts (first page)."""
        top = 0.0
        for block in self.blocks:
            if block is p:
                return top + ooxml.spacing_pt(p, self.styles)["before"]
            if block.tag != qn("w:p"):
                return top
            top += self.height_of(block)
        return top

    # 7.2.5
    def doc_no(self) -> None:
        doc_no = self.first_styled("公文发文字号")
        if doc_no is None or not _text(doc_no).strip():
            return
        text = _text(doc_no).strip()
        self.type_of(R_DOC_NO, "发文字号", doc_no, "仿宋", SIZE_3)
        if ooxml.alignment(doc_no, self.styles) != "center":
            self.fault(R_DOC_NO, "发文字号应居中排布")
        if not re.search(r"〔\d{4}〕", text):
            self.fault(R_DOC_NO, f"发文字号的年份应标全称并用六角括号“〔〕”括入，现为“{text}”")
        elif not text.endswith("号"):
            self.fault(R_DOC_NO, f"发文字号应以“号”结尾，现为“{text}”")

    # 7.2.6
    def signer(self) -> None:
        for p in self.paragraphs[:8]:
            text = _text(p)
            if "签发人" not in text:
                continue
            for r in self.text_runs(p):
                run_text = strip_fingerprints(ooxml.run_text(r))
                want = "仿宋" if "签发人" in run_text or run_text.strip() in ("：", ":") else "楷体"
                if not _family(self.font(p, r), want):
                    self.fault(R_SIGNER, f"“{run_text.strip()}”应使用3号{want}")
            if "签发人：" not in text:
                self.fault(R_SIGNER, "“签发人”后应标全角冒号")

    # 7.2.7
    def red_line(self) -> None:
        organ = self.first_styled("公文发文机关标志")
        if organ is None or not _text(organ).strip():
            return
        index = self.paragraphs.index(organ)
        below = self.paragraphs[index + 1 : index + 3]
        for p in below:
            border = ooxml.paragraph_child(p, self.styles, "pBdr")
            bottom = border.find(qn("w:bottom")) if border is not None else None
            if bottom is None or bottom.get(qn("w:val")) in (None, "nil", "none"):
                continue
            colour = (bottom.get(qn("w:color")) or "").upper()
            if not RED.match(colour):
                self.fault(R_RED_LINE, f"版头分隔线应为红色，现为{colour or '黑色'}")
            if abs(_mm(self.line_width(p)) - 156) > 1:
                self.fault(R_RED_LINE, "版头分隔线应与版心等宽（156mm）")
            space = _mm(int(bottom.get(qn("w:space")) or 0))
            if not 2.5 <= space <= 5.5:
                self.fault(R_RED_LINE, f"分隔线应在发文字号之下4mm处，现为{space:.1f}mm")
            return
        self.fault(R_RED_LINE, "发文字号之下缺少红色分隔线")

    # 7.3.1
    def titles(self) -> None:
        titles = self.styled("公文标题")
        if not titles:
            self.fault(R_TITLE, "缺少标题（未见“公文标题”样式的段落）")
            return
        for p in titles:
            text = _text(p).strip("\n")
            if not text.strip():
                continue
            self.type_of(R_TITLE, "标题", p, "小标宋", SIZE_2)
            if ooxml.alignment(p, self.styles) != "center":
                self.fault(R_TITLE, "标题应居中排布")
            self.title_lines(p, text)

    def title_lines(self, p: Any, text: str) -> None:
        size = self.size(p) or SIZE_2
        max_em = self.line_width(p) / size
        whole = text.replace("\n", "")
        at = 0
        for number, line in enumerate(text.split("\n"), start=1):
            if at:
                word = title_breaks.split_word(whole, at)
                if word:
                    self.fault(R_TITLE, f"标题在词语“{word}”中间回行（第{number - 1}行末），回行时应做到词意完整")
            width = self.em_width(line)
            if width > max_em + 1e-6:
                wrapped = title_breaks.greedy_lines(line, max_em)
                cut = at + len(wrapped[0])
                word = title_breaks.split_word(whole, cut)
                where = f"，将在词语“{word}”中间自动回行" if word else "，将由软件自动回行"
                self.fault(
                    R_TITLE,
                    f"标题第{number}行“{line}”宽{width:g}字，超出一行（{size:g}磅字每行{int(max_em)}字）{where}",
                )
            at += len(line)

    # 7.3.2
    def addressee(self) -> None:
        for p in self.styled("公文主送机关"):
            text = _text(p).strip()
            if not text:
                continue
            self.type_of(R_ADDRESSEE, "主送机关", p, "仿宋", SIZE_3)
            self.flush_left(R_ADDRESSEE, "主送机关", p)
            if not text.endswith("："):
                self.fault(R_ADDRESSEE, f"主送机关后应标全角冒号，现为“{text[-8:]}”")

    # 7.3.3
    def body_text(self) -> None:
        normal = self.styles.default_paragraph
        heading = self.styles.id_of("公文一级标题")
        kai = self.styles.id_of("公文二级标题")
        body_faults: dict[str, int] = {}
        for p in self.paragraphs:
            text = _text(p).strip()
            style = self.style_id(p)
            if not text:
                continue
            if style == heading:
                self.type_of(R_BODY, f"一级标题“{text[:12]}”", p, "黑体", SIZE_3)
                continue
            if style != normal:
                continue
            for r in self.text_runs(p):
                r_pr = r.find(qn("w:rPr"))
                r_style = r_pr.find(qn("w:rStyle")) if r_pr is not None else None
                if kai and r_style is not None and r_style.get(qn("w:val")) == kai:
                    if not _family(self.font(p, r), "楷体"):
                        self.fault(R_BODY, f"二级标题“{ooxml.run_text(r)[:12]}”应使用楷体")
                    continue
                family = self.font(p, r)
                if not (_family(family, "仿宋") or (_HEADING_2.match(text) and _family(family, "楷体"))):
                    body_faults[f"正文应使用3号仿宋体字，“{text[:12]}…”为{family or '未指定'}"] = 1
                size = self.size(p, r)
                if size is None or abs(size - SIZE_3) > 0.25:
                    body_faults[f"正文应为3号（16磅），“{text[:12]}…”为{size or '未指定'}磅"] = 1
            self.heading_levels(p, text)
            indents = ooxml.indents_pt(p, self.styles)
            chars = ooxml.paragraph_attr(p, self.styles, "ind", "firstLineChars")
            two = (chars is not None and int(chars) == 200) or 28 <= indents["first_line"] <= 34
            if not two and not _is_picture(p):
                body_faults[f"正文自然段应左空二字，“{text[:12]}…”未空"] = 1
        for message in body_faults:
            self.fault(R_BODY, message)

    def heading_levels(self, p: Any, text: str) -> None:
        """A body paragraph that is a heading of its own: "一、…" in 黑体, "（一）…" with the label in 楷体."""
        short = self.em_width(text) <= 2 * layout.GRID_CHARS and "。" not in text[:-1]
        if _HEADING_1.match(text) and short:
            first = self.text_runs(p)[0]
            if not _family(self.font(p, first), "黑体"):
                self.fault(R_BODY, f"一级标题“{text[:12]}”应使用3号黑体字")
        elif _HEADING_2.match(text):
            first = self.text_runs(p)[0]
            if not _family(self.font(p, first), "楷体"):
                self.fault(R_BODY, f"二级标题“{text[:12]}”应使用3号楷体字")

    # 7.3.4
    def attachment_note(self) -> None:
        mark = self.styles.id_of("公文附件标识")
        notes = self.styled("公文附件说明") or [
            p for p in self.paragraphs if _text(p).strip().startswith("附件：") and self.style_id(p) != mark
        ]
        for p in notes:
            text = _text(p).strip()
            if not text:
                continue
            self.type_of(R_ATTACH_NOTE, "附件说明", p, "仿宋", SIZE_3)
            if not text.startswith("附件："):
                self.fault(R_ATTACH_NOTE, f"附件说明应以“附件：”开头，现为“{text[:8]}”")
            if text[-1:] in "。，；.,;":
                self.fault(R_ATTACH_NOTE, "附件名称后不加标点符号")
            indents = ooxml.indents_pt(p, self.styles)
            if not 28 <= indents["first_line"] + indents["left"] <= 34:
                self.fault(R_ATTACH_NOTE, "附件说明应左空二字编排")

    # 7.3.5
    def closing(self) -> None:
        signatures = self.styled("公文发文机关署名")
        dates = self.styled("公文成文日期")
        if not signatures or not dates:
            if self.kind:
                self.fault(R_SIGNATURE, "缺少发文机关署名或成文日期")
            return
        signature, date = signatures[-1], dates[-1]
        self.type_of(R_SIGNATURE, "发文机关署名", signature, "仿宋", SIZE_3)
        self.type_of(R_SIGNATURE, "成文日期", date, "仿宋", SIZE_3)
        for p, what in ((signature, "发文机关署名"), (date, "成文日期")):
            if ooxml.alignment(p, self.styles) != "right":
                self.fault(R_SIGNATURE, f"{what}应右空编排（右对齐）")
        right_sig = ooxml.indents_pt(signature, self.styles)["right"]
        right_date = ooxml.indents_pt(date, self.styles)["right"]
        if right_sig < 28:
            self.fault(R_SIGNATURE, "发文机关署名应右空二字")
        if right_date < 28:
            self.fault(R_SIGNATURE, "成文日期应右空二字以上（加盖印章时右空四字）")
        date_text = _text(date).strip()
        if not _DATE.match(date_text):
            self.fault(
                R_SIGNATURE,
                f"成文日期应用阿拉伯数字将年、月、日标全，月、日不编虚位，如“2026年3月8日”，现为“{date_text}”",
            )
        # The date never alone: signature keeps with the date, the body's last lines with the signature.
        if not ooxml.paragraph_flag(signature, self.styles, "keepNext"):
            self.fault(R_SIGNATURE, "发文机关署名未设置“与下段同页”，成文日期可能单独排在下一页")
        previous = self.previous_content(signature)
        if previous is None:
            return
        if previous.tag == qn("w:tbl"):
            rows = previous.findall(qn("w:tr"))
            last = rows[-1] if rows else None
            kept = last is not None and all(
                ooxml.paragraph_flag(p, self.styles, "keepNext") for p in last.iter(qn("w:p"))
            )
        else:
            kept = ooxml.paragraph_flag(previous, self.styles, "keepNext")
        if not kept:
            self.fault(
                R_SIGNATURE,
                "正文最后一段未与发文机关署名、成文日期保持同页（未设“与下段同页”），成文日期可能单独成页",
            )
        after = date.getnext()
        noted = after is not None and after.tag == qn("w:p") and self.style_id(after) == self.styles.id_of("公文附注")
        if noted and not ooxml.paragraph_flag(date, self.styles, "keepNext"):
            self.fault(R_SIGNATURE, "成文日期未与附注保持同页")

    def previous_content(self, p: Any) -> Any | None:
        """The block before ``p`` that the signature must stay with (empty lines skipped)."""
        note = self.styles.id_of("公文附件说明")
        block = p.getprevious()
        while block is not None:
            if block.tag == qn("w:tbl"):
                return block
            if block.tag == qn("w:p") and (_text(block).strip() or _is_picture(block)):
                if self.style_id(block) != note:
                    return block
                if not ooxml.paragraph_flag(block, self.styles, "keepNext"):
                    return block  # the attachment note itself is not kept with the signature
            block = block.getprevious()
        return None

    # 7.3.6
    def note(self) -> None:
        for p in self.styled("公文附注"):
            text = _text(p).strip()
            if not text:
                continue
            self.type_of(R_NOTE, "附注", p, "仿宋", SIZE_3)
            if not (text.startswith("（") and text.endswith("）")):
                self.fault(R_NOTE, f"附注应加圆括号，现为“{text[:10]}”")
            indents = ooxml.indents_pt(p, self.styles)
            if not 28 <= indents["first_line"] + indents["left"] <= 34:
                self.fault(R_NOTE, "附注应居左空二字编排")

    # 7.3.7
    def attachment(self) -> None:
        marks = self.styled("公文附件标识") or [p for p in self.paragraphs if re.match(r"^附件\d*$", _text(p).strip())]
        dates = self.styled("公文成文日期")
        for p in marks:
            if not _text(p).strip():
                continue
            self.type_of(R_ATTACHMENT, "“附件”二字", p, "黑体", SIZE_3)
            self.flush_left(R_ATTACHMENT, "“附件”二字", p)
            previous = p.getprevious()
            page_break = previous is not None and "\f" in ooxml.paragraph_text(previous)
            if not ooxml.paragraph_flag(p, self.styles, "pageBreakBefore") and not page_break:
                self.fault(R_ATTACHMENT, "附件应另面编排（“附件”二字前应分页）")
            if dates and self.blocks.index(p) < self.blocks.index(dates[-1]):
                self.fault(R_ATTACHMENT, "附件应编排在发文机关署名和成文日期之后")

    # 7.4.1–7.4.3
    def record(self) -> None:
        table, rows = self.record_block()
        if table is None and not rows:
            if self.kind in RECORD_KINDS:
                self.fault(R_RECORD, "缺少版记（抄送机关、印发机关和印发日期）")
            return
        if table is None:
            self.fault(
                R_RECORD,
                "版记紧接正文排列，没有置于公文最后一面的版心下端（末条分隔线应与版心下边缘重合）",
            )
        else:
            self.record_table(table)
        for row in rows:
            text = "".join(_text(p).strip() for p in row)
            for p in row:
                self.type_of(R_COPY_TO if text.startswith("抄送") else R_ISSUED, "版记", p, "仿宋", SIZE_4)
            if text.startswith("抄送"):
                self.copy_to(row[0], text)
            elif "印发" in text:
                self.issued(row, text)
        if not any("印发" in _text(p) for row in rows for p in row):
            self.fault(R_ISSUED, "版记缺少印发机关和印发日期")

    def record_block(self) -> tuple[Any | None, list[list[Any]]]:
        """(the table holding the 版记 or None, its lines: the paragraphs of each)."""
        for table in self.body.findall(qn("w:tbl")):
            lines = [[p for p in tr.iter(qn("w:p")) if _text(p).strip()] for tr in table.findall(qn("w:tr"))]
            lines = [line for line in lines if line]
            texts = ["".join(_text(p).strip() for p in line) for line in lines]
            if any(text.startswith("抄送：") or _ISSUED.search(text) for text in texts):
                return table, lines
        record_style = self.styles.id_of("公文版记")
        paragraphs = [
            p
            for p in self.paragraphs
            if _text(p).strip()
            and (
                self.style_id(p) == record_style
                or _text(p).strip().startswith("抄送：")
                or _ISSUED.search(_text(p).strip())
            )
        ]
        return None, [[p] for p in paragraphs]

    def record_table(self, table: Any) -> None:
        tbl_pr = table.find(qn("w:tblPr"))
        place = tbl_pr.find(qn("w:tblpPr")) if tbl_pr is not None else None
        at_bottom = (
            place is not None
            and place.get(qn("w:tblpYSpec")) == "bottom"
            and place.get(qn("w:vertAnchor"), "margin") == "margin"
        )
        if not at_bottom:
            self.fault(R_RECORD, "版记没有固定在版心下端（末条分隔线应与公文最后一面的版心下边缘重合）")
        later = [b for b in self.blocks[self.blocks.index(table) + 1 :] if b.tag == qn("w:tbl") or _text(b).strip()]
        if later:
            self.fault(R_RECORD, "版记之后还有内容，版记应是公文最后一面的最后要素")
        borders = tbl_pr.find(qn("w:tblBorders")) if tbl_pr is not None else None

        def size(side: str) -> int:
            element = borders.find(qn(f"w:{side}")) if borders is not None else None
            if element is None or element.get(qn("w:val")) in (None, "nil", "none"):
                return 0
            return int(element.get(qn("w:sz")) or 0)

        top, bottom, inside = size("top"), size("bottom"), size("insideH")
        if top < 6 or bottom < 6:
            self.fault(R_RECORD, "版记的首条和末条分隔线应为粗线（推荐0.35mm）")
        if len(table.findall(qn("w:tr"))) > 1 and not 2 <= inside < max(top, bottom, 3):
            self.fault(R_RECORD, "版记中间的分隔线应为细线（推荐0.25mm）")
        grid = [int(c.get(qn("w:w")) or 0) for c in table.iter(qn("w:gridCol"))]
        if grid and abs(_mm(sum(grid) / 20) - 156) > 1:
            self.fault(R_RECORD, f"版记分隔线应与版心等宽（156mm），现为{_mm(sum(grid) / 20):.0f}mm")

    def copy_to(self, p: Any, text: str) -> None:
        if not text.startswith("抄送："):
            self.fault(R_COPY_TO, "“抄送”二字后应加全角冒号")
        names = text.removeprefix("抄送：").removeprefix("抄送")
        if "、" in names:
            self.fault(R_COPY_TO, f"抄送机关间应用逗号隔开，不用顿号：“{names[:20]}”")
        if not names.endswith("。"):
            self.fault(R_COPY_TO, "最后一个抄送机关名称后应标句号")
        indents = ooxml.indents_pt(p, self.styles)
        lead = 1 if ooxml.paragraph_text(p).startswith("\u3000") else 0
        start = indents["left"] + indents["first_line"] + lead * SIZE_4
        if not 10 <= start <= 18:
            self.fault(R_COPY_TO, "抄送机关应左空一字编排")
        if self.em_width(text) * SIZE_4 > self.line_width(p) - SIZE_4 and indents["left"] < 3 * SIZE_4:
            self.fault(R_COPY_TO, "抄送机关回行时应与冒号后的首字对齐")

    def issued(self, row: list[Any], text: str) -> None:
        match = re.search(r"(\d{4}年\d{1,2}月\d{1,2}日)印发$", text)
        if not match:
            self.fault(R_ISSUED, f"印发日期应为“2026年3月8日印发”的写法，现为“{text[-12:]}”")
        elif not _DATE.match(match.group(1)):
            self.fault(R_ISSUED, f"印发日期的月、日不编虚位，现为“{match.group(1)}”")
        organ, date = row[0], row[-1]
        if len(row) >= 2:  # organ and date in cells of their own
            date_text = _text(date).strip()
            room = self.cell_width(date) - ooxml.indents_pt(date, self.styles)["right"]
            if ooxml.alignment(date, self.styles) != "right" or ooxml.indents_pt(date, self.styles)["right"] < 10:
                self.fault(R_ISSUED, "印发日期应右空一字编排")
            if self.em_width(date_text) * SIZE_4 > room + 0.5:
                self.fault(R_ISSUED, f"印发日期“{date_text}”在其栏内排不下一行")
        elif "\t" in ooxml.paragraph_text(organ):
            organ_text, _tab, date_text = strip_fingerprints(ooxml.paragraph_text(organ)).partition("\t")
            needed = (self.em_width(organ_text.strip()) + self.em_width(date_text.strip()) + 2) * SIZE_4
            if needed > self.line_width(organ) + 0.5:
                self.fault(R_ISSUED, "印发机关和印发日期一行排不下，印发日期被挤到下一行")
        elif ooxml.alignment(organ, self.styles) != "distribute":
            self.fault(R_ISSUED, "印发机关应左空一字、印发日期应右空一字编排（两端分开）")
        indents = ooxml.indents_pt(organ, self.styles)
        lead = 1 if ooxml.paragraph_text(organ).startswith("\u3000") else 0
        if not 10 <= indents["left"] + indents["first_line"] + lead * SIZE_4 <= 18:
            self.fault(R_ISSUED, "印发机关应左空一字编排")

    def cell_width(self, p: Any) -> float:
        """The width of the table cell holding ``p``, in points (its ``tcW``), else the text block's."""
        tc = p.getparent()
        width = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}") if tc is not None and tc.tag == qn("w:tc") else None
        if width is None or width.get(qn("w:type")) not in (None, "dxa"):
            return self.width
        return ooxml.twips_to_pt(width.get(qn("w:w")))

    # 7.5
    def page_numbers(self) -> None:
        if not self.document.settings.odd_and_even_pages_header_footer:
            self.fault(R_PAGE_NO, "页码应单页码居右、双页码居左（未设奇偶页不同）")
        found = False
        for footer, side in ((self.section.footer, "right"), (self.section.even_page_footer, "left")):
            for paragraph in footer.paragraphs:
                p = paragraph._p
                instructions = " ".join(i.text or "" for i in p.iter(qn("w:instrText")))
                if "PAGE" not in instructions.upper() or TRACE_LINE.search(paragraph.text):
                    continue
                found = True
                text = ooxml.paragraph_text(p).strip()
                if not re.match(r"^— ?\d+ ?—$", text):
                    self.fault(R_PAGE_NO, f"页码数字左右应各放一条一字线，如“— 1 —”，现为“{text}”")
                for r in self.text_runs(p):
                    if not _family(self.font(p, r), "宋体"):
                        self.fault(R_PAGE_NO, f"页码应使用4号半角宋体，现为{self.font(p, r) or '未指定'}")
                        break
                size = self.size(p)
                if size is None or abs(size - SIZE_4) > 0.25:
                    self.fault(R_PAGE_NO, f"页码应为4号（14磅），现为{size or '未指定'}磅")
                indents = ooxml.indents_pt(p, self.styles)
                if ooxml.alignment(p, self.styles) != side or not 10 <= indents[side] <= 18:
                    where = "单页码居右空一字" if side == "right" else "双页码居左空一字"
                    self.fault(R_PAGE_NO, f"页码应{where}")
        if not found:
            self.fault(R_PAGE_NO, "页脚中没有页码")

    # 8
    def tables(self) -> None:
        record, _lines = self.record_block()
        for number, table in enumerate(self.body.findall(qn("w:tbl")), start=1):
            if table is record:
                continue
            grid = [int(c.get(qn("w:w")) or 0) / 20 for c in table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")]
            if not grid:
                continue
            total = sum(grid)
            if total > self.width + 1.5:
                self.fault(R_TABLE, f"第{number}个表格宽{_mm(total):.0f}mm，超出版心（156mm）")
            margin = self.cell_margin(table)
            cramped: list[str] = []
            for row_index, tr in enumerate(table.findall(qn("w:tr"))):
                column = 0
                for tc in tr.findall(qn("w:tc")):
                    span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
                    cols = int(span.get(qn("w:val"))) if span is not None else 1
                    width = sum(grid[column : column + cols]) - 2 * margin
                    column += cols
                    for p in tc.findall(qn("w:p")):
                        text = _text(p).strip()
                        short = row_index == 0 or _NUMBER.match(text) or _ANY_DATE.fullmatch(text)
                        if not text or not short:
                            continue
                        size = self.size(p) or SIZE_3
                        needed = self.em_width(text) * size + ooxml.char_spacing_pt(p, None, self.styles) * len(text)
                        if needed > width + 0.5 and text not in cramped:
                            cramped.append(text)
            if cramped:
                shown = "、".join(f"“{t}”" for t in cramped[:4])
                self.fault(R_TABLE, f"第{number}个表格的栏宽容不下{shown}，表头、序号、日期在栏内折行")

    def cell_margin(self, table: Any) -> float:
        """The left/right cell margin in points: the table's own, else its style's, else Word's 5.4 pt."""
        tbl_pr = table.find(qn("w:tblPr"))
        owners = [tbl_pr]
        style = tbl_pr.find(qn("w:tblStyle")) if tbl_pr is not None else None
        if style is not None:
            owners += [s.find(qn("w:tblPr")) for s in self.styles.chain(style.get(qn("w:val")))]
        for owner in owners:
            if owner is None:
                continue
            left = owner.find(f"{qn('w:tblCellMar')}/{qn('w:left')}")
            if left is not None:
                return ooxml.twips_to_pt(left.get(qn("w:w")))
        return 5.4


def _is_picture(p: Any) -> bool:
    return p.find(f".//{qn('w:drawing')}") is not None


def _size_name(size: float) -> str:
    return {22.0: "2号", 16.0: "3号", 14.0: "4号"}.get(size, f"{size:g}磅")
