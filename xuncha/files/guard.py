"""The gate between uploaded bytes and any parser: what a file may unpack to before it is opened.

Every upload passes ``inspect`` (from ``checks.check_upload``) before the sniffer, a reader, an
import or a template engine touches it; code that opens a ZIP itself goes through ``open_zip``
and ``read_member``. The threats, and what stops each:

* **ZIP bombs** (docx, xlsx, pptx, OFD are ZIP packages). A 2 MB workbook can declare and hold
  2 GB of XML, which took a worker 84 s and 4 GB before openpyxl gave up on it. ``open_zip`` reads
  only the central directory and refuses more than ``XUNCHA_UPLOAD_ZIP_MAX_ENTRIES`` entries, a
  declared total over ``XUNCHA_UPLOAD_ZIP_MAX_UNCOMPRESSED``, or an entry past
  ``RATIO_GRACE_BYTES`` that inflates more than ``XUNCHA_UPLOAD_ZIP_MAX_RATIO`` times (the parts
  of real Office files deflate a few times over; zeros or whitespace a thousand times). The size
  of the central directory is checked from the end record before ``zipfile`` parses it, so a
  directory of a million tiny entries is refused without building a million ``ZipInfo`` objects.
  Declared sizes can lie: ``zipfile`` stops every entry at its declared size (then fails its
  CRC), and ``read_member`` also stops at a hard cap, so the declared total bounds what any
  reader inflates.
* **XML entity expansion** ("billion laughs", external entities). OOXML and OFD never contain a
  DTD. Every part that looks like XML is parsed up to its root element with defusedxml (expat,
  ``forbid_dtd``): a ``<!DOCTYPE``/``<!ENTITY`` there refuses the file before python-docx or
  docxtpl (lxml, which defusedxml cannot wrap) parse it. Only the prolog is read, at most
  ``PROLOG_MAX_BYTES`` per part. A part expat cannot read up to its root is refused too (an
  encoding lxml knows and expat does not, such as UTF-32 or EBCDIC; OOXML allows only UTF-8 and
  UTF-16), so a payload cannot hide where expat stops. openpyxl parses with defusedxml by itself
  once it is installed.
* **Pixel bombs.** A 10000×10000 PNG of one colour is a few hundred KB and 300 MB once decoded.
  Image headers (also of pictures inside a package) are read lazily with Pillow and refused above
  ``XUNCHA_UPLOAD_IMAGE_MAX_PIXELS`` before anything decodes them; ``apps.FilesConfig`` sets
  Pillow's own ``MAX_IMAGE_PIXELS`` to the same limit as a backstop for every other caller.

Why a module of its own and not more of ``sniff``: the sniffer says what a file *is* and stays
free of Django; this module decides whether it is *safe to open* under limits that are settings,
and is also used where bytes are opened long after upload (``scrub``, ``metadata``, imports,
templates, trace).
"""

from __future__ import annotations

import io
import struct
import warnings
import zipfile
import zlib
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import IO, Any
from xml.sax import SAXException
from xml.sax.handler import ContentHandler

from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image

from xuncha.common.exceptions import ServiceError

MB = 1024 * 1024
# Entries smaller than this are not held to the ratio: a 1 MB part costs nothing to inflate, and
# small XML parts (styles, settings) can legitimately deflate past 100:1.
RATIO_GRACE_BYTES = 1 * MB
PROLOG_MAX_BYTES = 64 * 1024  # real prologs are ~60 bytes: an XML declaration before the root
# Each central-directory record is 46 bytes plus name, extra field and comment (Office: < 200).
_DIRECTORY_BYTES_PER_ENTRY = 512
_ZIP = b"PK\x03\x04"
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
# What zipfile raises on a damaged or unsupported archive (RuntimeError: an encrypted entry).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    RuntimeError,
    NotImplementedError,
    OSError,
    EOFError,
    ValueError,
    struct.error,
    zlib.error,
)


class Reason(StrEnum):
    ENTRIES = "entries"
    UNPACKED = "unpacked"
    RATIO = "ratio"
    DTD = "dtd"
    PIXELS = "pixels"
    DAMAGED = "damaged"


class HostileFile(Exception):
    """Opening the file would cost more than the limits allow, or it carries an XML payload."""

    def __init__(self, reason: Reason, detail: str = "", **params: Any) -> None:
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason, self.params = reason, params


@dataclass(frozen=True)
class Limits:
    max_unpacked: int
    max_ratio: int
    max_entries: int
    max_pixels: int

    @classmethod
    def from_settings(cls, **tighter: int) -> Limits:
        """The installation's limits; ``tighter`` lowers some for one use (e.g. an import)."""
        limits = cls(
            max_unpacked=settings.XUNCHA_UPLOAD_ZIP_MAX_UNCOMPRESSED,
            max_ratio=settings.XUNCHA_UPLOAD_ZIP_MAX_RATIO,
            max_entries=settings.XUNCHA_UPLOAD_ZIP_MAX_ENTRIES,
            max_pixels=settings.XUNCHA_UPLOAD_IMAGE_MAX_PIXELS,
        )
        return replace(limits, **{k: min(v, getattr(limits, k)) for k, v in tighter.items()})


