"""Staff evidence keeps its metadata (it is evidence), and the paper page shows it to the team.

Unlike files from the public (``intake``), nothing is removed here: the download is the upload,
byte for byte, and the camera, position and author are listed under each file.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from xuncha.common.actors import SYSTEM
from xuncha.fieldwork import services
from xuncha.fieldwork.tests.factories import on_site, pdf
from xuncha.files.tests import identifying


@pytest.fixture
def site(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    site = on_site(world)
    paper = services.paper_create(
        actor=SYSTEM, team=site["team"], target=site["target"], title="村道工程", facts="事实", basis="依据"
    )
    return {**site, "paper": paper}


def test_uploaded_evidence_keeps_its_metadata_and_the_page_lists_it(client, site):
    paper, member = site["paper"], site["users"]["member"]
    client.force_login(member)
    photo, document = identifying.photo(), identifying.docx()
    response = client.post(
        reverse("fieldwork:paper_evidence_add", args=[paper.pk]),
        {
            "uploads": [SimpleUploadedFile("现场照片.jpg", photo), SimpleUploadedFile("情况说明.docx", document)],
            "description": "现场照片及情况说明",
        },
    )
    assert response.status_code == 302 and paper.evidence.count() == 2
    for number, original in ((1, photo), (2, document)):
        download = client.get(reverse("fieldwork:paper_evidence_file", args=[paper.pk, number]))
        assert b"".join(download.streaming_content) == original

    with translation.override("zh-hans"):
        page = client.get(reverse("fieldwork:paper_detail", args=[paper.pk])).content.decode()
    assert page.count("data-file-properties") == 2 and "文件属性" in page
    for label, value in [
        ("拍摄设备", identifying.MODEL),
        ("设备序列号", identifying.SERIAL),
        ("拍摄时间", "2026-09-12 10:20:30"),
        ("拍摄位置（经纬度）", identifying.POSITION),
        ("作者", identifying.AUTHOR),
        ("最后修改者", identifying.EDITOR),
        ("单位", identifying.COMPANY),
    ]:
        assert label in page and value in page, label


def test_properties_cost_no_query_and_files_without_any_show_no_panel(client, site):
    paper, member = site["paper"], site["users"]["member"]
    services.paper_evidence_add(actor=SYSTEM, paper=paper, uploads=[pdf()], description="证据")
    client.force_login(member)
    url = reverse("fieldwork:paper_detail", args=[paper.pk])
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert "data-file-properties" not in page
    services.paper_evidence_add(
        actor=SYSTEM,
        paper=paper,
        uploads=[SimpleUploadedFile(f"照片{i}.jpg", identifying.photo()) for i in range(4)],
        description="现场照片",
    )
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count("data-file-properties") == 4
    assert len(many.captured_queries) == len(few.captured_queries)
