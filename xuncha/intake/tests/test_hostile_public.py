"""Issue 14, finding 6, on the one upload anyone can reach: the public report form. Files from the
public are decoded and rewritten (files.scrub), so a pixel or ZIP bomb here cost 8 s and 860 MB;
now each hostile file is refused in under 2 s and 200 MB, the page says why in Chinese, and no
report and no byte is kept."""

from __future__ import annotations

import html
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xuncha.files.tests import hostile
from xuncha.intake.models import Report
from xuncha.intake.tests.test_attachment_scrub import _captcha


@pytest.fixture(autouse=True)
def _own_rate_limit():
    """The public form allows 20 posts an hour per address: these must not use up other tests' share."""
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("case", [pytest.param(c, id=c.label) for c in hostile.REFUSED])
def test_a_hostile_file_from_the_public_is_refused_fast(client, window, case):
    data = case.build()
    url = reverse("intake_public:report_form", args=[window["announcement"].pk])
    assert client.get(url).status_code == 200  # the first request of a process imports every view
    form = {"what": "村道工程指定亲属承包。", **_captcha(), "uploads": [SimpleUploadedFile(case.name, data)]}
    with hostile.measured() as m:
        response = client.post(url, form)
    assert response.status_code == 200
    page = response.content.decode()
    assert case.expect in page and case.name in page and "举报已提交" not in page
    assert not Report.objects.exists()
    assert not [p for p in window["media"].rglob("*") if p.is_file()]
    m.assert_within_budget(case.label)
    shown = re.search(f"文件“{re.escape(case.name)}”[^<]*", html.unescape(page))
    assert shown, page
    hostile.record("public report form (intake_public:report_form)", case.label, len(data), m, shown.group(0).strip())
