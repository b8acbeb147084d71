"""Taking out of a file what could identify whoever sent it: ``scrub(data, kind) -> bytes``.

Run on every file that reaches a report from the public, before its bytes are sealed. Staff
uploads are never scrubbed: there the metadata is evidence, and ``metadata.py`` shows it.

Per kind (the kinds are ``sniff.KINDS``):

* **jpg, png.** The pixels are decoded and encoded again, so nothing but pixels survives: EXIF
  with the GPS position, camera make, model and serial number, maker notes and the embedded
  thumbnail; XMP, IPTC, comments, PNG text chunks. The EXIF orientation is applied first, so the
  photo still stands the right way up. A colour profile is converted to sRGB and left out (a
  calibrated scanner or screen profile can name the device). JPEG is written at quality 92 with
  the original's chroma subsampling, PNG losslessly in its own mode; an animated PNG keeps its
  first frame.
* **docx, xlsx, pptx.** The zip is rewritten part by part. The core properties keep only the
  title, subject and language (they describe the content); creator, last modified by, revision,
  dates, keywords and comments go. The extended properties (company, manager, application,
  template, editing time) are emptied, the custom properties removed with their relationship and
  content-type entry. Comment and tracked-change authors and initials (Word), comment authors and
  people (Excel, PowerPoint), Excel's saved-at path and Word's template path (both hold the
  Windows user name) are blanked. Photos inside the document (any ``.jpg``/``.png`` part) are
  cleaned like photos, keeping their orientation tag only, since the document's layout was made
  for the image as displayed. Every other part keeps its bytes; entry dates, extra fields and the
  archive comment are not carried over (they hold the sender's clock and user ids).
* **pdf.** Rewritten from its document catalogue down with pypdf: the document information
  dictionary (author, creator, producer, dates), the file identifier and every XMP ``/Metadata``
  stream and ``/PieceInfo`` (application private data) are left out, and so are earlier
  revisions of an incrementally saved file. A digital signature in the file no longer validates
  afterwards; ask the reporter for the original through the follow-up channel if it matters.
* **Anything else (ofd, doc, xls, txt) is returned unchanged.** Plain text has no metadata. OFD
  comes from issuing systems (e-invoices, official documents) and is usually signed: editing it
  would break the signature that makes it evidence. The legacy doc/xls property streams are not
  cleaned (a known gap: they can hold author and company).

A file that cannot be read as its kind raises ``ScrubError`` and is refused, not stored as it
came: a damaged JPEG or docx may still carry its EXIF or core properties for a lenient reader.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import shutil
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree
from PIL import ExifTags, Image, ImageCms, ImageOps, JpegImagePlugin
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from xuncha.common.exceptions import ServiceError
from xuncha.files import guard
from xuncha.files.checks import CheckedUpload
from xuncha.files.models import Kind

logger = logging.getLogger(__name__)


class Reason(StrEnum):
    DAMAGED = "damaged"
    ENCRYPTED = "encrypted"
    TOO_LARGE = "too_large"


class ScrubError(ValueError):
    """The file cannot be cleaned; ``reason`` says why (for the message shown to the uploader)."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason = reason


def scrub(data: bytes, kind: str) -> bytes:
    """``data`` without what identifies its sender; unchanged for kinds that are not cleaned."""
    cleaner = _CLEANERS.get(kind)
    return cleaner(data) if cleaner else data


def scrub_upload(checked: CheckedUpload) -> bytes:
    """The cleaned bytes of a checked upload; ``ServiceError`` naming the file if it cannot be cleaned."""
    upload = checked.upload
    upload.seek(0)
    data = upload.read()
    try:
        return scrub(data, checked.kind)
    except ScrubError as exc:
        logger.info("Refused %s upload that cannot be cleaned: %s", checked.kind, exc)
        name, label = checked.name, Kind(checked.kind).label
        if exc.reason == Reason.ENCRYPTED:
            message = _("文件“%(name)s”已加密，无法核验内容；请取消密码后重新上传。") % {"name": name}
        elif exc.reason == Reason.TOO_LARGE:
            message = _("文件“%(name)s”的图片像素或解压后的内容过大，无法处理；请缩小或拆分后重新上传。") % {
                "name": name
            }
        else:
            message = _("文件“%(name)s”无法按%(kind)s打开，可能已损坏；请重新保存或导出后上传。") % {
                "name": name,
                "kind": label,
            }
        raise ServiceError(message, code=f"file_{exc.reason}") from exc


