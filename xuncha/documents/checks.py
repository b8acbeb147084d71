"""System check: every kind in the catalogue has a domain that provides it (see registry.py)."""

from __future__ import annotations

from typing import Any

from django.core import checks

from xuncha.documents.registry import missing_kinds


@checks.register()
def document_kinds_registered(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"No installed app registers the document kind {kind!r}.",
            hint="The app that issues it calls xuncha.documents.registry.register() from its AppConfig.ready().",
            id="documents.E001",
        )
        for kind in missing_kinds()
    ]
