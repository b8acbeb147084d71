"""docs/permissions.md is generated from accounts/permissions/codes.py; these tests keep the two in step.

Neither test is marked ``django_db``: pytest-django would fail them if the command touched the
database, which is part of the contract (it must run in a bare checkout).
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command


def _doc() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "permissions.md"


def test_permissions_doc_matches_the_code():
    # On failure the message says how to regenerate the file.
    call_command("permissions_matrix", check=str(_doc()))


def test_check_fails_on_a_stale_copy(tmp_path):
    stale = tmp_path / "permissions.md"
    stale.write_text(_doc().read_text(encoding="utf-8").replace("✓", "", 1), encoding="utf-8")
    with pytest.raises(CommandError, match=r"permissions_matrix > docs/permissions\.md"):
        call_command("permissions_matrix", check=str(stale))
