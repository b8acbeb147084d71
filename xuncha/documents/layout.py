"""GB/T 9704-2012 page and type, as python-docx calls (used by build_templates.py).

Everything here is layout; what the documents say is in each domain's template builders. Sizes
follow the standard (domain.md §6): A4, text block 156 × 225 mm, 22 lines of 28 characters;
3号 = 16 pt, 2号 = 22 pt, 4号 = 14 pt. Fonts are named as the standard names them; a machine
without them substitutes (the font table suggests the common Windows equivalents, see
FONT_FALLBACKS). What depends on the rendered text (title breaks, the organ's mark's width,
keeping the signature with the body) is done after rendering, in ``typeset``; the checker of all
this is ``conformance``.
"""

from __future__ import annotations

import math

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table
from docx.text.paragraph import Paragraph

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
LATIN = "Times New Roman"

# Word substitutes a missing font by the font table's altName; these are what Windows ships.
FONT_FALLBACKS = {FANGSONG: "仿宋", KAITI: "楷体", XIAOBIAOSONG: "宋体", HEITI: "SimHei", SONGTI: "SimSun"}

RED = RGBColor(0xFF, 0x00, 0x00)
SIZE_3 = Pt(16)  # 三号
SIZE_2 = Pt(22)  # 二号
SIZE_4 = Pt(14)  # 四号
# 225 mm / 22 lines = 10.23 mm = 28.95 pt: the "固定值 28.95 磅" every Word template for 公文 uses.
LINE = Pt(28.95)
CHAR = SIZE_3  # one character of body text, for indents ("空二字")
TEXT_WIDTH = Mm(156)
TEXT_HEIGHT = Mm(225)
GRID_LINES, GRID_CHARS = 22, 28  # 5.2.3: 每面排22行，每行排28个字

# The document grid Word shows in 页面设置 (22 lines × 28 characters): 28 characters of 三号 are
# 448 pt and the text block is 442.2 pt wide, so the grid's character pitch is a little under 16
# pt: ``charSpace`` is that difference in 1/4096 pt (relative to Normal's 16 pt), rounded down so
# that 28 pitches fit, i.e. -848 (Word's own 公文 templates carry -842 … -849).
CHAR_SPACE = math.floor((TEXT_WIDTH.pt / GRID_CHARS - SIZE_3.pt) * 4096)
# Text snapped to that grid is laid out differently by LibreOffice (the PDF for the archive, and
# WPS's import path): a 16 pt character on a 15.79 pt pitch takes two cells there, 14 characters
# a line. So no paragraph snaps to the grid (snapToGrid off in Normal, which every style is based
# on): lines are held by the exact 28.95 pt line spacing, and 28 characters by condensing the
# body by 0.3 pt (w:spacing -6 twips): 28 × 15.7 pt = 439.6 pt, which fits in 442.2 pt in Word
# and in LibreOffice (which rounds the text block a little narrower) alike.
BODY_TRACKING_TWIPS = -6

# 发文机关标志 (7.2.4). The standard leaves the size to the issuing organ "以醒目、美观、庄重为原则";
# its 1999 edition capped it at 22 mm × 15 mm (height × width), and offices' red headers are set
# well above the title's 2号 (22 pt), in 初号 (42 pt) and larger, narrowed so the full name fits
# one line. 48 pt is 16.9 mm high: clearly the largest type on the page, under the old cap, and
# at ``ORGAN_MIN_SCALE`` width still 25 characters wide on one line. ``typeset`` narrows the
# characters (w:w) as far as the name needs, so "中共××县委巡察工作领导小组办公室" (17 characters)
# fills the line at 54 %; a name longer than one line at the minimum scale breaks between words.
ORGAN_SIZE = Pt(48)
ORGAN_LINE = Pt(58)  # exact; 1.2 × the size, so the glyphs are never clipped
ORGAN_MIN_SCALE = 50  # per cent: narrower than half width reads as a different typeface
# 7.2.4: the organ's mark starts 35 mm below the top of the text block; above it are the lines
# of the copy number and the secrecy mark (always there, empty when not needed). In an exact
# line the glyphs sit about centred, (line - size) / 2 below its top.
ORGAN_TOP = Mm(35)
COPY_NO_PLACEHOLDER = "××××××"  # 7.2.1; each download gets its number (trace_files.stamp)
CLASSIFIED = ("绝密", "机密", "秘密")  # a document marked so carries a copy number (份号)


