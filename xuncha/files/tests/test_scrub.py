"""Cleaning files from the public: real files with real metadata, taken apart after cleaning.

No database. Each kind is checked three ways: the identifying values are gone from the bytes
(every one of them contains ``MARKER``), the standard readers find no metadata, and the content
(pixels, text, cells, pages) is still there.
"""

import io
import struct
import zipfile
import zlib

import openpyxl
import pytest
from docx import Document
from PIL import Image, ImageChops, ImageCms, ImageOps, ImageStat
from pypdf import PdfReader, PdfWriter

from xuncha.files.metadata import read_properties
from xuncha.files.scrub import Reason, ScrubError, scrub
from xuncha.files.sniff import sniff
from xuncha.files.tests import identifying, samples


def _mean_difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean) / 3


def _jpeg_segments(data: bytes) -> list[int]:
    """The markers of a JPEG's header segments, up to the start of the scan."""
    markers, at = [], 2
    while at < len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        markers.append(marker)
        if marker == 0xDA:
            break
        at += 2 + struct.unpack(">H", data[at + 2 : at + 4])[0]
    return markers


# --- photos -----------------------------------------------------------------------------------


def test_a_phone_photo_loses_position_device_thumbnail_and_every_metadata_block():
    original = identifying.photo()
    assert read_properties(original, "jpg")  # the sample really carries what we remove
    cleaned = scrub(original, "jpg")
    assert b"MARKER" not in cleaned and identifying.THUMB_MARKER not in cleaned
    assert cleaned.count(b"\xff\xd8\xff") == 1  # no second (thumbnail) image inside
    # Left: only the JFIF header, tables, frame and scan. No APP1 (EXIF/XMP), APP13 (IPTC), COM.
    assert not {0xE1, 0xED, 0xFE} & set(_jpeg_segments(cleaned))
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == "JPEG" and not image.getexif()
        assert not {"exif", "xmp", "photoshop", "comment", "icc_profile"} & set(image.info)
    assert read_properties(cleaned, "jpg") == []


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_the_photo_still_stands_the_right_way_up(orientation):
    original = identifying.photo(orientation)
    with Image.open(io.BytesIO(original)) as image:
        upright = ImageOps.exif_transpose(image)
    with Image.open(io.BytesIO(scrub(original, "jpg"))) as cleaned:
        assert cleaned.size == upright.size
        assert cleaned.getexif().get(0x0112) is None  # applied, so no tag to apply twice
        assert _mean_difference(cleaned, upright) < 4  # quality 92: close to the original


def test_jpeg_quality_stays_high():
    image = Image.radial_gradient("L").resize((400, 300)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=98)
    with Image.open(io.BytesIO(scrub(buffer.getvalue(), "jpg"))) as cleaned:
        assert _mean_difference(cleaned, image) < 1.5


def test_a_colour_profile_is_applied_then_left_out():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    identifying.halves().save(buffer, "JPEG", quality=95, icc_profile=profile)
    with Image.open(io.BytesIO(scrub(buffer.getvalue(), "jpg"))) as cleaned:
        assert "icc_profile" not in cleaned.info
        assert _mean_difference(cleaned, identifying.halves()) < 4


def test_png_text_chunks_and_exif_go_and_pixels_stay_exactly():
    original = identifying.png_with_text()
    cleaned = scrub(original, "png")
    assert b"MARKER" not in cleaned
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf"):
        assert chunk in original or chunk == b"zTXt"
        assert chunk not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image, Image.open(io.BytesIO(original)) as before:
        assert image.mode == before.mode and image.size == before.size
        assert ImageChops.difference(image.convert("RGB"), before.convert("RGB")).getbbox() is None


def test_a_palette_png_keeps_its_palette_and_transparency():
    image = Image.new("P", (8, 8), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", transparency=0)
    with Image.open(io.BytesIO(scrub(buffer.getvalue(), "png"))) as cleaned:
        assert cleaned.mode == "P" and cleaned.info.get("transparency") == 0


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("side", [11_000, 20_000], ids=["over-our-limit", "over-pillows-limit"])
def test_an_image_too_large_to_decode_is_refused_unread(side):
    with pytest.raises(ScrubError) as exc:
        scrub(_png_header_only(side, side), "png")
    assert exc.value.reason == Reason.TOO_LARGE


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (samples.jpg(), "jpg"),  # a JPEG signature with nothing behind it
        (identifying.photo()[:300], "jpg"),  # cut off in the header
        (samples.png()[:40], "png"),
        (b"%PDF-1.7\n" + b"\x00" * 200, "pdf"),
    ],
    ids=["jpg-empty", "jpg-truncated", "png-truncated", "pdf-garbage"],
)
def test_a_file_that_cannot_be_read_is_refused_not_passed_through(data, kind):
    with pytest.raises(ScrubError) as exc:
        scrub(data, kind)
    assert exc.value.reason == Reason.DAMAGED


