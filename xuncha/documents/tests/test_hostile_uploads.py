"""Issue 14, finding 6, at the document engine's two opening points: a replacement template (which
docxtpl renders in the sandbox) and a leaked file uploaded for tracing (which python-docx or
openpyxl read whole). Hostile files are refused in under 2 s and 200 MB, in Chinese, and leave
no template, stored file or byte on disk behind."""

from __future__ import annotations

import pytest

from xuncha.common.exceptions import ServiceError
from xuncha.documents import validation
from xuncha.documents.kinds import DocumentKind
from xuncha.documents.models import DocumentTemplate
from xuncha.documents.services import document_template_upload, trace_lookup
from xuncha.documents.tests.factories import upload
from xuncha.files.models import StoredFile
from xuncha.files.tests import hostile
from xuncha.files.tests.conftest import files_on_disk

CASES = [pytest.param(case, id=case.label) for case in hostile.REFUSED + hostile.WORD]


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_template_is_refused_fast_and_leaves_nothing(docs, media, case):
    data = case.build()
    with hostile.measured() as m, pytest.raises(ServiceError) as exc:
        document_template_upload(
            actor=docs.a["office"],
            kind=DocumentKind.TEAM_AUTHORISATION,
            jurisdiction=docs.a["county"],
            upload=upload(data, case.name),
        )
    message = " ".join(exc.value.messages)
    assert case.expect in message and case.name in message
    assert not DocumentTemplate.objects.exists() and not StoredFile.objects.exists() and files_on_disk(media) == []
    m.assert_within_budget(case.label)
    hostile.record("template upload (document_template_upload)", case.label, len(data), m, message)


def test_a_template_past_its_own_limit_is_refused_as_a_template(docs, media):
    data = hostile.docx_bomb(40)  # under the installation's 200 MB, over a template's 30 MB
    with pytest.raises(ServiceError) as exc:
        document_template_upload(
            actor=docs.a["office"],
            kind=DocumentKind.TEAM_AUTHORISATION,
            jurisdiction=docs.a["county"],
            upload=upload(data, "授权书.docx"),
        )
    assert "解压后超过 30 MB" in exc.value.messages[0]
    # check_template holds the line on its own too, whoever calls it.
    with pytest.raises(ServiceError) as exc:
        validation.check_template(DocumentKind.TEAM_AUTHORISATION, data)
    assert exc.value.code == "template_too_big"
    with pytest.raises(ServiceError) as exc:
        validation.check_template(DocumentKind.TEAM_AUTHORISATION, hostile.docx_billion_laughs(), name="授权书.docx")
    assert exc.value.code == "file_dtd" and "授权书.docx" in exc.value.messages[0]


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_leaked_file_is_refused_fast(docs, case):
    data = case.build()
    with hostile.measured() as m, pytest.raises(ServiceError) as exc:
        trace_lookup(actor=docs.a["office"], upload=upload(data, case.name))
    message = " ".join(exc.value.messages)
    assert case.expect in message and case.name in message
    m.assert_within_budget(case.label)
    hostile.record("leak tracing upload (trace_lookup)", case.label, len(data), m, message)
