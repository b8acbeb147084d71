"""The domains register every kind of document; a kind nobody provides fails loudly, by name."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from xuncha.documents import build_templates, registry, validation
from xuncha.documents.checks import document_kinds_registered
from xuncha.documents.kinds import SPECS, DocumentKind


@pytest.fixture
def without_announcement(monkeypatch):
    kept = {k: v for k, v in registry._REGISTRY.items() if k != DocumentKind.ANNOUNCEMENT}
    monkeypatch.setattr(registry, "_REGISTRY", kept)


def test_every_kind_in_the_catalogue_is_provided_by_a_domain():
    assert registry.missing_kinds() == []
    assert registry.registered_kinds() == sorted(SPECS)
    assert document_kinds_registered() == []


def test_each_kind_is_registered_by_the_domain_that_issues_it():
    owners = {kind: registry.registration(kind).owner.split(".")[1] for kind in SPECS}
    assert owners[DocumentKind.ANNOUNCEMENT] == "plans"
    assert owners[DocumentKind.FEEDBACK_OPINION] == "findings"
    assert owners[DocumentKind.TRANSFER_LETTER] == "transfers"
    assert owners[DocumentKind.RECTIFICATION_PLAN] == "rectification"
    assert owners[DocumentKind.SITUATION_REPORT] == "analytics"


def test_an_unregistered_kind_is_a_clear_error(without_announcement):
    with pytest.raises(registry.UnregisteredKind, match="'announcement'.*AppConfig.ready"):
        registry.sample_context(DocumentKind.ANNOUNCEMENT)
    with pytest.raises(registry.UnregisteredKind, match="'announcement'"):
        build_templates.build(DocumentKind.ANNOUNCEMENT)
    # Not dressed up as "your file is broken": it is a wiring mistake of ours.
    data = SPECS[DocumentKind.TEAM_AUTHORISATION].default_path.read_bytes()
    with pytest.raises(registry.UnregisteredKind):
        validation.check_template(DocumentKind.ANNOUNCEMENT, data)
    [error] = document_kinds_registered()
    assert error.id == "documents.E001" and "'announcement'" in error.msg


def test_a_kind_registered_twice_by_different_code_is_refused(monkeypatch):
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    entry = registry.registration(DocumentKind.ANNOUNCEMENT)
    registry.register(DocumentKind.ANNOUNCEMENT, sample=entry.sample, builder=entry.builder)  # the same: fine
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        registry.register(DocumentKind.ANNOUNCEMENT, sample=dict, builder=entry.builder)


def test_a_name_outside_the_catalogue_cannot_be_registered():
    with pytest.raises(ValueError):
        registry.register("memo", sample=dict, builder=lambda doc: None)
