"""What a file says about its own origin: camera, position, author, software, dates.

Staff evidence keeps its metadata (when and with what a photo was taken, who wrote and last
saved a document are facts an inspection may rely on), and the team sees it beside the file.
``file_store`` reads it once, when the bytes are written, and keeps the pairs on the row
(``StoredFile.properties``): a page that lists fifty files opens none of them.

``read_properties`` gives ``(key, value)`` pairs, which is what is stored (labels follow the
reader's language at display time); ``describe`` gives ``(label, value)``. Only headers and small
property parts are read, never the pixels or the document body. Neither function raises: a file
whose properties cannot be read has none to show.
"""

from __future__ import annotations

import io
import logging
import math
import zipfile
from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any

from django.utils.translation import gettext_lazy as _
from lxml import etree
from PIL import ExifTags, Image
from pypdf import PdfReader

from xuncha.files import guard

logger = logging.getLogger(__name__)

LABELS = {
    "camera": _("拍摄设备"),
    "serial": _("设备序列号"),
    "taken": _("拍摄时间"),
    "gps": _("拍摄位置（经纬度）"),
    "software": _("处理软件"),
    "author": _("作者"),
    "last_modified_by": _("最后修改者"),
    "company": _("单位"),
    "created": _("创建时间"),
    "modified": _("修改时间"),
    "creator": _("创建工具"),
    "producer": _("生成软件"),
}
MAX_VALUE = 200
_MAX_PART = 1024 * 1024  # core.xml and app.xml are a few hundred bytes; more is not a real one


def read_properties(source: bytes | IO[bytes], kind: str) -> list[tuple[str, str]]:
    """``(key, value)`` pairs of ``source`` (bytes or a seekable binary file), keys from ``LABELS``."""
    reader = _READERS.get(kind)
    if reader is None:
        return []
    fh = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    try:
        pairs = reader(fh)
    except Exception:  # parsers raise many types on odd files; showing nothing is the answer
        logger.info("Could not read the properties of a %s file", kind, exc_info=True)
        return []
    return [(key, text[:MAX_VALUE]) for key, value in pairs if (text := _text(value))]


def describe(source: bytes | IO[bytes], kind: str) -> list[tuple[str, str]]:
    """``(label, value)`` pairs for display."""
    return labelled(read_properties(source, kind))


def labelled(pairs: Iterable[Any]) -> list[tuple[str, str]]:
    """Stored ``[key, value]`` pairs with their labels (unknown keys are skipped)."""
    return [(str(LABELS[key]), value) for key, value in pairs if key in LABELS]


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, datetime):
        value = value.isoformat(sep=" ", timespec="seconds")
    return " ".join(str(value or "").replace("\x00", " ").split())


# --- images -----------------------------------------------------------------------------------


def _image(fh: IO[bytes]) -> list[tuple[str, Any]]:
    with Image.open(fh) as image:  # reads the header only
        exif = _exif(image)
        sub = exif.get_ifd(ExifTags.IFD.Exif)
        make, model = _text(exif.get(ExifTags.Base.Make)), _text(exif.get(ExifTags.Base.Model))
        taken = sub.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
        return [
            ("camera", model if make and model.lower().startswith(make.lower()) else f"{make} {model}"),
            ("serial", sub.get(ExifTags.Base.BodySerialNumber) or exif.get(ExifTags.Base.CameraSerialNumber)),
            ("taken", _exif_date(taken)),
            ("gps", _position(exif.get_ifd(ExifTags.IFD.GPSInfo))),
            ("software", exif.get(ExifTags.Base.Software) or image.info.get("Software")),
            ("author", exif.get(ExifTags.Base.Artist) or image.info.get("Author")),
        ]


def _exif(image: Image.Image) -> Image.Exif:
    # A PNG's getexif() decodes every pixel to look for an eXIf chunk after them (2.8 s and 470 MB
    # for 100 megapixels); writers put it before the pixels, where the header read found it.
    if image.format == "PNG" and "exif" not in image.info:
        return Image.Exif()
    return image.getexif()


def _exif_date(value: Any) -> str:
    text = _text(value)  # "2026:09:12 10:20:30"
    return text[:10].replace(":", "-") + text[10:] if len(text) >= 10 else text


def _degrees(parts: Any, ref: Any, negative: str) -> float | None:
    if not isinstance(parts, tuple) or len(parts) != 3:
        return None
    value = float(parts[0]) + float(parts[1]) / 60 + float(parts[2]) / 3600
    if not math.isfinite(value):
        return None
    return -value if _text(ref).upper() == negative else value


def _position(gps: dict[int, Any]) -> str:
    """Decimal degrees as the GPS wrote them (WGS-84), latitude first: what map tools accept."""
    lat = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), "S")
    lon = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), "W")
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return ""
    return f"{lat:.6f}, {lon:.6f}"


# --- OOXML ------------------------------------------------------------------------------------

_CORE = {
    "creator": "author",
    "lastModifiedBy": "last_modified_by",
    "created": "created",
    "modified": "modified",
}


def _part(archive: zipfile.ZipFile, name: str) -> Any:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_PART:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(guard.read_member(archive, info, _MAX_PART), parser)


def _ooxml(fh: IO[bytes]) -> list[tuple[str, Any]]:
    pairs: list[tuple[str, Any]] = []
    with guard.open_zip(fh) as archive:
        core, app = _part(archive, "docProps/core.xml"), _part(archive, "docProps/app.xml")
    for element in core.iterchildren(etree.Element) if core is not None else ():
        key = _CORE.get(etree.QName(element).localname)
        if key:
            pairs.append((key, _w3c_date(element.text) if key in ("created", "modified") else element.text))
    for element in app.iterchildren(etree.Element) if app is not None else ():
        if etree.QName(element).localname == "Company":
            pairs.append(("company", element.text))
    order = list(LABELS)
    return sorted(pairs, key=lambda pair: order.index(pair[0]))


def _w3c_date(value: str | None) -> str:
    text = _text(value)  # "2026-09-12T10:20:30Z"
    return text.replace("T", " ").replace("Z", "+00:00")


# --- PDF --------------------------------------------------------------------------------------


def _pdf(fh: IO[bytes]) -> list[tuple[str, Any]]:
    reader = PdfReader(fh, strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        return []
    info = reader.metadata
    if info is None:
        return []
    return [
        ("author", info.get("/Author")),
        ("creator", info.get("/Creator")),
        ("producer", info.get("/Producer")),
        ("created", _pdf_date(info, "creation_date", "/CreationDate")),
        ("modified", _pdf_date(info, "modification_date", "/ModDate")),
    ]


def _pdf_date(info: Any, attribute: str, key: str) -> Any:
    try:
        return getattr(info, attribute) or info.get(key)
    except ValueError:  # a date pypdf cannot parse: show it as written
        return info.get(key)


_READERS = {"jpg": _image, "png": _image, "docx": _ooxml, "xlsx": _ooxml, "pptx": _ooxml, "pdf": _pdf}
