"""Reading what a file says of its origin, and keeping it on the row when staff store evidence."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, PngImagePlugin
from PIL.ExifTags import GPS, IFD

from xuncha.accounts.permissions import Role
from xuncha.accounts.tests.factories import make_user
from xuncha.files import services
from xuncha.files.metadata import describe, read_properties
from xuncha.files.storage import open_stored
from xuncha.files.tests import identifying, samples


def test_a_phone_photo_names_camera_serial_time_and_position():
    assert read_properties(identifying.photo(), "jpg") == [
        ("camera", identifying.MODEL),  # the model already names the make: said once
        ("serial", identifying.SERIAL),
        ("taken", "2026-09-12 10:20:30"),
        ("gps", identifying.POSITION),
        ("software", "MARKER-SOFTWARE 1.0"),
        ("author", "MARKER-ARTIST"),
    ]


def test_southern_and_western_positions_are_negative():
    exif = Image.Exif()
    gps = exif.get_ifd(IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef], gps[GPS.GPSLatitude] = "S", (33.0, 51.0, 54.0)
    gps[GPS.GPSLongitudeRef], gps[GPS.GPSLongitude] = "W", (70.0, 30.0, 0.0)
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "JPEG", exif=exif)
    assert ("gps", "-33.865000, -70.500000") in read_properties(buffer.getvalue(), "jpg")


def test_png_text_chunks_are_read():
    assert ("author", "MARKER-ARTIST") in read_properties(identifying.png_with_text(), "png")
    buffer = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", identifying.PNG_AUTHOR)
    Image.new("RGB", (4, 4)).save(buffer, "PNG", pnginfo=info)
    assert read_properties(buffer.getvalue(), "png") == [("author", identifying.PNG_AUTHOR)]


def test_office_documents_name_author_editor_company_and_dates():
    for data, kind in ((identifying.docx(), "docx"), (identifying.xlsx(), "xlsx")):
        pairs = dict(read_properties(data, kind))
        assert pairs["author"] == identifying.AUTHOR
        assert pairs["last_modified_by"] == identifying.EDITOR
        assert pairs["company"] == identifying.COMPANY
        assert pairs["created"] and pairs["modified"]


def test_pdf_names_author_tools_and_dates():
    assert read_properties(identifying.pdf(), "pdf") == [
        ("author", identifying.AUTHOR),
        ("creator", "MARKER-CREATOR Word"),
        ("producer", "MARKER-PRODUCER PDF"),
        ("created", "2026-09-12 10:20:30+08:00"),
        ("modified", "2026-09-13 10:20:30+08:00"),
    ]


def test_labels_are_chinese_and_follow_the_language():
    with translation.override("zh-hans"):
        labels = dict(describe(identifying.photo(), "jpg"))
    assert labels["拍摄位置（经纬度）"] == identifying.POSITION and labels["设备序列号"] == identifying.SERIAL


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (samples.jpg(), "jpg"),
        (b"%PDF-1.7\n" + b"\x00" * 100, "pdf"),
        (samples.docx()[:100], "docx"),
        ("巡察记录".encode(), "txt"),
        (samples.doc(), "doc"),
    ],
    ids=["bad-jpg", "bad-pdf", "bad-docx", "txt", "doc"],
)
def test_unreadable_or_unsupported_files_have_nothing_to_show(data, kind):
    assert read_properties(data, kind) == []


def test_staff_evidence_keeps_its_bytes_and_its_properties_are_stored(world, media):
    staff = make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])
    photo = identifying.photo()
    stored = services.file_store(actor=staff, upload=SimpleUploadedFile("现场.jpg", photo))
    with open_stored(stored) as fh:
        assert fh.read() == photo  # evidence is never altered
    stored.refresh_from_db()
    assert ["gps", identifying.POSITION] in stored.properties
    with translation.override("zh-hans"):
        assert ("设备序列号", identifying.SERIAL) in stored.described


def test_a_file_with_no_properties_stores_an_empty_list(world, media):
    staff = make_user(world.a["dept"], Role.OFFICE_STAFF, scope=world.a["county"])
    stored = services.file_store(actor=staff, upload=SimpleUploadedFile("a.pdf", samples.pdf()))
    stored.refresh_from_db()
    assert stored.properties == [] and stored.described == []
