"""The public side: filing, the receipt shown once, follow-up by code, and what is stored."""

from datetime import timedelta

import pytest
from captcha.models import CaptchaStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from xuncha.common.actors import SYSTEM
from xuncha.fieldwork.tests.factories import PDF
from xuncha.files.tests import samples
from xuncha.intake import services
from xuncha.intake.models import Report, ReportAttachment, ReportMessage
from xuncha.plans import services as plans

SECRET_TEXT = "镇长王某某挪用扶贫资金三十万元MARKER-TEXT"
SECRET_NAME = "举报人张MARKER-NAME"
SECRET_BYTES = b"MARKER-BYTES-IN-THE-EVIDENCE"


def _captcha() -> dict:
    key = CaptchaStore.generate_key()
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def _post(client, window, **extra):
    data = {"what": SECRET_TEXT, "people": "王某某", **_captcha(), **extra}
    return client.post(reverse("intake_public:report_form", args=[window["announcement"].pk]), data)


def test_public_pages_need_no_login(client, window):
    page = client.get(reverse("intake_public:window_list")).content.decode()
    assert window["target"].unit.name in page
    assert client.get(reverse("intake_public:report_form", args=[window["announcement"].pk])).status_code == 200


def test_anonymous_report_shows_the_code_once(client, window):
    response = _post(client, window)
    html = response.content.decode()
    assert response.status_code == 200 and "举报已提交" in html
    code = "".join(ch for ch in html.split("data-receipt>")[1].split("</p>")[0] if ch.isdigit())
    assert len(code) == 16
    report = Report.objects.get()
    assert report.anonymous and report.contact is None
    assert code not in str(report.receipt_hash) and services.report_by_code(code) == report


def test_nothing_readable_in_the_database_or_on_disk(client, window):
    # In the page's text: what a PDF holds survives the cleaning of reporters' files (files.scrub).
    pdf = SimpleUploadedFile("证据.pdf", samples.pdf(text=SECRET_BYTES), content_type="application/pdf")
    response = _post(client, window, named="on", name=SECRET_NAME, phone="13900000000", uploads=pdf)
    assert response.status_code == 200 and "举报已提交" in response.content.decode()
    report = Report.objects.get()
    services.message_add(report=report, side=ReportMessage.Side.TEAM, text="请补充MARKER-MSG细节", actor=SYSTEM)
    with connection.cursor() as cursor:
        tables = list(connection.introspection.table_names(cursor))
        dump = b""
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview | bytes | bytearray):
                        dump += bytes(value)
                    elif value is not None:
                        dump += str(value).encode("utf-8", "replace")
    for marker in ("MARKER-TEXT", "MARKER-NAME", "13900000000", "MARKER-MSG"):
        assert marker.encode() not in dump, marker
    assert SECRET_BYTES not in dump
    stored = [p.read_bytes() for p in window["media"].rglob("*") if p.is_file()]
    assert stored and all(SECRET_BYTES not in data and b"%PDF" not in data for data in stored)
    # ...while the team reads it all back.
    assert services.open_json(report, "content")["what"] == SECRET_TEXT
    assert services.open_json(report, "contact")["name"] == SECRET_NAME
    name, data = services.attachment_open(ReportAttachment.objects.get())
    assert name == "附件1.pdf" and SECRET_BYTES in data  # the sender's file name is not kept


def test_wrong_captcha_stores_nothing(client, window):
    data = {"what": "内容", "captcha_0": CaptchaStore.generate_key(), "captcha_1": "XXXX"}
    response = client.post(reverse("intake_public:report_form", args=[window["announcement"].pk]), data)
    assert "验证码不正确" in response.content.decode()
    assert not Report.objects.exists()


def test_closed_window_accepts_nothing(client, window):
    ann = window["announcement"]
    yesterday = timezone.localdate() - timedelta(days=1)
    plans.announcement_save(
        actor=SYSTEM,
        target=window["target"],
        phone=ann.phone,
        opens_on=yesterday - timedelta(days=5),
        closes_on=yesterday,
        published_on=yesterday - timedelta(days=5),
    )
    assert client.get(reverse("intake_public:report_form", args=[ann.pk])).status_code == 404
    assert window["target"].unit.name not in client.get(reverse("intake_public:window_list")).content.decode()
    with pytest.raises(Exception, match="受理期已结束"):
        services.report_file(announcement=ann, content={"what": "x"})
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("uploads", "message"),
    [
        ([SimpleUploadedFile("照片.jpg", b"MZ\x90\x00" + b"\x00" * 300)], "不是允许的格式"),
        ([SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(11)], "最多"),
        ([SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(50)], "最多"),
        ([SimpleUploadedFile("证据.pdf", bytes(range(256)) * 40)], "不是允许的格式"),
    ],
)
def test_bad_files_store_nothing(client, window, uploads, message):
    response = _post(client, window, uploads=uploads)
    assert message in response.content.decode()
    assert not Report.objects.exists() and not [p for p in window["media"].rglob("*") if p.is_file()]


