"""Paragraph helpers shared by the domains' template builders (see build_templates.py)."""

from __future__ import annotations

from docx.document import Document as DocxDocument


def para(doc: DocxDocument, text: str, style: str | None = None) -> None:
    doc.add_paragraph(text, style=style)


def sub(doc: DocxDocument, label: str, text: str) -> None:
    """A body paragraph led by a second-level heading "（一）…。" in 楷体 (GB/T 9704 7.3.3)."""
    paragraph = doc.add_paragraph()
    paragraph.add_run(label, style="公文二级标题")
    paragraph.add_run(text)


def header(doc: DocxDocument) -> None:
    """版头: secrecy top left, the organ's mark in red, the document number over the red rule."""
    para(doc, "{{ secrecy }}", "公文密级")
    para(doc, "{{ issuer }}", "公文发文机关标志")
    para(doc, "{{ doc_no }}", "公文发文字号")


def members(doc: DocxDocument) -> None:
    para(doc, "{%p for m in member_lines %}")
    para(doc, "{{ m.role }}：{{ m.names }}")
    para(doc, "{%p endfor %}")


def closing(doc: DocxDocument, signer: str = "{{ issuer }}") -> None:
    para(doc, signer, "公文发文机关署名")
    para(doc, "{{ date }}", "公文成文日期")
