"""The sniffer on real bytes of every allowed kind and on things that must never pass. No database."""

import io
import struct

import pytest

from xuncha.files.models import Kind
from xuncha.files.sniff import HEAD_SIZE, KINDS, Problem, sniff
from xuncha.files.tests import samples


def kind_of(data: bytes):
    return sniff(io.BytesIO(data))


def test_every_kind_has_a_label_and_a_content_type():
    assert set(KINDS) == set(Kind.values)


@pytest.mark.parametrize(
    ("builder", "kind"),
    [
        (samples.pdf, "pdf"),
        (samples.png, "png"),
        (samples.jpg, "jpg"),
        (samples.docx, "docx"),
        (samples.xlsx, "xlsx"),
        (samples.pptx, "pptx"),
        (samples.ofd, "ofd"),
        (samples.doc, "doc"),
        (samples.xls, "xls"),
    ],
)
def test_allowed_kinds_are_recognised(builder, kind):
    result = kind_of(builder())
    assert (result.kind, result.problem) == (kind, Problem.NONE)
    assert result.content_type == KINDS[kind].content_type


@pytest.mark.parametrize(
    ("data", "charset"),
    [
        ("整改台账：已完成 3 项。\r\n\tOK\n".encode(), "utf-8"),
        ("\ufeff带 BOM 的记事本文件".encode(), "utf-8"),
        ("旧版记事本以 GBK 保存的谈话记录".encode("gb18030"), "gb18030"),
    ],
)
def test_plain_text_in_the_charsets_chinese_offices_use(data, charset):
    result = kind_of(data)
    assert (result.kind, result.charset) == ("txt", charset)
    assert result.content_type == f"text/plain; charset={charset}"


def test_text_longer_than_the_head_may_end_inside_a_character():
    data = ("巡" * HEAD_SIZE).encode()  # 3 bytes each: the head cuts a character in two
    assert kind_of(data).kind == "txt"


@pytest.mark.parametrize(
    "data",
    [
        samples.elf(),
        samples.pe(),
        b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 64,  # Mach-O 64-bit
        b"\xca\xfe\xba\xbe\x00\x00\x00\x02" + b"\x00" * 64,  # Mach-O universal
        b"#!/bin/sh\nrm -rf /\n",
    ],
    ids=["elf", "pe", "macho", "fat-macho", "script"],
)
def test_executables_are_named_as_such(data):
    assert kind_of(data).problem == Problem.EXECUTABLE


@pytest.mark.parametrize(
    "data",
    [
        b"",
        bytes(range(256)) * 4,  # binary
        b"text with a NUL\x00 inside",
        b"text with an escape \x1b[31m",
        b"GIF89a\x01\x00\x01\x00",  # an image, but not on the list
        samples.zip_of({"report.pdf": samples.pdf()}),  # archives hide their content
        samples.zip_of({"META-INF/MANIFEST.MF": b"Main-Class: X"}),  # a Java archive
        samples.zip_of({"[Content_Types].xml": b"", "word/a.xml": b"", "xl/b.xml": b""}),  # ambiguous
        b"PK\x03\x04" + b"\x00" * 100,  # a ZIP signature with nothing behind it
        samples.cfb(["\x05SummaryInformation", "!_StringData"]),  # an .msi installer is OLE2 too
        samples.cfb(["WordDocument"])[:600],  # truncated compound file
    ],
    ids=["empty", "binary", "nul", "escape", "gif", "zip", "jar", "ambiguous", "bad-zip", "msi", "truncated-ole"],
)
def test_everything_else_is_unknown(data):
    result = kind_of(data)
    assert (result.kind, result.problem) == ("", Problem.UNKNOWN)


@pytest.mark.parametrize(
    "data",
    [
        samples.docm(),
        samples.cfb(["WordDocument", "1Table"], nested={"Macros": ["PROJECT"]}),
        samples.cfb(["Workbook"], nested={"_VBA_PROJECT_CUR": ["PROJECT"]}),
    ],
    ids=["docm", "doc", "xls"],
)
def test_macros_are_refused_whatever_the_container(data):
    assert kind_of(data).problem == Problem.MACRO


def test_password_protected_office_file_is_flagged_encrypted():
    data = samples.cfb(["EncryptionInfo", "EncryptedPackage"])
    assert kind_of(data).problem == Problem.ENCRYPTED


def test_ole2_type_comes_from_the_top_level_not_from_embedded_objects():
    # An Excel sheet embedded in a Word document lives in a nested storage: still a .doc.
    data = samples.cfb(["WordDocument", "1Table"], nested={"ObjectPool": ["Workbook"]})
    assert kind_of(data).kind == "doc"
    data = samples.cfb(["Workbook"], nested={"MBD0001": ["WordDocument"]})
    assert kind_of(data).kind == "xls"


def test_directory_spanning_several_sectors_is_read():
    streams = [f"Stream{i}" for i in range(9)] + ["Workbook"]  # 11 entries: three directory sectors
    assert kind_of(samples.cfb(streams)).kind == "xls"


def test_a_compound_file_whose_directory_chain_loops_is_refused_not_hung():
    data = bytearray(samples.cfb(["WordDocument"]))
    struct.pack_into("<I", data, 512 + 4, 1)  # FAT: directory sector 1 points to itself
    assert kind_of(bytes(data)).problem == Problem.UNKNOWN


def test_sniffing_leaves_the_file_at_the_start():
    f = io.BytesIO(samples.docx())
    sniff(f)
    assert f.tell() == 0
