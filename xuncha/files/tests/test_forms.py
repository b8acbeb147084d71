"""The upload field: the same checks as the service, shown next to the field."""

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from xuncha.files.forms import EvidenceFilesField
from xuncha.files.tests import samples


class EvidenceForm(forms.Form):
    files = EvidenceFilesField(label="证据材料", max_count=3)


class OptionalForm(forms.Form):
    files = EvidenceFilesField(required=False)


def bound(form_class, *uploads):
    return form_class(data={}, files=MultiValueDict({"files": list(uploads)}))


def upload(name, data):
    return SimpleUploadedFile(name, data)


def test_several_good_files_clean_to_a_list():
    form = bound(EvidenceForm, upload("a.pdf", samples.pdf()), upload("b.xlsx", samples.xlsx()))
    assert form.is_valid(), form.errors
    assert [f.name for f in form.cleaned_data["files"]] == ["a.pdf", "b.xlsx"]


def test_each_bad_file_is_named_in_the_field_errors():
    form = bound(
        EvidenceForm, upload("a.pdf", samples.pdf()), upload("工具.pdf", samples.elf()), upload("图.pdf", samples.png())
    )
    assert not form.is_valid()
    errors = form.errors["files"]
    assert len(errors) == 2
    assert "工具.pdf" in errors[0] and "不是允许的格式" in errors[0]
    assert "图.pdf" in errors[1] and ".png" in errors[1]


def test_size_is_checked_in_the_form(settings):
    settings.FILES_MAX_UPLOAD_MB = 1
    form = bound(EvidenceForm, upload("大.pdf", b"%PDF-" + b"0" * (1024 * 1024)))
    assert not form.is_valid()
    assert form.errors["files"] == ["文件“大.pdf”超过 1 MB 的上限。"]


def test_empty_file_message_names_the_file():
    form = bound(EvidenceForm, upload("空.txt", b""))
    assert not form.is_valid()
    assert form.errors["files"] == ["文件“空.txt”是空文件。"]


def test_too_many_files_are_refused():
    form = bound(EvidenceForm, *[upload(f"{i}.pdf", samples.pdf()) for i in range(4)])
    assert not form.is_valid()
    assert form.errors["files"] == ["一次最多上传 3 个文件。"]


def test_default_maximum_is_twenty():
    assert EvidenceFilesField().max_count == 20


@pytest.mark.parametrize(("form_class", "valid"), [(EvidenceForm, False), (OptionalForm, True)])
def test_no_file_at_all(form_class, valid):
    form = bound(form_class)
    assert form.is_valid() is valid
    if valid:
        assert form.cleaned_data["files"] == []


def test_widget_lets_the_browser_pick_several_allowed_files():
    html = str(EvidenceForm()["files"])
    assert 'type="file"' in html and "multiple" in html
    assert 'accept=".pdf,.ofd,.docx,.xlsx,.pptx,.doc,.xls,.jpg,.jpeg,.png,.txt"' in html
