"""GB/T 9704-2012 page and type, as python-docx calls (used by build_templates.py).

Everything here is layout; what the documents say is in each domain's template builders. Sizes
follow the standard (domain.md §6): A4, text block 156 × 225 mm, 22 lines of 28 characters;
3号 = 16 pt, 2号 = 22 pt, 4号 = 14 pt. Fonts are named as the standard names them; a machine
without them substitutes (the font table suggests the common Windows equivalents, see
FONT_FALLBACKS).
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
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
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(int(LINE.pt * 20)))


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


# The order of pPr's children in the OOXML schema; Word refuses a file that breaks it.
# fmt: off
_PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
    "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
    "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
)
# fmt: on


def _ppr_child(owner, tag: str):
    """``owner``'s pPr child ``w:tag``, created in its schema place if missing."""
    p_pr = owner.get_or_add_pPr()
    child = p_pr.find(qn(f"w:{tag}"))
    if child is None:
        child = OxmlElement(f"w:{tag}")
        later = _PPR_ORDER[_PPR_ORDER.index(tag) + 1 :]
        p_pr.insert_element_before(child, *(f"w:{name}" for name in later))
    return child


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
    document grid, or LibreOffice and WPS give each of them two grid lines."""
    _ppr_child(style.element, "snapToGrid").set(qn("w:val"), "0")


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

    secrecy = _paragraph_style(document, "GWSecrecy", "公文密级", line=LINE)
    set_font(secrecy, HEITI, SIZE_3)
    # The organ's mark begins 35 mm below the top of the text block; the line above takes one LINE.
    organ = _paragraph_style(
        document, "GWOrgan", "公文发文机关标志", align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(40), before=Mm(35) - LINE
    )
    # 24 pt keeps "中共××县委巡察工作领导小组办公室" (17 characters) on one line of the text block.
    set_font(organ, XIAOBIAOSONG, Pt(24), color=RED)
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
    _paragraph_style(document, "GWAddressee", "公文主送机关", line=LINE)
    heading = _paragraph_style(document, "GWHeading1", "公文一级标题", indent=2 * CHAR, line=LINE)
    set_font(heading, HEITI, SIZE_3)
    heading.paragraph_format.keep_with_next = True  # never the last line of a page
    _paragraph_style(
        document,
        "GWSignature",
        "公文发文机关署名",
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        line=LINE,
        before=2 * LINE,
        right=2 * CHAR,
    )
    _paragraph_style(document, "GWDate", "公文成文日期", align=WD_ALIGN_PARAGRAPH.RIGHT, line=LINE, right=4 * CHAR)
    # Pictures (the QR code): an exact line height would crop them to one line of text.
    center = _paragraph_style(document, "GWCenter", "公文居中", align=WD_ALIGN_PARAGRAPH.CENTER)
    center.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _off_grid(center)
    record = _paragraph_style(document, "GWRecord", "公文版记", line=LINE)
    set_font(record, FANGSONG, SIZE_4, latin=LATIN)
    # The rules span the whole text block, so the "one character in" of the text is a leading
    # full-width space and a right tab one character short of the edge, not a paragraph indent.
    record.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH - SIZE_4, WD_TAB_ALIGNMENT.RIGHT)
    page_no = _paragraph_style(document, "GWPageNo", "公文页码")
    page_no.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    set_font(page_no, SONGTI, SIZE_4)

    kai = document.styles.add_style("GWKai", WD_STYLE_TYPE.CHARACTER)
    kai.name = "公文二级标题"
    _east_asian(kai.element, KAITI, LATIN)


def record_block(paragraphs: list[Paragraph]) -> None:
    """版记 rules (GB/T 9704 7.4): thick (0.35 mm) above the first line and below the last, thin
    (0.25 mm) between. The block follows the date rather than being pinned to the foot of the
    page: a bottom-anchored frame (framePr) loses its rules and position in LibreOffice/WPS."""
    for index, paragraph in enumerate(paragraphs):
        if index == 0:
            paragraph.paragraph_format.space_before = LINE  # clear of the date above
            _border(paragraph._p, "top", "000000", 8, 1)
        last = index == len(paragraphs) - 1
        _border(paragraph._p, "bottom", "000000", 8 if last else 4, 1)


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
