"""The upload field every form uses for evidence: several files, checked before the service runs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from xuncha.files.checks import accept_attribute, check_uploads


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Up to ``max_count`` files in one input; each passes the same checks as ``file_store``.

    The pattern is Django's documented one for multiple uploads; ``clean`` returns a list.
    """

    widget = MultipleFileInput
    default_error_messages = {"too_many": _("一次最多上传 %(max)d 个文件。")}

    def __init__(self, *, max_count: int = 20, **kwargs: Any) -> None:
        self.max_count = max_count
        # Empty files are refused by check_uploads, whose message names the file; Django's does not.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", accept_attribute())

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not items:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(items) > self.max_count:
            raise ValidationError(self.error_messages["too_many"], code="too_many", params={"max": self.max_count})
        clean_one = super().clean  # FileField's own checks (a file was sent, name length)
        files = [clean_one(item, initial) for item in items]
        check_uploads(files)
        return files