def page_setup(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    # The page number's dash line sits 7 mm under the text block (35 mm up); the trace line goes
    # under it, so the footer starts low.
    section.footer_distance = Mm(17)
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE.pt * 20)))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))


def _east_asian(style_or_run_font_element, name: str, latin: str | None = None) -> None:
    """Set the fonts of an ``rPr``: East-Asian text in ``name``, Latin letters and digits in ``latin``."""
    fonts = style_or_run_font_element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), latin or name)
    fonts.set(qn("w:hAnsi"), latin or name)


def set_font(style: BaseStyle, name: str, size: Pt, *, latin: str | None = None, color: RGBColor | None = None) -> None:
    _east_asian(style.element, name, latin)
    style.font.size = size
    if color is not None:
        style.font.color.rgb = color


def _defaults(document: DocxDocument) -> None:
    """Document defaults: Chinese text, no space after paragraphs (python-docx's template has 10 pt)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = r_pr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")


def _paragraph_style(document: DocxDocument, style_id: str, label: str, **fmt) -> BaseStyle:
    """A paragraph style based on Normal, with an ASCII id (safe everywhere) and a Chinese name
    (what an office editing the template sees in Word's style list)."""
    style = document.styles.add_style(style_id, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    style.name = label
    pf = style.paragraph_format
    pf.first_line_indent = fmt.get("indent", Pt(0))
    pf.alignment = fmt.get("align", WD_ALIGN_PARAGRAPH.LEFT)
    if "line" in fmt:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = fmt["line"]
    pf.space_before = fmt.get("before", Pt(0))
    pf.space_after = fmt.get("after", Pt(0))
    if "right" in fmt:
        pf.right_indent = fmt["right"]
    return style


# The order of pPr's, rPr's and tblPr's children in the OOXML schema; Word refuses a file that breaks it.
# fmt: off
_PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
    "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
    "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
)
_RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
    "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
    "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
    "em", "lang", "eastAsianLayout", "specVanish", "oMath",
)
_TBLPR_ORDER = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
    "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
)
# fmt: on


def _ordered_child(parent, tag: str, order: tuple[str, ...]):
    child = parent.find(qn(f"w:{tag}"))
    if child is None:
        child = OxmlElement(f"w:{tag}")
        later = order[order.index(tag) + 1 :]
        parent.insert_element_before(child, *(f"w:{name}" for name in later))
    return child


def _ppr_child(owner, tag: str):
    """``owner``'s pPr child ``w:tag``, created in its schema place if missing."""
    return _ordered_child(owner.get_or_add_pPr(), tag, _PPR_ORDER)


def rpr_child(r_pr, tag: str):
    """``r_pr``'s child ``w:tag``, created in its schema place if missing."""
    return _ordered_child(r_pr, tag, _RPR_ORDER)


def _tblpr_child(tbl_pr, tag: str):
    return _ordered_child(tbl_pr, tag, _TBLPR_ORDER)


def keep_with_next(p) -> None:
    """A paragraph (``w:p``) kept on the page of the next one."""
    _ppr_child(p, "keepNext").attrib.pop(qn("w:val"), None)


def keep_row_with_next(tr) -> None:
    """A table row (``w:tr``) not split across pages and kept with what follows the table."""
    tr_pr = tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, OxmlElement("w:cantSplit"))
    for p in tr.iter(qn("w:p")):
        keep_with_next(p)