# --- images -----------------------------------------------------------------------------------

# The pixel limit is XUNCHA_UPLOAD_IMAGE_MAX_PIXELS (files.guard): 50 megapixels take ~150 MB
# to decode, twice that while turning them.
JPEG_QUALITY = 92
_FORMATS = {"jpg": "JPEG", "png": "PNG"}
_PNG_MODES = {"1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"}
_TURNED = {5, 6, 7, 8}  # orientations that swap width and height


def _scrub_image(data: bytes, kind: str, *, upright: bool = True) -> bytes:
    """Pixels only. ``upright=False`` keeps the orientation as a tag instead of applying it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[_FORMATS[kind]]) as source:
                if source.width * source.height > settings.XUNCHA_UPLOAD_IMAGE_MAX_PIXELS:
                    raise ScrubError(Reason.TOO_LARGE, f"{source.width}x{source.height}")
                source.load()
                image, params = _clean_pixels(source, kind, upright=upright)
                out = io.BytesIO()
                image.save(out, _FORMATS[kind], **params)
                return out.getvalue()
    except ScrubError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ScrubError(Reason.TOO_LARGE, str(exc)) from exc
    except Exception as exc:  # Pillow raises many types on hostile input: none may pass a file
        raise ScrubError(Reason.DAMAGED, repr(exc)) from exc


def _clean_pixels(source: Image.Image, kind: str, *, upright: bool) -> tuple[Image.Image, dict[str, Any]]:
    orientation = source.getexif().get(ExifTags.Base.Orientation, 1)
    orientation = orientation if orientation in range(2, 9) else 1
    image = ImageOps.exif_transpose(source) if upright else source.copy()
    image = _to_srgb(image, source.info.get("icc_profile"))
    params: dict[str, Any] = {}
    dpi = source.info.get("dpi")
    if isinstance(dpi, tuple) and len(dpi) == 2 and all(isinstance(v, int | float) and v > 0 for v in dpi):
        params["dpi"] = dpi[::-1] if upright and orientation in _TURNED else dpi
    if not upright and orientation != 1:
        exif = Image.Exif()
        exif[ExifTags.Base.Orientation] = orientation
        params["exif"] = exif.tobytes()
    if kind == "jpg":  # also a multi-picture (MPO) JPEG from a phone: its first picture
        subsampling = JpegImagePlugin.get_sampling(source)
        params |= {"quality": JPEG_QUALITY} | ({"subsampling": subsampling} if subsampling in (0, 1, 2) else {})
        image = image if image.mode in ("L", "RGB", "CMYK") else image.convert("RGB")
    else:
        if "transparency" in source.info and image.mode in ("P", "L", "RGB"):
            params["transparency"] = source.info["transparency"]
        image = image if image.mode in _PNG_MODES else image.convert("RGBA")
    image.info = {}  # Pillow's writers fall back to info for comments and profiles
    return image, params


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Colours as the profile meant them, in sRGB, so the profile itself can be left out."""
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, profile, ImageCms.createProfile("sRGB"), outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image if image.mode != "CMYK" else image.convert("RGB")  # a broken profile: colours as they are
    return converted if converted is not None else image


# --- OOXML (docx, xlsx, pptx) ----------------------------------------------------------------

