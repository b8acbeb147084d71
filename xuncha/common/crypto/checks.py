"""System check: production must not start without real master keys (``manage.py check --deploy``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from xuncha.common.crypto.keys import keyring, master_keys_configured

HINT = "See docs/deploy.md, 'Encryption keys'; generate a key with `manage.py crypto_keys generate`."


def _inside(path: Path, folder: str | Path | None) -> bool:
    return folder is not None and path.resolve().is_relative_to(Path(folder).resolve())


def _key_file_warnings() -> list[CheckMessage]:
    key_file = getattr(settings, "XUNCHA_MASTER_KEY_FILE", "")
    if not key_file:
        return []
    path = Path(key_file)
    # Copies of the code tree and of MEDIA_ROOT travel (releases, rsync backups): the key must not.
    for folder in (getattr(settings, "BASE_DIR", None), settings.MEDIA_ROOT):
        if _inside(path, folder):
            msg = f"XUNCHA_MASTER_KEY_FILE {path} lies inside {folder}; keep it apart from code and data."
            return [Warning(msg, hint=HINT, id="common.W001")]
    return []


@register(Tags.security, deploy=True)
def check_master_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not master_keys_configured():
        if settings.DEBUG:
            return [Warning("No master key configured: a development key is in use.", hint=HINT, id="common.W002")]
        return [
            Error(
                "No master key configured (XUNCHA_MASTER_KEY_FILE or XUNCHA_MASTER_KEYS).", hint=HINT, id="common.E001"
            )
        ]
    try:
        keyring()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), hint=HINT, id="common.E002")]
    return _key_file_warnings()
