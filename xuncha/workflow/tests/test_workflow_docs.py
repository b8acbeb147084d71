"""docs/workflow.md is generated from the transition tables and must match them."""

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command


def test_workflow_doc_matches_the_code():
    call_command("workflow_docs", "--check", str(settings.BASE_DIR / "docs" / "workflow.md"))


def test_a_stale_doc_is_caught(tmp_path):
    stale = tmp_path / "workflow.md"
    stale.write_text("# old\n", encoding="utf-8")
    with pytest.raises(CommandError, match="out of date"):
        call_command("workflow_docs", "--check", str(stale))