# --- the gate -----------------------------------------------------------------------------------


def inspect(f: IO[bytes], limits: Limits | None = None) -> None:
    """Raise ``HostileFile`` if ``f`` (seekable, left at 0) is not safe to open; by content, not name."""
    limits = limits or Limits.from_settings()
    f.seek(0)
    head = f.read(len(_PNG))
    try:
        if head.startswith(_ZIP):
            check_zip(f, limits)
        elif head.startswith((_PNG, _JPEG)):
            check_image(f, limits)
    except ZIP_ERRORS:
        pass  # not a ZIP zipfile can read: nothing can open it, and the sniffer will say so
    finally:
        f.seek(0)


def refusal(name: str, exc: HostileFile) -> ServiceError:
    """The message an uploader can act on, naming the file."""
    p = {"name": name, **exc.params}
    messages = {
        Reason.ENTRIES: _("文件“%(name)s”包含的部件过多（超过 %(limit)s 个），不像正常的文档，已拒绝。"),
        Reason.UNPACKED: _(
            "文件“%(name)s”解压后超过 %(limit)s MB，可能是“压缩炸弹”，已拒绝；如确为正常文件，请拆分后重新上传。"
        ),
        Reason.RATIO: _("文件“%(name)s”中的内容压缩比异常（超过 %(limit)s 倍），可能是“压缩炸弹”，已拒绝。"),
        Reason.DTD: _(
            "文件“%(name)s”含有文档类型定义（DTD）或实体声明，正常的 Office 文件不会包含，"
            "已拒绝；请用 Word 或 Excel 重新另存后上传。"
        ),
        Reason.PIXELS: _(
            "文件“%(name)s”的图片像素过多（超过 %(limit)s 百万像素），打开时会占用过多内存，已拒绝；请缩小后重新上传。"
        ),
        Reason.DAMAGED: _("文件“%(name)s”的内部结构异常，无法安全打开，已拒绝；请重新保存或导出后上传。"),
    }
    return ServiceError(messages[exc.reason] % p, code=f"file_{exc.reason}")


# --- ZIP ----------------------------------------------------------------------------------------


def open_zip(source: bytes | IO[bytes], limits: Limits | None = None) -> zipfile.ZipFile:
    """``zipfile.ZipFile`` over ``source`` once its directory is within ``limits``.

    ``zipfile.BadZipFile`` (and the like) pass through unchanged: an unreadable ZIP is the
    sniffer's and the readers' business, not a bomb.
    """
    limits = limits or Limits.from_settings()
    f = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    _check_directory_size(f, limits)
    archive = zipfile.ZipFile(f)
    try:
        _check_entries(archive.infolist(), limits)
    except BaseException:
        archive.close()
        raise
    return archive


def check_zip(source: bytes | IO[bytes], limits: Limits | None = None) -> None:
    """The directory (``open_zip``), then the prolog of every XML part and the header of every picture.

    ``HostileFile`` if not safe; ``ZIP_ERRORS`` pass through if ``source`` is no readable ZIP.
    """
    limits = limits or Limits.from_settings()
    with open_zip(source, limits) as archive:
        for info in archive.infolist():
            if info.is_dir() or not info.file_size:
                continue
            try:
                _check_member(archive, info, limits)
            except ZIP_ERRORS:
                continue  # a part no one can inflate is no one's payload; the others still count


def _check_directory_size(f: IO[bytes], limits: Limits) -> None:
    """Refuse a central directory too big for ``max_entries`` before zipfile parses it."""
    entries, size = _end_record(f)
    if entries > limits.max_entries or size > limits.max_entries * _DIRECTORY_BYTES_PER_ENTRY:
        raise HostileFile(Reason.ENTRIES, f"{entries} entries, {size} bytes", limit=limits.max_entries)


def _end_record(f: IO[bytes]) -> tuple[int, int]:
    """(entries, directory bytes) as the end of central directory record declares them."""
    end = f.seek(0, io.SEEK_END)
    tail_size = min(end, 22 + 0xFFFF)  # the record, and a comment of at most 64 KB
    f.seek(end - tail_size)
    tail = f.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return 0, 0  # zipfile will not find it either
    entries, size = struct.unpack_from("<HI", tail, at + 10)
    if (entries == 0xFFFF or size == 0xFFFFFFFF) and at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":
        (offset,) = struct.unpack_from("<Q", tail, at - 12)
        f.seek(offset)
        record = f.read(56)
        if record[:4] == b"PK\x06\x06" and len(record) == 56:
            entries, size = struct.unpack_from("<QQ", record, 32)
    return entries, size