def _border(owner, side: str, color: str, size_eighths: int, space_pt: int) -> None:
    """A paragraph border (``side`` = top/bottom): the red separator line, the 版记 rules."""
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), str(space_pt))
    line.set(qn("w:color"), color)
    _ppr_child(owner, "pBdr").append(line)


def _off_grid(style: BaseStyle) -> None:
    """Lines taller than the body's (title, organ's mark, pictures) must not snap to the 28.95 pt
    document grid, or LibreOffice and WPS give each of them two grid lines. Normal is off the grid
    too (see CHAR_SPACE), so this only matters for a template whose Normal an office changed."""
    _ppr_child(style.element, "snapToGrid").set(qn("w:val"), "0")


def _table_text(document: DocxDocument) -> None:
    """公文表格: table text in 4号仿宋, single-spaced, no indent (the body's exact 28.95 pt lines
    crop cells). The domains' table builders use it by name."""
    style = document.styles.add_style("GWTable", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.name = "公文表格"
    set_font(style, FANGSONG, SIZE_4, latin=LATIN)
    fmt = style.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT


def _head_styles(document: DocxDocument) -> None:
    """版头 and title (7.2, 7.3.1): 份号, 密级, 紧急程度, the red organ's mark, 发文字号 with its rule, 标题."""
    copy_no = _paragraph_style(document, "GWCopyNo", "公文份号", line=LINE)  # 7.2.1: 6位3号阿拉伯数字
    set_font(copy_no, HEITI, SIZE_3, latin=LATIN)
    secrecy = _paragraph_style(document, "GWSecrecy", "公文密级", line=LINE)  # 7.2.2
    set_font(secrecy, HEITI, SIZE_3)
    urgency = _paragraph_style(document, "GWUrgency", "公文紧急程度", line=LINE)  # 7.2.3
    set_font(urgency, HEITI, SIZE_3)
    # Above the organ's mark: the copy number's and the secrecy mark's lines (see ORGAN_TOP).
    organ = _paragraph_style(
        document,
        "GWOrgan",
        "公文发文机关标志",
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line=ORGAN_LINE,
        before=Pt(ORGAN_TOP.pt - 2 * LINE.pt - (ORGAN_LINE.pt - ORGAN_SIZE.pt) / 2),
    )
    set_font(organ, XIAOBIAOSONG, ORGAN_SIZE, color=RED)
    _off_grid(organ)
    doc_no = _paragraph_style(
        document, "GWDocNo", "公文发文字号", align=WD_ALIGN_PARAGRAPH.CENTER, line=LINE, before=2 * LINE, after=LINE
    )
    _border(doc_no.element, "bottom", "FF0000", 12, 11)  # 1.5 pt red rule, 4 mm under the number
    title = _paragraph_style(
        document, "GWTitle", "公文标题", align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(35), before=LINE, after=LINE
    )
    set_font(title, XIAOBIAOSONG, SIZE_2)
    _off_grid(title)


def _closing_styles(document: DocxDocument) -> None:
    """Signature, date, 附注 and the attachment's mark (7.3.5–7.3.7)."""
    # 7.3.5: the signature keeps with the date (and ``typeset`` keeps the body's last lines with it).
    signature = _paragraph_style(
        document,
        "GWSignature",
        "公文发文机关署名",
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        line=LINE,
        before=2 * LINE,
        right=2 * CHAR,
    )
    signature.paragraph_format.keep_with_next = True
    signature.paragraph_format.keep_together = True
    date = _paragraph_style(
        document, "GWDate", "公文成文日期", align=WD_ALIGN_PARAGRAPH.RIGHT, line=LINE, right=4 * CHAR
    )
    date.paragraph_format.keep_together = True
    # 7.3.6: 附注 居左空二字加圆括号编排在成文日期下一行.
    _paragraph_style(document, "GWNote", "公文附注", indent=2 * CHAR, line=LINE)
    # 7.3.7: 附件另面编排; "附件"二字及顺序号用3号黑体字顶格编排在版心左上角第一行.
    attachment = _paragraph_style(document, "GWAttachMark", "公文附件标识", line=LINE)
    set_font(attachment, HEITI, SIZE_3)
    attachment.paragraph_format.page_break_before = True


def define_styles(document: DocxDocument) -> None:
    """Normal is the body (3号仿宋, 28.95 pt lines, first line indented two characters); the
    other parts of a 公文 get a style each, so a replacement template can restyle them in one place."""
    _defaults(document)
    normal = document.styles["Normal"]
    set_font(normal, FANGSONG, SIZE_3, latin=LATIN)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE
    normal.paragraph_format.first_line_indent = 2 * CHAR
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.widow_control = True  # a paragraph's last line never alone on a page
    _ppr_child(normal.element, "snapToGrid").set(qn("w:val"), "0")
    rpr_child(normal.element.get_or_add_rPr(), "spacing").set(qn("w:val"), str(BODY_TRACKING_TWIPS))

    _head_styles(document)
    _paragraph_style(document, "GWAddressee", "公文主送机关", line=LINE)
    heading = _paragraph_style(document, "GWHeading1", "公文一级标题", indent=2 * CHAR, line=LINE)
    set_font(heading, HEITI, SIZE_3)
    heading.paragraph_format.keep_with_next = True  # never the last line of a page
    # 7.3.4: 正文下空一行左空二字编排"附件"二字，后标全角冒号和附件名称.
    _paragraph_style(document, "GWAttachNote", "公文附件说明", indent=2 * CHAR, line=LINE, before=LINE)
    _closing_styles(document)
    # Pictures (the QR code): an exact line height would crop them to one line of text.
    center = _paragraph_style(document, "GWCenter", "公文居中", align=WD_ALIGN_PARAGRAPH.CENTER)
    center.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _off_grid(center)
    record = _paragraph_style(document, "GWRecord", "公文版记", line=LINE)
    set_font(record, FANGSONG, SIZE_4, latin=LATIN)
    # The rules span the whole text block, so the "one character in" of the text is a leading
    # full-width space and a right tab one character short of the edge, not a paragraph indent.
    record.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH - SIZE_4, WD_TAB_ALIGNMENT.RIGHT)
    _table_text(document)
    page_no = _paragraph_style(document, "GWPageNo", "公文页码")
    page_no.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    set_font(page_no, SONGTI, SIZE_4)

    kai = document.styles.add_style("GWKai", WD_STYLE_TYPE.CHARACTER)
    kai.name = "公文二级标题"
    _east_asian(kai.element, KAITI, LATIN)


