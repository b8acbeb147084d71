"""Issue 14, finding 6, end to end on the page where a team member adds evidence to a working
paper: every hostile file is refused in under 2 s and 200 MB with a message in Chinese, and the
paper gains no evidence and the store no file; a path in a file name is dropped."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xuncha.common.actors import SYSTEM
from xuncha.fieldwork import services
from xuncha.fieldwork.tests.factories import on_site
from xuncha.files.models import StoredFile
from xuncha.files.tests import hostile
from xuncha.files.tests.conftest import files_on_disk

PATH = "working-paper evidence page (EvidenceForm → paper_evidence_add)"


@pytest.fixture
def site(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    site = on_site(world)
    paper = services.paper_create(
        actor=SYSTEM, team=site["team"], target=site["target"], title="村道工程", facts="事实", basis="依据"
    )
    client_url = reverse("fieldwork:paper_evidence_add", args=[paper.pk])
    return {**site, "paper": paper, "url": client_url, "media": tmp_path / "files"}


def _warm(client, site) -> None:
    """The first request of a process imports every view: not what is measured."""
    client.force_login(site["users"]["member"])
    assert client.get(site["paper"].get_absolute_url()).status_code == 200


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.parametrize("case", [pytest.param(c, id=c.label) for c in hostile.REFUSED])
def test_hostile_evidence_is_refused_fast_and_nothing_is_kept(client, site, case):
    data = case.build()
    _warm(client, site)
    with hostile.measured() as m:
        response = client.post(
            site["url"], {"uploads": [SimpleUploadedFile(case.name, data)], "description": "现场材料"}
        )
    assert response.status_code == 302
    message = _messages(response)
    assert case.expect in message and case.name in message
    assert not site["paper"].evidence.exists() and not StoredFile.objects.exists()
    assert files_on_disk(site["media"]) == []
    m.assert_within_budget(case.label)
    hostile.record(PATH, case.label, len(data), m, message)


def _multipart(filename: str, data: bytes) -> tuple[bytes, str]:
    """A form post whose file name is sent as a hostile client writes it (the test client would
    send only the last part)."""
    boundary = "----xuncha-hostile"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\n现场材料\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="uploads"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(("sent", "kept", "build"), hostile.PATH_NAMES, ids=[p[0] for p in hostile.PATH_NAMES])
def test_a_path_in_the_file_name_is_dropped(client, site, sent, kept, build):
    data = build()
    body, content_type = _multipart(sent, data)
    _warm(client, site)
    with hostile.measured() as m:
        response = client.post(site["url"], body, content_type=content_type)
    assert response.status_code == 302, _messages(response)
    (stored,) = [e.file for e in site["paper"].evidence.select_related("file")]
    assert stored.original_name == kept
    assert files_on_disk(site["media"]) == [site["media"] / stored.storage_name]
    m.assert_within_budget(sent)
    outcome = f"stored: original name “{kept}”, bytes at files/{stored.storage_name[:6]}… (generated)"
    hostile.record(PATH, f"name {sent}", len(data), m, outcome)
