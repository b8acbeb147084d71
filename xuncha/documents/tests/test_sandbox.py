"""A Word template is untrusted code: it renders in a sandbox that reaches plain data only.

After ciso-assistant's test_docx_template_sandbox.py: the classic SSTI payloads must fail, and
a positive control shows the same payload succeeds without the sandbox (why it is needed).
"""

from __future__ import annotations

import io

import pytest
from docx import Document
from docxtpl import DocxTemplate
from jinja2.exceptions import SecurityError

from xuncha.accounts.models import OrgUnit
from xuncha.documents.rendering import qr_image, render_docx
from xuncha.documents.tests.docx_checks import body_text, open_docx

PAYLOADS = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ x.__globals__ }}",  # x is not even in the context
    "{{ cycler.__init__.__globals__.os }}",
    "{{ ''['__class__'] }}",
    "{{ ''|attr('__class__') }}",
    "{{ qr.tpl }}",  # the image helper holds the document object: opaque to templates
    "{{ unit.name }}",  # a model instance that slipped into a context is not walked
    "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
]


def _template(text: str) -> io.BytesIO:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return buffer


def _render(text: str, **context) -> bytes:
    return render_docx(_template(text), context)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_attempts_raise_security_error(payload):
    context = {"qr": qr_image("http://example.test/"), "unit": OrgUnit(name="青山镇")}
    with pytest.raises(SecurityError):
        _render(payload, **context)


def test_without_the_sandbox_the_payload_reaches_python_internals():
    """Positive control: docxtpl's default environment happily prints Python's class tree."""
    payload = "{{ ''.__class__.__mro__[1].__name__ }}"
    template = DocxTemplate(_template(payload))
    template.render({})
    assert "object" in "\n".join(p.text for p in template.docx.paragraphs)
    with pytest.raises(SecurityError):
        _render(payload)


def test_plain_data_renders_and_is_escaped_for_xml():
    text = "{{ team.name }}：{% for m in members %}{{ loop.index }}.{{ m }}{% endfor %} {{ unit }}"
    document = open_docx(_render(text, team={"name": "第一巡察组"}, members=["张三", "李四"], unit="A&B<公司>"))
    assert "第一巡察组：1.张三2.李四 A&B<公司>" in body_text(document)


def test_a_missing_field_prints_blank_when_rendering_but_fails_a_strict_check():
    from jinja2 import UndefinedError

    assert "前后" in body_text(open_docx(_render("前{{ missing }}后")))
    with pytest.raises(UndefinedError):
        render_docx(_template("前{{ missing }}后"), {}, strict=True)
