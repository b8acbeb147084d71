"""A flood of submissions of the public report form from one address is refused with a clear page
(xuncha/intake/throttle.py); other addresses and the follow-up page are not affected."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from xuncha.intake.models import Report
from xuncha.intake.tests.test_attachment_scrub import _captcha


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.XUNCHA_REPORT_POSTS_PER_HOUR = 3
    cache.clear()
    yield
    cache.clear()


def test_a_flood_from_one_address_is_refused_with_a_chinese_page(client, window):
    url = reverse("intake_public:report_form", args=[window["announcement"].pk])
    for _ in range(3):  # every submission counts, filled in or not
        assert client.post(url, {"what": ""}, REMOTE_ADDR="198.51.100.7").status_code == 200
    refused = client.post(url, {"what": "村道工程指定亲属承包。", **_captcha()}, REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    assert "提交过于频繁" in refused.content.decode() and "请稍后再试" in refused.content.decode()
    assert not Report.objects.exists()
    assert client.get(url, REMOTE_ADDR="198.51.100.7").status_code == 200  # reading the form is not limited
    other = client.post(url, {"what": "村道工程指定亲属承包。", **_captcha()}, REMOTE_ADDR="198.51.100.8")
    assert other.status_code == 200 and "举报已提交" in other.content.decode()
    assert Report.objects.count() == 1


def test_an_ipv6_client_is_counted_by_its_block(client, window):
    url = reverse("intake_public:report_form", args=[window["announcement"].pk])
    for n in range(3):
        assert client.post(url, {"what": ""}, REMOTE_ADDR=f"2001:db8:1:2::{n + 1}").status_code == 200
    assert client.post(url, {"what": ""}, REMOTE_ADDR="2001:db8:1:2::99").status_code == 429
