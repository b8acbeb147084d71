"""Real files of each kind, built in memory (no fixtures on disk to go stale)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import openpyxl
from docx import Document


def pdf(text: bytes = b"evidence") -> bytes:
    """A minimal valid one-page PDF with a correct cross-reference table, showing ``text``."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
    ]
    stream = b"BT /F1 12 Tf 20 100 Td (%s) Tj ET" % text
    objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png() -> bytes:
    """A valid 1×1 red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def jpg() -> bytes:
    # Start of image + JFIF header is what identifies a JPEG; the sniffer reads no further.
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


def docx(text: str = "巡察发现问题清单") -> bytes:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["单位", "问题数"])
    workbook.active.append(["青山镇", 3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_of(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def pptx() -> bytes:
    return zip_of({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p:presentation/>"})


def ofd() -> bytes:
    return zip_of({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>"})


def docm() -> bytes:
    """A Word document with a VBA project (what a .docm holds), renamed .docx by the sender."""
    with zipfile.ZipFile(io.BytesIO(docx())) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    return zip_of({**parts, "word/vbaProject.bin": b"\xcc\x61" + b"\x00" * 32})


# --- OLE2 compound files ([MS-CFB], version 3, 512-byte sectors) ----------------------------

_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _dir_entry(name: str, kind: int, left: int = _NOSTREAM, right: int = _NOSTREAM, child: int = _NOSTREAM) -> bytes:
    raw = name.encode("utf-16-le")
    entry = raw.ljust(64, b"\x00") + struct.pack("<HBB", len(raw) + 2, kind, 1)
    entry += struct.pack("<III", left, right, child) + b"\x00" * 36 + struct.pack("<IQ", _END, 0)
    assert len(entry) == 128
    return entry


def cfb(top: list[str], nested: dict[str, list[str]] | None = None) -> bytes:
    """A compound file whose root holds the streams ``top``; ``nested`` adds storages with streams.

    Children hang as a right-leaning chain of siblings (a valid, if unbalanced, tree).
    """
    nested = nested or {}
    entries: list[tuple[str, int, list[int]]] = [("Root Entry", 5, [])]

    def add(name: str, kind: int) -> int:
        entries.append((name, kind, []))
        return len(entries) - 1

    for name in top:
        entries[0][2].append(add(name, 2))
    for storage, streams in nested.items():
        index = add(storage, 1)
        entries[0][2].append(index)
        entries[index][2].extend(add(stream, 2) for stream in streams)
    siblings = {kids[i]: kids[i + 1] for _, _, kids in entries for i in range(len(kids) - 1)}
    directory = b"".join(
        _dir_entry(name, kind, right=siblings.get(i, _NOSTREAM), child=kids[0] if kids else _NOSTREAM)
        for i, (name, kind, kids) in enumerate(entries)
    )
    dir_sectors = -(-len(directory) // 512)
    directory = directory.ljust(dir_sectors * 512, b"\x00")
    # Sector 0 is the FAT; sectors 1..n hold the directory, chained.
    fat = [_FATSECT] + [i + 1 for i in range(1, dir_sectors)] + [_END]
    fat_sector = struct.pack(f"<{len(fat)}I", *fat).ljust(512, b"\xff")
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
    header += struct.pack("<109I", 0, *([_FREE] * 108))
    assert len(header) == 512
    return header + fat_sector + directory


def doc() -> bytes:
    return cfb(["WordDocument", "1Table", "\x05SummaryInformation"])


def xls() -> bytes:
    return cfb(["Workbook", "\x05SummaryInformation"])


# --- things that must never get in -----------------------------------------------------------


def elf() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + struct.pack("<HHI", 2, 0x3E, 1) + b"\x00" * 200


def pe() -> bytes:
    stub = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + struct.pack("<I", 64)
    return stub + b"PE\x00\x00" + b"\x00" * 200
