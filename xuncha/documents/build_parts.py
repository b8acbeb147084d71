"""Paragraph helpers shared by the domains' template builders (see build_templates.py)."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from xuncha.documents import layout


def para(doc: DocxDocument, text: str, style: str | None = None) -> None:
    doc.add_paragraph(text, style=style)


def sub(doc: DocxDocument, label: str, text: str) -> None:
    """A body paragraph led by a second-level heading "（一）…。" in 楷体 (GB/T 9704 7.3.3)."""
    paragraph = doc.add_paragraph()
    paragraph.add_run(label, style="公文二级标题")
    paragraph.add_run(text)


def secrecy_block(doc: DocxDocument) -> None:
    """版心左上角: the copy number (份号, 7.2.1) on the first line when the document is classified,
    the secrecy mark (7.2.2) on the second. The number is a placeholder in the template: each
    download gets its own (``trace_files.stamp``). Both lines are there even when empty, so the
    organ's mark below keeps its place (layout.ORGAN_TOP)."""
    classified = ", ".join(f'"{level}"' for level in layout.CLASSIFIED)
    para(doc, f"{{% if secrecy[:2] in ({classified}) %}}{layout.COPY_NO_PLACEHOLDER}{{% endif %}}", "公文份号")
    para(doc, "{{ secrecy }}", "公文密级")


def header(doc: DocxDocument) -> None:
    """版头: copy number and secrecy top left, the organ's mark in red, the document number over
    the red rule."""
    secrecy_block(doc)
    para(doc, "{{ issuer }}", "公文发文机关标志")
    para(doc, "{{ doc_no }}", "公文发文字号")


def note(doc: DocxDocument, text: str) -> None:
    """附注 (7.3.6), the line under the date: "（…）"."""
    para(doc, f"（{text}）", "公文附注")


def attachment_note(doc: DocxDocument, text: str) -> None:
    """附件说明 (7.3.4): "附件：name" a line under the body (no punctuation after the name)."""
    para(doc, f"附件：{text}", "公文附件说明")


def attachment_start(doc: DocxDocument, title: str, label: str = "附件") -> None:
    """附件 (7.3.7): on a new page, "附件" top left in 3号黑体, its title centred on the third line."""
    para(doc, label, "公文附件标识")
    para(doc, title, "公文标题")


def members(doc: DocxDocument) -> None:
    para(doc, "{%p for m in member_lines %}")
    para(doc, "{{ m.role }}：{{ m.names }}")
    para(doc, "{%p endfor %}")


def closing(doc: DocxDocument, signer: str = "{{ issuer }}") -> None:
    para(doc, signer, "公文发文机关署名")
    para(doc, "{{ date }}", "公文成文日期")