@pytest.mark.parametrize(
    "data",
    [samples.doc(), samples.xls(), samples.ofd(), "整改台账".encode(), b"plain"],
    ids=["doc", "xls", "ofd", "txt-utf8", "txt-ascii"],
)
def test_other_kinds_pass_unchanged(data):
    kind = sniff(io.BytesIO(data)).kind
    assert scrub(data, kind) == data


# --- Word -------------------------------------------------------------------------------------


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_word_loses_author_editor_company_custom_comment_and_revision_authors():
    original = identifying.docx()
    cleaned = scrub(original, "docx")
    assert sniff(io.BytesIO(cleaned)).kind == "docx"
    parts = _parts(cleaned)
    for name, data in parts.items():
        assert b"MARKER" not in data, name
    assert "docProps/custom.xml" not in parts
    assert b"custom-properties" not in parts["_rels/.rels"] and b"custom.xml" not in parts["[Content_Types].xml"]
    assert parts["word/_rels/settings.xml.rels"].count(b'Target="Normal.dotm"') == 1
    assert b'w:author=""' in parts["word/document.xml"] and b'w:author=""' in parts["word/comments.xml"]
    with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert read_properties(cleaned, "docx") == []


def test_word_still_opens_with_its_text_title_and_comment():
    document = Document(io.BytesIO(scrub(identifying.docx(), "docx")))
    assert document.paragraphs[0].text == identifying.BODY_TEXT
    assert "插入的内容" in document.element.body.xml  # the tracked insertion is kept, unnamed
    props = document.core_properties
    assert (props.author, props.last_modified_by, props.comments, props.revision) == ("", "", "", 0)
    assert props.created is None and props.modified is None
    assert props.title == "关于村道工程的反映"  # content, not sender
    [comment] = document.comments
    assert (comment.author, comment.initials, comment.text) == ("", "", "请核实")


def test_word_parts_with_nothing_to_clean_keep_their_bytes():
    original, cleaned = _parts(identifying.docx()), _parts(scrub(identifying.docx(), "docx"))
    for name in ("word/styles.xml", "word/settings.xml", "word/numbering.xml", "word/theme/theme1.xml"):
        assert cleaned[name] == original[name], name


def test_a_photo_inside_a_document_is_cleaned_with_its_orientation_kept():
    document = Document()
    document.add_picture(io.BytesIO(identifying.photo(orientation=6, iptc=False)))
    buffer = io.BytesIO()
    document.save(buffer)
    cleaned = _parts(scrub(buffer.getvalue(), "docx"))
    [image_part] = [data for name, data in cleaned.items() if name.startswith("word/media/")]
    assert b"MARKER" not in image_part and identifying.THUMB_MARKER not in image_part
    with Image.open(io.BytesIO(image_part)) as image:
        # The layout was made for the picture as displayed: the pixels stay as stored, tag and all.
        assert image.size == identifying.SIZE and dict(image.getexif()) == {0x0112: 6}


# --- Excel, PowerPoint ------------------------------------------------------------------------


def test_excel_loses_creator_editor_company_comment_author_and_saved_at_path():
    cleaned = scrub(identifying.xlsx(), "xlsx")
    for name, data in _parts(cleaned).items():
        assert b"MARKER" not in data, name
    assert b"absPath" not in _parts(cleaned)["xl/workbook.xml"]
    workbook = openpyxl.load_workbook(io.BytesIO(cleaned))
    sheet = workbook.active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [["项目", "金额"], ["村道工程", 300000]]
    assert sheet["B2"].comment.text == "金额待核" and identifying.COMMENTER not in str(sheet["B2"].comment.author)
    assert identifying.AUTHOR not in str(workbook.properties.creator)
    assert workbook.properties.lastModifiedBy is None
    assert read_properties(cleaned, "xlsx") == []