# Entries, unpacked size and ratio are held to files.guard's limits before anything is read.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # what Office writes for every entry
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, ValueError)
_DC = "http://purl.org/dc/elements/1.1/"
_CORE_KEPT = {"title", "subject", "language"}
_REL_TYPES = {
    "core": ("/metadata/core-properties",),
    "app": ("/extended-properties", "/extendedProperties"),
    "custom": ("/custom-properties", "/customProperties"),
}
_DEFAULT_PARTS = {"core": "docProps/core.xml", "app": "docProps/app.xml", "custom": "docProps/custom.xml"}


@dataclass(frozen=True)
class _Rule:
    """What to blank in one kind of XML part, by local name (the prefix may be anything)."""

    attributes: frozenset[str] = frozenset()  # attributes blanked wherever they occur
    texts: frozenset[str] = frozenset()  # elements whose text is blanked
    drop: frozenset[str] = frozenset()  # elements removed with their content

    def applies_to(self, data: bytes) -> bool:
        # A cheap test first: most parts (the body of a document without comments) are left as is.
        return any(name.encode() in data for name in self.attributes | self.texts | self.drop)


def _rule(*, attributes: str = "", texts: str = "", drop: str = "") -> _Rule:
    return _Rule(frozenset(attributes.split()), frozenset(texts.split()), frozenset(drop.split()))


_RULES: list[tuple[str, _Rule]] = [
    # Comments and tracked changes (w:ins, w:del, w:rPrChange, …) anywhere in the document;
    # people.xml lists the authors with their account ids.
    (r"word/.+\.xml", _rule(attributes="author initials", drop="presenceInfo")),
    (r"xl/(.+/)?comments?[^/]*\.xml", _rule(texts="author")),  # Excel: xl/comments1.xml; others nest
    (r"xl/persons/[^/]+\.xml", _rule(attributes="displayName userId providerId")),
    (r"xl/workbook\.xml", _rule(attributes="userName", drop="absPath")),
    (r"xl/revisions/[^/]+\.xml", _rule(attributes="userName")),
    (r"ppt/commentAuthors\.xml", _rule(attributes="name initials")),
    (r"ppt/authors\.xml", _rule(attributes="name initials userId providerId")),
]
_MEDIA = re.compile(r".+\.(jpe?g|jfif|png)", re.IGNORECASE)
_TEMPLATE_RELS = "word/_rels/settings.xml.rels"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _parse(data: bytes) -> Any:
    # No DTDs, no entities, no network: OOXML parts have none, a hostile file might.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    tree = etree.fromstring(data, parser).getroottree()
    if tree.docinfo.doctype:
        raise ScrubError(Reason.DAMAGED, "DTD in an OOXML part")
    return tree


def _serialize(tree: Any) -> bytes:
    standalone = tree.docinfo.standalone
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=standalone)


def _local(name: Any) -> str:
    return etree.QName(name).localname if isinstance(name, str) else ""


def _remove(element: Any) -> None:
    parent = element.getparent()
    if parent is None:
        return
    # Excel wraps its saved-at path in mc:AlternateContent/mc:Choice: remove the whole wrapper.
    grandparent = parent.getparent()
    if (
        etree.QName(parent).namespace == _MC
        and grandparent is not None
        and _local(grandparent.tag) == "AlternateContent"
    ):
        _remove(grandparent)
    else:
        parent.remove(element)


def _apply_rule(data: bytes, rule: _Rule) -> bytes:
    if not rule.applies_to(data):
        return data
    tree = _parse(data)
    changed = False
    for element in list(tree.iter(etree.Element)):  # elements only: no comments or PIs
        local = _local(element.tag)
        if local in rule.drop:
            _remove(element)
            changed = True
            continue
        for attribute, value in element.attrib.items():
            if value and _local(attribute) in rule.attributes:
                element.set(attribute, "")
                changed = True
        if local in rule.texts and element.text:
            element.text = ""
            changed = True
    return _serialize(tree) if changed else data


