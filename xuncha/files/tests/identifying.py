"""Real files that carry what identifies their sender, built in memory for the scrub tests.

Every identifying value contains ``MARKER`` (so a test can search the bytes for it) and has a
constant here to assert against what ``metadata.describe`` reads back.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile

import openpyxl
from docx import Document
from openpyxl.comments import Comment
from PIL import Image, PngImagePlugin
from PIL.ExifTags import GPS, IFD, Base
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject

MAKE, MODEL, SERIAL = "MARKERCAM", "MARKERCAM X100", "SN-MARKER-4711"
TAKEN = "2026:09:12 10:20:30"
LAT, LON = (39.0, 54.0, 15.2), (116.0, 24.0, 26.6)  # 39.904222 N, 116.407389 E
POSITION = "39.904222, 116.407389"
THUMB_MARKER = b"THUMB-MARKER"
PNG_AUTHOR = "MARKER-PNG-AUTHOR"
AUTHOR, EDITOR, COMPANY = "张三MARKER-AUTHOR", "李四MARKER-EDITOR", "青山镇MARKER-COMPANY"
COMMENTER, REVISER = "王五MARKER-COMMENT", "赵六MARKER-REVISION"
BODY_TEXT = "村道工程由镇长亲属承包，未经招标。"
SIZE = (64, 48)  # as stored; the orientation tag turns it to 48×64 on screen


def halves(size: tuple[int, int] = SIZE) -> Image.Image:
    """Left half red, right half blue: which way is up can be checked from the pixels."""
    image = Image.new("RGB", size, (30, 30, 220))
    image.paste((220, 30, 30), (0, 0, size[0] // 2, size[1]))
    return image


def _exif_with_thumbnail(orientation: int) -> bytes:
    """EXIF with GPS, camera and serial, and an IFD1 thumbnail (Pillow writes no IFD1 itself)."""
    exif = Image.Exif()
    exif[Base.Make], exif[Base.Model], exif[Base.Orientation] = MAKE, MODEL, orientation
    exif[Base.Software], exif[Base.Artist] = "MARKER-SOFTWARE 1.0", "MARKER-ARTIST"
    sub = exif.get_ifd(IFD.Exif)
    sub[Base.BodySerialNumber], sub[Base.DateTimeOriginal] = SERIAL, TAKEN
    sub[Base.MakerNote] = b"MARKER-MAKERNOTE"
    gps = exif.get_ifd(IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef], gps[GPS.GPSLatitude] = "N", LAT
    gps[GPS.GPSLongitudeRef], gps[GPS.GPSLongitude] = "E", LON
    tiff = bytearray(exif.tobytes()[6:])
    endian = "<" if tiff[:2] == b"II" else ">"
    # IFD0 starts at 8: entry count, 12-byte entries, then the offset of the next IFD (IFD1).
    next_at = 8 + 2 + 12 * struct.unpack_from(endian + "H", tiff, 8)[0]
    thumb = io.BytesIO()
    Image.new("RGB", (16, 12), (0, 200, 0)).save(thumb, "JPEG", comment=THUMB_MARKER)
    ifd1_at = len(tiff)
    data_at = ifd1_at + 2 + 2 * 12 + 4
    struct.pack_into(endian + "I", tiff, next_at, ifd1_at)
    tiff += struct.pack(endian + "H", 2)
    tiff += struct.pack(endian + "HHII", 0x0201, 4, 1, data_at)  # JPEGInterchangeFormat
    tiff += struct.pack(endian + "HHII", 0x0202, 4, 1, len(thumb.getvalue()))  # …Length
    tiff += struct.pack(endian + "I", 0) + thumb.getvalue()
    return b"Exif\x00\x00" + bytes(tiff)


def _app13_iptc() -> bytes:
    record = b"\x1c\x02\x50" + struct.pack(">H", 17) + b"MARKER-IPTC-BYLINE"[:17]
    body = b"Photoshop 3.0\x00" + b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(record)) + record
    return b"\xff\xed" + struct.pack(">H", len(body) + 2) + body


def photo(orientation: int = 6, *, iptc: bool = True) -> bytes:
    """A phone photo: EXIF (GPS, make, model, serial, maker note, thumbnail), XMP, IPTC, comment."""
    out = io.BytesIO()
    halves().save(
        out,
        "JPEG",
        quality=95,
        exif=_exif_with_thumbnail(orientation),
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">MARKER-XMP</x:xmpmeta>',
        comment=b"MARKER-COMMENT",
    )
    data = out.getvalue()
    return data[:2] + _app13_iptc() + data[2:] if iptc else data


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", PNG_AUTHOR)  # tEXt is Latin-1 only
    info.add_text("Software", "MARKER-SOFTWARE")
    info.add_itxt("Comment", "位置MARKER-ITXT")
    out = io.BytesIO()
    halves().save(out, "PNG", pnginfo=info, exif=_exif_with_thumbnail(1))
    return out.getvalue()


def _rezip(data: bytes, change: dict[str, bytes | None]) -> bytes:
    """``data`` (a zip) with parts replaced, added, or (``None``) removed."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    for name, value in change.items():
        if value is None:
            parts.pop(name, None)
        else:
            parts[name] = value
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, value in parts.items():
            target.writestr(name, value)
    return out.getvalue()


_CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Owner">'
    b"<vt:lpwstr>MARKER-CUSTOM</vt:lpwstr></property></Properties>"
)
_CUSTOM_REL = (
    b'<Relationship Id="rIdCustom" Target="docProps/custom.xml" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"/>'
)
_CUSTOM_TYPE = (
    b'<Override PartName="/docProps/custom.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>'
)
_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    f"<Template>C:\\Users\\MARKER-USER\\Normal.dotm</Template><TotalTime>42</TotalTime>"
    f"<Application>Microsoft Office Word</Application><Company>{COMPANY}</Company>"
    "<Manager>MARKER-MANAGER</Manager><AppVersion>16.0000</AppVersion></Properties>"
).encode()


def _with_package_parts(data: bytes, extra: dict[str, bytes | None]) -> bytes:
    """Add a custom-properties part (with its relationship and content type) and our app.xml."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        rels = source.read("_rels/.rels").replace(b"</Relationships>", _CUSTOM_REL + b"</Relationships>")
        types = source.read("[Content_Types].xml").replace(b"</Types>", _CUSTOM_TYPE + b"</Types>")
    return _rezip(
        data,
        {"docProps/app.xml": _APP, "docProps/custom.xml": _CUSTOM, "_rels/.rels": rels, "[Content_Types].xml": types}
        | extra,
    )


_TEMPLATE_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" TargetMode="External" '
    b'Target="file:///C:\\Users\\MARKER-USER\\AppData\\Roaming\\Microsoft\\Templates\\Normal.dotm" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"/>'
    b"</Relationships>"
)


def docx() -> bytes:
    """A Word file with author, last editor, company, a comment, a tracked insertion and a photo."""
    document = Document()
    document.core_properties.author = AUTHOR
    document.core_properties.last_modified_by = EDITOR
    document.core_properties.title = "关于村道工程的反映"
    document.core_properties.comments = "MARKER-DESCRIPTION"
    document.core_properties.revision = 7
    paragraph = document.add_paragraph(BODY_TEXT)
    document.add_comment(paragraph.runs, text="请核实", author=COMMENTER, initials="WW")
    document.add_paragraph("插入的内容")
    document.add_picture(io.BytesIO(photo(orientation=1, iptc=False)))  # python-docx wants EXIF first
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        body = source.read("word/document.xml").decode()
    # Mark the second paragraph's run as a tracked insertion by REVISER.
    body = re.sub(
        r"(<w:r>(?:(?!</w:r>).)*插入的内容(?:(?!</w:r>).)*</w:r>)",
        rf'<w:ins w:id="901" w:author="{REVISER}" w:date="2026-09-12T10:20:30Z">\1</w:ins>',
        body,
        count=1,
        flags=re.DOTALL,
    )
    assert REVISER in body
    return _with_package_parts(
        data, {"word/document.xml": body.encode(), "word/_rels/settings.xml.rels": _TEMPLATE_RELS}
    )


def xlsx() -> bytes:
    """An Excel file with creator, last editor, company, a comment and the saved-at path."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["项目", "金额"])
    sheet.append(["村道工程", 300000])
    sheet["B2"].comment = Comment("金额待核", COMMENTER)
    workbook.properties.creator = AUTHOR
    workbook.properties.lastModifiedBy = EDITOR
    out = io.BytesIO()
    workbook.save(out)
    data = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        book = source.read("xl/workbook.xml")
    book = book.replace(
        b"<workbookPr",
        b'<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        b'<mc:Choice Requires="x15"><x15ac:absPath xmlns:x15ac="http://schemas.microsoft.com/office/'
        b'spreadsheetml/2010/11/ac" url="C:\\Users\\MARKER-USER\\Desktop\\"/></mc:Choice></mc:AlternateContent>'
        b"<workbookPr",
        1,
    )
    assert b"absPath" in book
    return _with_package_parts(data, {"xl/workbook.xml": book})


_XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>MARKER-XMP-AUTHOR</rdf:li>'
    b'</rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)
PDF_TEXT = b"(evidence-text) Tj"


def pdf() -> bytes:
    """A one-page PDF with /Author /Creator /Producer and dates in its info, and XMP."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 20 100 Td " + PDF_TEXT + b" ET")
    page.replace_contents(content)
    writer.add_metadata(
        {
            "/Author": AUTHOR,
            "/Creator": "MARKER-CREATOR Word",
            "/Producer": "MARKER-PRODUCER PDF",
            "/CreationDate": "D:20260912102030+08'00'",
            "/ModDate": "D:20260913102030+08'00'",
        }
    )
    writer.xmp_metadata = _XMP
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
