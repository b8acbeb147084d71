"""The upload form of a replacement template: parse; the service checks and decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.accounts.forms import UnitChoiceField
from xuncha.accounts.models import OrgUnit
from xuncha.common.forms import StyledFormMixin
from xuncha.documents.kinds import DocumentKind


class TemplateUploadForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("公文种类"), choices=DocumentKind.choices)
    jurisdiction = UnitChoiceField(label=_("适用行政区域"), queryset=OrgUnit.objects.none())
    upload = forms.FileField(
        label=_("模板文件"),
        help_text=_("Word 文档（.docx）。建议先下载在用模板，在 Word 中修改文字和版式，保留 {{ }} 标记。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )

    def __init__(self, *args: Any, jurisdictions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions
