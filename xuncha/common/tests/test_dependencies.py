"""Every dependency declared in pyproject.toml is pinned in requirements.lock (a clean machine
installs only the lock file, so a package installed by hand would otherwise pass locally)."""

import re
import tomllib

from django.conf import settings


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=~! ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_every_declared_dependency_is_locked():
    project = tomllib.loads((settings.BASE_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    locked = {
        _name(line)
        for line in (settings.BASE_DIR / "requirements.lock").read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert not declared - locked, f"not in requirements.lock: {sorted(declared - locked)}"


def test_every_installed_app_is_locked():
    """Third-party apps in INSTALLED_APPS come from a locked distribution."""
    import importlib.metadata as md

    locked = {_name(line) for line in (settings.BASE_DIR / "requirements.lock").read_text().splitlines() if line}
    packages = md.packages_distributions()
    missing = []
    for app in settings.INSTALLED_APPS:
        top = app.split(".")[0]
        if top in ("django", "xuncha"):
            continue
        dists = {_name(d) for d in packages.get(top, [])}
        if not dists & locked:
            missing.append(app)
    assert not missing, f"apps whose package is not in requirements.lock: {missing}"