RECORD_RULE_THICK, RECORD_RULE_THIN = 8, 4  # eighths of a point: 1 pt ≈ 0.35 mm, 0.5 pt ≈ 0.18 mm


def _el(tag: str, **attrs: object):
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(name), str(value))
    return element


# The 印发 row's date cell: "2026年12月31日印发" in 4号 (10¼ ems with the spaces Word puts between
# digits and Chinese) and the character it stands in from the right; the organ has the rest.
ISSUED_DATE_WIDTH = Mm(56)


def record_block(document: DocxDocument, *, copy_to: str | None, organ: str, issued: str) -> Table:
    """版记 (GB/T 9704 7.4) at the foot of the last page: "抄送：{copy_to}。" (回行时与冒号后的首字对齐)
    over "{organ} … {issued}" (印发机关左空一字，印发日期右空一字), between a thick rule (0.35 mm)
    above and below and a thin one between, the last rule on the bottom edge of the text block.

    It is a table floating at the bottom of the text block (``tblpPr``, bottom of the margin),
    anchored to a one-point paragraph after it, so it sits on the page where the document ends.
    Horizontally it is placed from the page edge: LibreOffice (the PDF path) makes a floating table
    a frame, and so keeps its position, only when text could stand beside it relative to what it
    is placed from (a frame, or a framePr paragraph, loses its rules and place there). The 印发 row
    has two cells, so a long organ's name wraps in its own cell and the date stays on the right."""
    table = document.add_table(rows=2 if copy_to else 1, cols=2)
    tbl_pr = table._tbl.tblPr
    width = str(round(TEXT_WIDTH.pt * 20))
    place = _tblpr_child(tbl_pr, "tblpPr")
    for name, value in (
        ("leftFromText", 0),
        ("rightFromText", 0),
        ("topFromText", 0),
        ("bottomFromText", 0),
        ("vertAnchor", "margin"),
        ("horzAnchor", "page"),
        ("tblpX", round((document.sections[0].left_margin or Mm(28)).pt * 20)),
        ("tblpYSpec", "bottom"),
    ):
        place.set(qn(f"w:{name}"), str(value))
    _tblpr_child(tbl_pr, "tblOverlap").set(qn("w:val"), "never")
    tbl_w = _tblpr_child(tbl_pr, "tblW")
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), width)
    borders = _tblpr_child(tbl_pr, "tblBorders")
    for side, size in (
        ("top", RECORD_RULE_THICK),
        ("left", 0),
        ("bottom", RECORD_RULE_THICK),
        ("right", 0),
        ("insideH", RECORD_RULE_THIN),
        ("insideV", 0),
    ):
        attrs = {"w:val": "single", "w:sz": size, "w:space": 0, "w:color": "000000"} if size else {"w:val": "nil"}
        borders.append(_el(f"w:{side}", **attrs))
    _tblpr_child(tbl_pr, "tblLayout").set(qn("w:type"), "fixed")
    margins = _tblpr_child(tbl_pr, "tblCellMar")
    for side in ("left", "right"):
        margins.append(_el(f"w:{side}", **{"w:w": 0, "w:type": "dxa"}))
    table.autofit = False
    widths = (TEXT_WIDTH - ISSUED_DATE_WIDTH, ISSUED_DATE_WIDTH)
    for column, column_width in zip(table.columns, widths, strict=True):
        column.width = column_width
        for cell in column.cells:
            cell.width = column_width
    style = document.styles["公文版记"]
    rows = list(table.rows)
    if copy_to:
        cell = rows.pop(0).cells[0].merge(table.cell(0, 1))
        paragraph = cell.paragraphs[0]
        paragraph.style = style
        paragraph.add_run(f"抄送：{copy_to}。")
        fmt = paragraph.paragraph_format  # one character in; a second line under the first recipient
        fmt.left_indent, fmt.first_line_indent, fmt.right_indent = 4 * SIZE_4, -3 * SIZE_4, SIZE_4
    organ_cell, date_cell = rows[0].cells
    for cell, text, align in ((organ_cell, organ, "left"), (date_cell, issued, "right")):
        paragraph = cell.paragraphs[0]
        paragraph.style = style
        paragraph.add_run(text)
        fmt = paragraph.paragraph_format
        if align == "left":
            fmt.left_indent = SIZE_4
        else:
            fmt.alignment, fmt.right_indent = WD_ALIGN_PARAGRAPH.RIGHT, SIZE_4
    anchor = document.add_paragraph()
    fmt = anchor.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(1)
    anchor.add_run().font.size = Pt(1)
    anchor_rpr = _ppr_child(anchor._p, "rPr")
    rpr_child(anchor_rpr, "sz").set(qn("w:val"), "2")  # the paragraph mark too: 1 pt
    return table


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def page_numbers(document: DocxDocument) -> None:
    """ "— 1 —" in 4号宋体, odd pages bottom right and even pages bottom left, one character in
    from the edge of the text block (GB/T 9704 7.5)."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles["公文页码"]
        paragraph.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = SIZE_4
        else:
            paragraph.paragraph_format.left_indent = SIZE_4
        paragraph.add_run("— ")
        _field(paragraph, "PAGE", "1")
        paragraph.add_run(" —")
