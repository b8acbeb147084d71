"""What a file really is, from its bytes. Pure Python: no libmagic, no Django.

Only the allow-listed kinds are recognised; everything else is ``UNKNOWN``. Signatures are
checked at offset 0 (the producers of real evidence write them there), containers are looked
into: a ZIP must hold the parts of a docx/xlsx/pptx/OFD, an OLE2 compound file must hold the
stream of a Word or Excel document (an .msi installer is OLE2 too). The file object must be
seekable; only the head and the container directories are read, never the whole file.
"""

from __future__ import annotations

import codecs
import struct
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from typing import IO

HEAD_SIZE = 64 * 1024


@dataclass(frozen=True)
class KindSpec:
    content_type: str
    extensions: tuple[str, ...]  # the first one is the one we suggest


KINDS: dict[str, KindSpec] = {
    "pdf": KindSpec("application/pdf", ("pdf",)),
    "ofd": KindSpec("application/ofd", ("ofd",)),
    "docx": KindSpec("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
    "xlsx": KindSpec("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
    "pptx": KindSpec("application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",)),
    "doc": KindSpec("application/msword", ("doc",)),
    "xls": KindSpec("application/vnd.ms-excel", ("xls",)),
    "jpg": KindSpec("image/jpeg", ("jpg", "jpeg")),
    "png": KindSpec("image/png", ("png",)),
    "txt": KindSpec("text/plain", ("txt",)),
}


class Problem(StrEnum):
    NONE = ""
    UNKNOWN = "unknown"
    EXECUTABLE = "executable"
    MACRO = "macro"
    ENCRYPTED = "encrypted"


@dataclass(frozen=True)
class Sniffed:
    kind: str = ""
    problem: Problem = Problem.NONE
    charset: str = ""  # text only: utf-8 or gb18030

    @property
    def content_type(self) -> str:
        base = KINDS[self.kind].content_type
        return f"{base}; charset={self.charset}" if self.charset else base


UNKNOWN = Sniffed(problem=Problem.UNKNOWN)

# ELF, PE/DOS (MZ), Mach-O (32/64 bit, both byte orders; CAFEBABE is also a Java class), scripts.
_EXECUTABLE = (
    b"\x7fELF",
    b"MZ",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(f: IO[bytes]) -> Sniffed:
    """Identify ``f`` (left positioned at 0)."""
    f.seek(0)
    head = f.read(HEAD_SIZE)
    try:
        return _sniff_head(f, head)
    finally:
        f.seek(0)


def _sniff_head(f: IO[bytes], head: bytes) -> Sniffed:
    if head.startswith(_EXECUTABLE):
        return Sniffed(problem=Problem.EXECUTABLE)
    if head.startswith(b"%PDF-"):
        return Sniffed("pdf")
    if head.startswith(_PNG):
        return Sniffed("png")
    if head.startswith(_JPEG):
        return Sniffed("jpg")
    if head.startswith(_ZIP):
        return _sniff_zip(f)
    if head.startswith(_OLE2):
        return _sniff_ole2(f, head)
    charset = _text_charset(head, complete=len(head) < HEAD_SIZE)
    return Sniffed("txt", charset=charset) if charset else UNKNOWN


# --- plain text -------------------------------------------------------------------------------

# C0 controls other than tab, newlines, vertical tab and form feed never occur in real text.
_CONTROLS = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\v\f\r") | {"\x7f"}


def _text_charset(head: bytes, *, complete: bool) -> str:
    """utf-8 or gb18030 (what Chinese Windows Notepad writes), or "" if ``head`` is not text."""
    if not head or b"\x00" in head:
        return ""
    for charset in ("utf-8", "gb18030"):
        try:
            # Incremental: the head may end inside a multi-byte character.
            text = codecs.getincrementaldecoder(charset)().decode(head, final=complete)
        except UnicodeDecodeError:
            continue
        return "" if _CONTROLS.intersection(text) else charset
    return ""


# --- ZIP: OOXML and OFD -----------------------------------------------------------------------

_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError)
_OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}


def _sniff_zip(f: IO[bytes]) -> Sniffed:
    try:
        # Reads only the central directory; nothing is decompressed.
        with zipfile.ZipFile(f) as archive:
            names = archive.namelist()
    except _ZIP_ERRORS:
        return UNKNOWN
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return Sniffed(problem=Problem.MACRO)
    if "OFD.xml" in names:
        return Sniffed("ofd")
    if "[Content_Types].xml" not in names:
        return UNKNOWN
    kinds = {kind for prefix, kind in _OOXML_PARTS.items() if any(n.startswith(prefix) for n in names)}
    return Sniffed(kinds.pop()) if len(kinds) == 1 else UNKNOWN


