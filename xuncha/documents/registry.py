"""Which domain provides each kind of document: its sample context and its default template.

The engine knows the kinds by name (``kinds.py``) and how to render, check and build them; what a
kind says belongs to the domain that issues it. A domain registers its kinds from its
``AppConfig.ready()`` (``from . import documents``), so the kernel never imports a domain:

* ``sample`` gives the context an uploaded template must render with (same shape as the real one,
  made-up values; see ``validation.py``);
* ``builder`` writes the default Word template with python-docx (see ``build_templates.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from docx.document import Document as DocxDocument

from xuncha.documents.kinds import DocumentKind

SampleContext = Callable[[], dict[str, Any]]
TemplateBuilder = Callable[[DocxDocument], None]


@dataclass(frozen=True)
class Registration:
    kind: str
    sample: SampleContext
    builder: TemplateBuilder
    owner: str  # the registering module, named in errors


class UnregisteredKind(ImproperlyConfigured, LookupError):
    """A kind no installed domain has registered: a wiring mistake, not bad input."""


_REGISTRY: dict[str, Registration] = {}


def register(kind: str, *, sample: SampleContext, builder: TemplateBuilder) -> None:
    """Declare ``kind``'s sample context and template builder (once per kind, from one domain)."""
    kind = DocumentKind(kind).value  # a typo fails here, at start-up
    entry = Registration(kind=kind, sample=sample, builder=builder, owner=getattr(sample, "__module__", "?"))
    existing = _REGISTRY.get(kind)
    if existing is not None and (existing.sample, existing.builder) != (sample, builder):
        raise ImproperlyConfigured(
            f"Document kind {kind!r} is registered twice: by {existing.owner} and by {entry.owner}."
        )
    _REGISTRY[kind] = entry


def registration(kind: str) -> Registration:
    key = str(kind)  # a DocumentKind member or its value
    try:
        return _REGISTRY[key]
    except KeyError:
        raise UnregisteredKind(
            f"No domain has registered the document kind {key!r}: the app that issues it must call "
            "xuncha.documents.registry.register() from its AppConfig.ready() (is the app installed?)."
        ) from None


def sample_context(kind: str) -> dict[str, Any]:
    """The made-up context of ``kind`` that an uploaded template must render with."""
    return registration(kind).sample()


def builder(kind: str) -> TemplateBuilder:
    """The python-docx function that writes ``kind``'s default template."""
    return registration(kind).builder


def registered_kinds() -> list[str]:
    return sorted(_REGISTRY)


def missing_kinds() -> list[str]:
    """Kinds in the catalogue that no installed domain provides."""
    return [kind.value for kind in DocumentKind if kind.value not in _REGISTRY]