@pytest.mark.parametrize("what", ["", "x" * 10_001, "举" * 1_000_000, "正文\x00\x01\xff\ufffe垃圾"])
def test_empty_or_huge_text_refused(client, window, what):
    response = _post(client, window, what=what)
    page = response.content.decode()
    # Over the request size limit (megabytes) Django refuses before the form: a 400 page that says why.
    assert response.status_code in (200, 400) and "举报已提交" not in page
    assert response.status_code == 200 or ("内容过大" in page and "返回举报受理页" in page)
    assert not Report.objects.exists()


def test_script_in_fields_is_inert_for_staff(client, window):
    from xuncha.accounts.permissions import Role
    from xuncha.accounts.tests.factories import make_user

    _post(client, window, what="<script>alert(1)</script>", people="<img src=x onerror=alert(1)>")
    staff = make_user(window["world"].a["dept"], Role.OFFICE_STAFF, scope=window["world"].a["county"])
    client.force_login(staff)
    html = client.get(Report.objects.get().get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html


def test_follow_up_and_two_way_messages(client, window):
    html = _post(client, window).content.decode()
    code = "".join(ch for ch in html.split("data-receipt>")[1].split("</p>")[0] if ch.isdigit())
    report = Report.objects.get()
    services.message_add(report=report, side=ReportMessage.Side.TEAM, text="请说明资金发放的时间。", actor=SYSTEM)
    response = client.post(reverse("intake_public:follow_up"), {"code": f"{code[:4]}-{code[4:8]} {code[8:]}"})
    assert response.status_code == 302
    page = client.get(reverse("intake_public:follow_up_view")).content.decode()
    assert "请说明资金发放的时间。" in page and report.intake_no in page
    client.post(reverse("intake_public:follow_up_view"), {"text": "2025年3月发放。"})
    assert [services.message_text(m) for m in report.messages.all()][-1] == "2025年3月发放。"


def test_wrong_codes_are_throttled_without_an_oracle(client, window, settings):
    # One client's wrong codes switch the captcha on, then that client alone is refused; the
    # installation-wide count is only a signal (issue 13, finding 5; see test_receipt_throttle.py).
    settings.XUNCHA_RECEIPT_THROTTLE = {**settings.XUNCHA_RECEIPT_THROTTLE, "captcha_after": 3, "per_client": 3}
    from django.core.cache import cache

    cache.clear()
    html = _post(client, window).content.decode()
    code = "".join(ch for ch in html.split("data-receipt>")[1].split("</p>")[0] if ch.isdigit())
    url = reverse("intake_public:follow_up")
    for bad in ("1234567890123456", "abc", "0000000000000000"):
        page = client.post(url, {"code": bad}).content.decode()
        assert "受理码不正确" in page  # the same sentence whether malformed or unknown
    blocked = client.post(url, {"code": code, **_captcha()})
    assert blocked.status_code == 429 and "尝试次数过多" in blocked.content.decode()  # even the right code
    other = client.post(url, {"code": code}, REMOTE_ADDR="192.0.2.99")
    assert other.status_code == 302  # ...for this client only
    cache.clear()
    assert client.post(url, {"code": code}).status_code == 302


def test_follow_up_view_needs_a_code(client, window):
    assert client.get(reverse("intake_public:follow_up_view")).status_code == 302


def test_the_captcha_image_is_public(client, db):
    key = CaptchaStore.generate_key()
    response = client.get(reverse("captcha-image", args=[key]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_the_announcement_qr_code_leads_to_this_window(window, settings):
    from xuncha.plans.documents.contexts import announcement_context

    settings.XUNCHA_PUBLIC_BASE_URL = "https://jubao.example.gov.cn"
    ann = window["announcement"]
    url = announcement_context(ann, today=timezone.localdate())["report_url"]
    assert url == f"https://jubao.example.gov.cn/report/{ann.pk}/"


def test_a_replayed_form_files_nothing_twice(client, window):
    data = {"what": SECRET_TEXT, **_captcha()}
    url = reverse("intake_public:report_form", args=[window["announcement"].pk])
    assert "举报已提交" in client.post(url, data).content.decode()
    again = client.post(url, data).content.decode()
    assert "验证码不正确" in again and Report.objects.count() == 1