# --- OLE2 compound files: doc, xls ------------------------------------------------------------

_ENDOFCHAIN = 0xFFFFFFFE
_MAXREGSECT = 0xFFFFFFFA
_MAX_SECTORS = 4096  # bounds every walk, so a hostile file with a loop cannot hang us


@dataclass(frozen=True)
class _Entry:
    name: str  # casefolded: names in a compound file are case-insensitive
    used: bool
    left: int
    right: int
    child: int

    @classmethod
    def parse(cls, raw: bytes) -> _Entry:
        length = min(struct.unpack_from("<H", raw, 0x40)[0], 64)
        name = raw[: max(length - 2, 0)].decode("utf-16-le", "replace").casefold()
        left, right, child = struct.unpack_from("<III", raw, 0x44)
        return cls(name, raw[0x42] != 0, left, right, child)


class _CompoundFile:
    """Just enough of [MS-CFB] to read the directory of a compound file."""

    def __init__(self, f: IO[bytes], header: bytes) -> None:
        if len(header) < 512:
            raise ValueError("short header")
        shift = struct.unpack_from("<H", header, 0x1E)[0]
        if shift not in (9, 12):
            raise ValueError("bad sector size")
        self.f, self.sector_size = f, 1 << shift
        self.first_dir = struct.unpack_from("<I", header, 0x30)[0]
        self.fat_sectors = list(struct.unpack_from("<109I", header, 0x4C))
        self._read_difat(*struct.unpack_from("<II", header, 0x44))

    def _read_difat(self, sector: int, count: int) -> None:
        for _ in range(min(count, _MAX_SECTORS)):
            if sector >= _MAXREGSECT:
                break
            entries = struct.unpack(f"<{self.sector_size // 4}I", self.sector(sector))
            self.fat_sectors.extend(entries[:-1])
            sector = entries[-1]

    def sector(self, number: int) -> bytes:
        if number >= _MAXREGSECT:
            raise ValueError("not a sector")
        self.f.seek((number + 1) * self.sector_size)
        data = self.f.read(self.sector_size)
        if len(data) != self.sector_size:
            raise ValueError("truncated")
        return data

    def next_sector(self, number: int) -> int:
        per_sector = self.sector_size // 4
        fat = self.sector(self.fat_sectors[number // per_sector])
        return struct.unpack_from("<I", fat, (number % per_sector) * 4)[0]

    def entries(self) -> list[_Entry]:
        """Every directory entry, in order (entry 0 is the root storage)."""
        entries: list[_Entry] = []
        sector, seen = self.first_dir, set[int]()
        while sector != _ENDOFCHAIN:
            if sector in seen or len(seen) >= _MAX_SECTORS:
                raise ValueError("directory chain loops")
            seen.add(sector)
            data = self.sector(sector)
            entries.extend(_Entry.parse(data[offset : offset + 128]) for offset in range(0, self.sector_size, 128))
            sector = self.next_sector(sector)
        return entries


def _top_level_names(entries: list[_Entry]) -> set[str]:
    """Names directly under the root storage (not those of embedded objects deeper down).

    The children of a storage form a tree linked by left/right sibling ids, hung from its child id.
    """
    names: set[str] = set()
    pending, seen = [entries[0].child], set()
    while pending:
        index = pending.pop()
        if index >= len(entries) or index in seen:
            continue
        seen.add(index)
        entry = entries[index]
        names.add(entry.name)
        pending += [entry.left, entry.right]
    return names


_OLE_MACROS = {"macros", "_vba_project_cur", "vba"}


def _sniff_ole2(f: IO[bytes], head: bytes) -> Sniffed:
    try:
        entries = _CompoundFile(f, head[:512]).entries()
        top = _top_level_names(entries)
    except (ValueError, IndexError, struct.error):
        return UNKNOWN
    # Macros anywhere count, also in an embedded object; the type is decided by the top level
    # only, so an Excel sheet embedded in a Word document does not make it a workbook.
    if _OLE_MACROS.intersection(e.name for e in entries if e.used):
        return Sniffed(problem=Problem.MACRO)
    if "encryptedpackage" in top:  # a password-protected docx/xlsx is wrapped in OLE2
        return Sniffed(problem=Problem.ENCRYPTED)
    if "worddocument" in top:
        return Sniffed("doc")
    if top & {"workbook", "book"}:  # "Book" is Excel 5/95
        return Sniffed("xls")
    return UNKNOWN