def _clean_core(data: bytes) -> bytes:
    root = _parse(data).getroot()
    fresh = etree.Element(root.tag, nsmap=root.nsmap)
    fresh.extend(
        child
        for child in root.iterchildren(etree.Element)
        if etree.QName(child).namespace == _DC and _local(child.tag) in _CORE_KEPT
    )
    return etree.tostring(fresh, xml_declaration=True, encoding="UTF-8", standalone=True)


def _clean_app(data: bytes) -> bytes:
    root = _parse(data).getroot()
    return etree.tostring(
        etree.Element(root.tag, nsmap=root.nsmap), xml_declaration=True, encoding="UTF-8", standalone=True
    )


def _without(data: bytes, *, element: str, attribute: str, value: str) -> bytes:
    """``data`` (a .rels or [Content_Types].xml) without the entries whose attribute names ``value``."""
    tree = _parse(data)
    root = tree.getroot()
    gone = [
        e
        for e in root.iterchildren(etree.Element)
        if _local(e.tag) == element and _part_name(e.get(attribute, "")) == value.casefold()
    ]
    for entry in gone:
        root.remove(entry)
    return _serialize(tree) if gone else data


def _clean_template_path(data: bytes) -> bytes:
    # Word records the template it started from as file:///C:/Users/<name>/…/Normal.dotm.
    tree = _parse(data)
    changed = False
    for rel in tree.getroot().iterchildren(etree.Element):
        target = rel.get("Target", "")
        if rel.get("Type", "").endswith("/attachedTemplate") and rel.get("TargetMode") == "External":
            name = re.split(r"[\\/]", target)[-1]
            if name != target:
                rel.set("Target", name)
                changed = True
    return _serialize(tree) if changed else data


def _clean_media(data: bytes) -> bytes:
    if data.startswith(b"\xff\xd8\xff"):
        return _scrub_image(data, "jpg", upright=False)
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _scrub_image(data, "png", upright=False)
    return data  # EMF, WMF, SVG… carry no EXIF


def _part_name(target: str) -> str:
    return posixpath.normpath("/" + target).lstrip("/").casefold()


def _property_parts(source: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]) -> dict[str, str]:
    """Where the core, extended and custom properties are (by the package relationships)."""
    found = {key: name.casefold() for key, name in _DEFAULT_PARTS.items() if name.casefold() in names}
    if "_rels/.rels" in names:
        for rel in _parse(_read(source, names["_rels/.rels"])).getroot().iterchildren(etree.Element):
            rel_type, target = rel.get("Type", ""), rel.get("Target", "")
            for key, suffixes in _REL_TYPES.items():
                if rel_type.endswith(suffixes) and rel.get("TargetMode") != "External" and _part_name(target) in names:
                    found[key] = _part_name(target)
    return found


def _safe_name(name: str) -> bool:
    return not set(name) & set("\\\x00:") and all(seg not in ("", ".", "..") for seg in name.split("/"))