def test_powerpoint_comment_authors_are_blanked():
    p = "http://schemas.openxmlformats.org/presentationml/2006/main"
    pptx = samples.zip_of(
        {
            "[Content_Types].xml": b"<Types/>",
            "ppt/presentation.xml": b"<p:presentation/>",
            "ppt/commentAuthors.xml": f'<p:cmAuthorLst xmlns:p="{p}"><p:cmAuthor id="1" '
            f'name="{identifying.COMMENTER}" initials="WW" lastIdx="1" clrIdx="0"/></p:cmAuthorLst>'.encode(),
            "ppt/authors.xml": b'<p188:authorLst xmlns:p188="http://schemas.microsoft.com/office/powerpoint/2018/'
            b'8/main"><p188:author id="{1}" name="MARKER-A" initials="MA" userId="marker@example.cn" '
            b'providerId="AD"/></p188:authorLst>',
        }
    )
    cleaned = _parts(scrub(pptx, "pptx"))
    assert b'name="" initials=""' in cleaned["ppt/commentAuthors.xml"]
    assert b"MARKER" not in cleaned["ppt/authors.xml"] and b"example.cn" not in cleaned["ppt/authors.xml"]
    assert cleaned["ppt/presentation.xml"] == b"<p:presentation/>"


# --- what a zip must be -----------------------------------------------------------------------


def _raw_zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(zipfile.ZipInfo(name), b"<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "names",
    [
        ["[Content_Types].xml", "word/document.xml", "../../etc/cron.d/x"],
        ["[Content_Types].xml", "word/document.xml", "/word/abs.xml"],
        ["[Content_Types].xml", "word/document.xml", "word\\..\\..\\x.xml"],
        ["[Content_Types].xml", "word/document.xml", "C:/x.xml"],
        ["[Content_Types].xml", "word/document.xml", "word/Document.xml"],
    ],
    ids=["parent", "absolute", "backslash", "drive", "case-duplicate"],
)
def test_a_zip_with_unsafe_or_duplicate_part_names_is_refused(names):
    with pytest.raises(ScrubError) as exc:
        scrub(_raw_zip(names), "docx")
    assert exc.value.reason == Reason.DAMAGED


def test_a_zip_that_unpacks_too_large_is_refused_unread(settings):
    settings.XUNCHA_UPLOAD_ZIP_MAX_UNCOMPRESSED = 1024 * 1024
    bomb = samples.zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\x00" * (2 * 1024 * 1024)})
    with pytest.raises(ScrubError) as exc:
        scrub(bomb, "docx")
    assert exc.value.reason == Reason.TOO_LARGE


@pytest.mark.parametrize(
    "data",
    [
        samples.docx()[:200],  # truncated
        samples.zip_of({"[Content_Types].xml": b"<Types/>", "docProps/core.xml": b"<not xml"}),
        samples.zip_of(
            {
                "[Content_Types].xml": b"<Types/>",
                "word/comments.xml": b'<!DOCTYPE x [<!ENTITY a "b">]><c author="&a;"/>',
            }
        ),
    ],
    ids=["truncated", "bad-xml", "dtd"],
)
def test_a_damaged_document_is_refused(data):
    with pytest.raises(ScrubError) as exc:
        scrub(data, "docx")
    assert exc.value.reason == Reason.DAMAGED


# --- PDF --------------------------------------------------------------------------------------


def test_pdf_loses_info_and_xmp_and_keeps_its_pages():
    original = identifying.pdf()
    assert PdfReader(io.BytesIO(original)).xmp_metadata is not None
    cleaned = scrub(original, "pdf")
    assert b"MARKER" not in cleaned
    reader = PdfReader(io.BytesIO(cleaned))
    assert reader.metadata is None and reader.xmp_metadata is None
    assert "/ID" not in reader.trailer and "/Info" not in reader.trailer
    assert len(reader.pages) == 1 and identifying.PDF_TEXT in reader.pages[0].get_contents().get_data()
    assert read_properties(cleaned, "pdf") == []


def test_pdf_earlier_revisions_do_not_survive():
    """An incremental save leaves the first author in the file; a rewrite does not."""
    first = identifying.pdf()
    writer = PdfWriter(io.BytesIO(first), incremental=True)
    writer.add_metadata({"/Author": "second"})
    buffer = io.BytesIO()
    writer.write(buffer)
    updated = buffer.getvalue()
    assert updated.startswith(first) and b"MARKER" in updated
    assert b"MARKER" not in scrub(updated, "pdf")


def _encrypted(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(identifying.pdf())))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_that_needs_a_password_is_refused():
    with pytest.raises(ScrubError) as exc:
        scrub(_encrypted("secret"), "pdf")
    assert exc.value.reason == Reason.ENCRYPTED


def test_a_pdf_locked_only_against_editing_is_opened_and_cleaned():
    reader = PdfReader(io.BytesIO(scrub(_encrypted(""), "pdf")))
    assert not reader.is_encrypted and reader.metadata is None and len(reader.pages) == 1
