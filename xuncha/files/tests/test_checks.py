"""The uploader's file name, cleaned for display. No database."""

import pytest

from xuncha.files.checks import NAME_MAX, clean_original_name


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("报告 2026.pdf", "报告 2026.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("D:\\巡察\\第三轮\\底稿.docx", "底稿.docx"),
        ("  名单\t.xlsx ", "名单.xlsx"),
        ("照片\u202egnp.exe", "照片gnp.exe"),
        ("", ""),
        (None, ""),
    ],
)
def test_name_is_the_last_path_part_without_control_characters(raw, clean):
    assert clean_original_name(raw) == clean


def test_long_name_is_shortened_keeping_its_extension():
    name = clean_original_name("很" * 300 + ".pdf")
    assert len(name) == NAME_MAX and name.endswith("很.pdf")


def test_decomposed_characters_are_composed():
    assert clean_original_name("Cafe\u0301.txt") == "Café.txt"