def _read(source: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    return guard.read_member(source, info, settings.XUNCHA_UPLOAD_ZIP_MAX_UNCOMPRESSED)


def _entries(source: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    entries = [info for info in source.infolist() if not info.is_dir()]
    seen: set[str] = set()
    for info in entries:
        if info.flag_bits & 0x1:
            raise ScrubError(Reason.ENCRYPTED, info.filename)
        # Part names are case-insensitive: two that differ by case are one part written twice.
        if not _safe_name(info.filename) or info.filename.casefold() in seen:
            raise ScrubError(Reason.DAMAGED, f"bad part name {info.filename!r}")
        seen.add(info.filename.casefold())
    return entries


def _cleaners(names: dict[str, zipfile.ZipInfo], props: dict[str, str]) -> dict[str, Callable[[bytes], bytes]]:
    """Part name (casefolded) → what to do to its bytes. Parts not named are copied as they are."""
    cleaners: dict[str, Callable[[bytes], bytes]] = {}
    for name in names:
        for pattern, rule in _RULES:
            if re.fullmatch(pattern, name, re.IGNORECASE):  # names are casefolded here
                cleaners[name] = partial(_apply_rule, rule=rule)
        if _MEDIA.fullmatch(name):
            cleaners[name] = _clean_media
    cleaners[_TEMPLATE_RELS] = _clean_template_path
    if core := props.get("core"):
        cleaners[core] = _clean_core
    if app := props.get("app"):
        cleaners[app] = _clean_app
    if custom := props.get("custom"):
        cleaners["_rels/.rels"] = lambda data: _without(data, element="Relationship", attribute="Target", value=custom)
        cleaners["[content_types].xml"] = lambda data: _without(
            data, element="Override", attribute="PartName", value=custom
        )
    return cleaners


def _copy(source: zipfile.ZipFile, target: zipfile.ZipFile, info: zipfile.ZipInfo, clean: Callable | None) -> None:
    entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
    entry.compress_type = info.compress_type if info.compress_type == zipfile.ZIP_STORED else zipfile.ZIP_DEFLATED
    if clean is None:
        entry.file_size = info.file_size  # tells zipfile up front whether ZIP64 is needed
        cap = settings.XUNCHA_UPLOAD_ZIP_MAX_UNCOMPRESSED
        with guard.CappedReader(source, info, cap) as src, target.open(entry, "w") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
    else:
        target.writestr(entry, clean(_read(source, info)))


def _scrub_ooxml(data: bytes) -> bytes:
    out = io.BytesIO()
    try:
        with guard.open_zip(data) as source:
            entries = _entries(source)
            names = {info.filename.casefold(): info for info in entries}
            props = _property_parts(source, names)
            cleaners, custom = _cleaners(names, props), props.get("custom")
            with zipfile.ZipFile(out, "w") as target:
                for info in entries:
                    if info.filename.casefold() != custom:
                        _copy(source, target, info, cleaners.get(info.filename.casefold()))
    except ScrubError:
        raise
    except guard.HostileFile as exc:
        raise ScrubError(Reason.TOO_LARGE, str(exc)) from exc
    except (*_ZIP_ERRORS, etree.LxmlError) as exc:
        raise ScrubError(Reason.DAMAGED, repr(exc)) from exc
    return out.getvalue()


# --- PDF --------------------------------------------------------------------------------------

_PDF_PRIVATE = ("/Metadata", "/PieceInfo")


def _drop_private(root: DictionaryObject) -> None:
    """Remove XMP streams and application data from every dictionary reachable from ``root``."""
    pending: list[Any] = [root]
    seen: set[int] = set()
    while pending:
        obj = pending.pop()
        if isinstance(obj, IndirectObject):
            obj = obj.get_object()
        if not isinstance(obj, DictionaryObject | ArrayObject) or id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, DictionaryObject):
            for key in _PDF_PRIVATE:
                obj.pop(key, None)
            pending.extend(dict.values(obj))
        else:
            pending.extend(list.__iter__(obj))


def _scrub_pdf(data: bytes) -> bytes:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ScrubError(Reason.ENCRYPTED)
        # On the reader's (cached) objects, before cloning: what is cut off then is never copied.
        _drop_private(reader.root_object)
        writer = PdfWriter()
        # From the catalogue down only: no /Info, no /ID, no objects of earlier revisions.
        writer.clone_reader_document_root(reader)
        if re.fullmatch(r"%PDF-\d\.\d", reader.pdf_header):
            writer.pdf_header = reader.pdf_header  # the features used are those of that version
        out = io.BytesIO()
        writer.write(out)
    except ScrubError:
        raise
    except Exception as exc:  # pypdf raises many types on hostile input: none may pass a file
        raise ScrubError(Reason.DAMAGED, repr(exc)) from exc
    return out.getvalue()


_CLEANERS: dict[str, Callable[[bytes], bytes]] = {
    "jpg": lambda data: _scrub_image(data, "jpg"),
    "png": lambda data: _scrub_image(data, "png"),
    "docx": _scrub_ooxml,
    "xlsx": _scrub_ooxml,
    "pptx": _scrub_ooxml,
    "pdf": _scrub_pdf,
}