def _check_entries(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_entries:
        raise HostileFile(Reason.ENTRIES, str(len(infos)), limit=limits.max_entries)
    total = sum(info.file_size for info in infos)
    if total > limits.max_unpacked:
        raise HostileFile(Reason.UNPACKED, f"{total} bytes declared", limit=_mb(limits.max_unpacked))
    for info in infos:
        if info.file_size > RATIO_GRACE_BYTES and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise HostileFile(
                Reason.RATIO, f"{info.filename}: {info.file_size}/{info.compress_size}", limit=limits.max_ratio
            )


class CappedReader(io.RawIOBase):
    """An entry of a ZIP, read in a stream that stops once it passes its declared size or ``cap``."""

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> None:
        super().__init__()
        self._stream = archive.open(info)
        self._limit, self._read = min(info.file_size, cap), 0
        self._name = info.filename

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(min(len(buffer), self._limit + 1 - self._read))
        self._read += len(data)
        if self._read > self._limit:
            detail = f"{self._name} inflates past {self._limit} bytes"
            raise HostileFile(Reason.UNPACKED, detail, limit=_mb(self._limit))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._stream.close()
        super().close()


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """All of one entry, or ``HostileFile`` once more than ``min(declared size, cap)`` comes out."""
    chunks = []
    with CappedReader(archive, info, cap) as reader:
        while chunk := reader.read(MB):
            chunks.append(chunk)
    return b"".join(chunks)


def _mb(size: int) -> int:
    return -(-size // MB)  # rounded up: "over 1 MB", never "over 0 MB"


def _check_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    with archive.open(info) as member:
        head = member.read(PROLOG_MAX_BYTES)  # zipfile stops at the declared size, whatever follows
        if head.startswith((_PNG, _JPEG)):
            member.seek(0)
            check_image(member, limits)
        elif _looks_like_xml(head):
            _check_prolog(head)


def _looks_like_xml(head: bytes) -> bool:
    text = head.lstrip(b" \t\r\n")
    # All whitespace may be padding in front of a DTD: that counts as XML too. So do UTF-16/32
    # without a BOM ("<" next to NULs) and EBCDIC ("<?xm" is 4C 6F A7 94), which libxml2 reads.
    return (
        not text
        or text.startswith(b"<")
        or head.startswith((*_BOMS, b"\x4c\x6f\xa7\x94"))
        or (b"\x00" in head[:4] and b"<" in head[:4])
    )


class _RootReached(Exception):
    """Raised at the root element's start tag: a DTD can only come before it."""


class _StopAtRoot(ContentHandler):
    def startElement(self, name: str, attrs: Any) -> None:  # noqa: N802 (SAX's name)
        raise _RootReached


# "<!DOCTYPE" and "<!ENTITY" in UTF-8 (and ASCII-compatible encodings) and in UTF-16 either way:
# only to choose the message when expat cannot read a part.
_DTD_MARKS = tuple(
    mark.encode(codec) for mark in ("<!DOCTYPE", "<!ENTITY") for codec in ("ascii", "utf-16-le", "utf-16-be")
)


def _check_prolog(head: bytes) -> None:
    """Parse one XML part up to its root element (expat via defusedxml): a DTD refuses the file."""
    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setContentHandler(_StopAtRoot())
    try:
        parser.feed(head)
    except _RootReached:
        return
    except DefusedXmlException as exc:
        raise HostileFile(Reason.DTD, repr(exc)) from exc
    except (SAXException, ValueError) as exc:
        # Not XML expat can read up to its root (ValueError: an encoding it does not know). Office
        # writes none such; lxml might read further, and find a DTD, so the file is refused.
        reason = Reason.DTD if any(mark in head for mark in _DTD_MARKS) else Reason.DAMAGED
        raise HostileFile(reason, repr(exc)) from exc
    if len(head) >= PROLOG_MAX_BYTES:
        raise HostileFile(Reason.DAMAGED, f"no root element in the first {len(head)} bytes")
    # The part ended before any element (empty, whitespace, a comment): nothing to expand.


# --- images -------------------------------------------------------------------------------------


def check_image(f: IO[bytes], limits: Limits | None = None) -> None:
    """Refuse a PNG or JPEG whose header declares more than ``max_pixels``; nothing is decoded."""
    limits = limits or Limits.from_settings()
    limit = {"limit": limits.max_pixels // 1_000_000}
    try:
        with warnings.catch_warnings():
            # Pillow warns above its MAX_IMAGE_PIXELS; the size is compared below, under our limit.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(f, formats=["PNG", "JPEG"]) as image:  # lazy: reads the header only
                width, height = image.size
    except Image.DecompressionBombError as exc:
        raise HostileFile(Reason.PIXELS, str(exc), **limit) from exc
    except Exception:  # not an image Pillow can read: nothing will decode it, the readers decide
        return
    if width * height > limits.max_pixels:
        raise HostileFile(Reason.PIXELS, f"{width}x{height}", **limit)
