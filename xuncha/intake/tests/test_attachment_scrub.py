"""Issue 13, finding 3: files from the public reached the team byte for byte, with the sender's
photo position, camera serial and document author in them.

Real files go in through the real public form (and the staff register for letters), and come
out through the real download view, as the team and the office read them.
"""

import io
import zipfile
from urllib.parse import unquote

import openpyxl
import pytest
from captcha.models import CaptchaStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document
from PIL import Image, ImageChops, ImageOps, ImageStat
from pypdf import PdfReader

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.files.metadata import read_properties
from xuncha.files.tests import identifying, samples
from xuncha.intake.models import Report

# Passes the type check (a zip with Word's parts) but its core properties are not XML.
BAD_CORE_DOCX = samples.zip_of(
    {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>", "docProps/core.xml": b"<cp:core"}
)
FILES = {
    "现场照片.jpg": identifying.photo,
    "截图.png": identifying.png_with_text,
    "情况说明.docx": identifying.docx,
    "工程款.xlsx": identifying.xlsx,
    "合同.pdf": identifying.pdf,
}


def _captcha() -> dict:
    key = CaptchaStore.generate_key()
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def _file_publicly(client, window, uploads):
    url = reverse("intake_public:report_form", args=[window["announcement"].pk])
    return client.post(url, {"what": "村道工程指定亲属承包。", **_captcha(), "uploads": uploads})


def _downloads(client, user, report) -> dict[str, bytes]:
    client.force_login(user)
    out = {}
    for attachment in report.attachments.order_by("pk"):
        response = client.get(reverse("intake:attachment_download", args=[report.pk, attachment.pk]))
        assert response.status_code == 200
        out[unquote(response["Content-Disposition"].split("''", 1)[1])] = response.content
        assert attachment.size == len(response.content)  # the recorded size is that of what is stored
    return out


@pytest.fixture
def office_head(window):
    world = window["world"]
    return make_user(world.a["dept"], Role.OFFICE_HEAD, scope=world.a["county"])


@pytest.fixture
def filed(client, window):
    uploads = [SimpleUploadedFile(name, build()) for name, build in FILES.items()]
    response = _file_publicly(client, window, uploads)
    assert response.status_code == 200 and "举报已提交" in response.content.decode()
    client.logout()
    return Report.objects.get()


def _mean_difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean) / 3


def test_the_form_tells_reporters_what_is_removed(client, window):
    page = client.get(reverse("intake_public:report_form", args=[window["announcement"].pk])).content.decode()
    assert "上传的照片和文档会自动去除拍摄位置、设备信息和作者等属性。" in page


@pytest.mark.parametrize("reader", ["member", "office_head"])
def test_files_from_the_public_reach_the_team_without_their_senders_traces(client, window, filed, office_head, reader):
    user = office_head if reader == "office_head" else window["users"][reader]
    files = _downloads(client, user, filed)
    # The names go too: a phone names a photo after the moment it was taken (IMG_20260912_1020…).
    assert list(files) == [f"附件{i}.{n.rsplit('.', 1)[1]}" for i, n in enumerate(FILES, start=1)]
    files = dict(zip(FILES, files.values(), strict=True))
    for name, data in files.items():
        assert b"MARKER" not in data, name
        assert data != FILES[name](), name
    assert not any(read_properties(files[n], n.rsplit(".", 1)[1]) for n in FILES)

    # The photo: no EXIF at all (GPS, make, model, serial), no thumbnail; upright, same picture.
    with Image.open(io.BytesIO(files["现场照片.jpg"])) as photo:
        assert not photo.getexif() and "xmp" not in photo.info and "photoshop" not in photo.info
        with Image.open(io.BytesIO(identifying.photo())) as before:
            upright = ImageOps.exif_transpose(before)
        assert photo.size == upright.size == (48, 64)
        assert _mean_difference(photo, upright) < 4
    assert identifying.THUMB_MARKER not in files["现场照片.jpg"]
    assert files["现场照片.jpg"].count(b"\xff\xd8\xff") == 1
    with Image.open(io.BytesIO(files["截图.png"])) as png:
        assert not png.getexif() and not {"Author", "Software", "Comment"} & set(png.info)

    # Word and Excel still open, with their text, and name nobody.
    document = Document(io.BytesIO(files["情况说明.docx"]))
    assert document.paragraphs[0].text == identifying.BODY_TEXT
    assert (document.core_properties.author, document.core_properties.last_modified_by) == ("", "")
    assert [c.author for c in document.comments] == [""]
    with zipfile.ZipFile(io.BytesIO(files["情况说明.docx"])) as archive:
        assert b"<Company>" not in archive.read("docProps/app.xml")
    workbook = openpyxl.load_workbook(io.BytesIO(files["工程款.xlsx"]))
    assert workbook.active["A2"].value == "村道工程" and workbook.active["B2"].value == 300000
    assert workbook.properties.lastModifiedBy is None and workbook.active["B2"].comment.text == "金额待核"

    # The PDF: no document information, no XMP, the page is still there.
    pdf = PdfReader(io.BytesIO(files["合同.pdf"]))
    assert pdf.metadata is None and pdf.xmp_metadata is None and len(pdf.pages) == 1


def test_a_letter_registered_by_staff_is_cleaned_too(client, window):
    member = window["users"]["member"]
    client.force_login(member)
    response = client.post(
        reverse("intake:report_register"),
        {
            "announcement": window["announcement"].pk,
            "channel": "letter",
            "received_on": timezone.localdate().isoformat(),
            "what": "来信反映村道工程问题。",
            "uploads": [SimpleUploadedFile("现场照片.jpg", identifying.photo())],
        },
    )
    assert response.status_code == 302
    report = Report.objects.get()
    [data] = _downloads(client, member, report).values()
    assert b"MARKER" not in data and read_properties(data, "jpg") == []


@pytest.mark.parametrize(
    ("uploads", "message"),
    [
        ([("照片.jpg", samples.jpg())], "无法按JPG 图片打开"),
        ([("说明.docx", BAD_CORE_DOCX)], "无法按Word 文档打开"),
        # The first file is fine and is written before the second is refused: it must go too.
        ([("现场照片.jpg", identifying.photo()), ("合同.pdf", b"%PDF-1.7\n" + b"1" * 300)], "无法按PDF 文档打开"),
    ],
    ids=["broken-jpg", "bad-core-docx", "good-then-broken"],
)
def test_a_file_that_cannot_be_cleaned_is_refused_with_a_reason_and_nothing_is_kept(client, window, uploads, message):
    response = _file_publicly(client, window, [SimpleUploadedFile(name, data) for name, data in uploads])
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and uploads[-1][0] in page and "请重新保存或导出后上传" in page
    assert not Report.objects.exists()
    assert not [p for p in window["media"].rglob("*") if p.is_file()]
