"""The layers hold (import-linter, as `make lint` runs it), and the check can fail: a domain import
added to a kernel module, or an import against the lifecycle, breaks `make lint`."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

LINT = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--no-cache"],  # reads root/pyproject.toml (the working directory)
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root), "NO_COLOR": "1", "COLUMNS": "200"},
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the package and its contracts, to break on purpose."""
    base = Path(settings.BASE_DIR)
    shutil.copytree(base / "xuncha", tmp_path / "xuncha", ignore=shutil.ignore_patterns("__pycache__", "*.docx"))
    shutil.copy(base / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")


def test_main_keeps_every_contract(tree):
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


def test_a_domain_import_in_the_kernel_breaks_lint(tree):
    _append(tree / "xuncha/common/pagination.py", "from xuncha.plans.models import Round  # noqa")
    result = _lint(tree)
    assert result.returncode != 0
    assert "The kernel never imports a domain BROKEN" in result.stdout
    assert "xuncha.common.pagination -> xuncha.plans.models" in result.stdout


def test_an_import_against_the_lifecycle_breaks_lint(tree):
    _append(tree / "xuncha/plans/selectors.py", "from xuncha.rectification.models import Task  # noqa")
    result = _lint(tree)
    assert result.returncode != 0
    assert "Domains import each other only in the lifecycle's direction BROKEN" in result.stdout
