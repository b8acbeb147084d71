"""System check: production must not write the audit log without its keys (``check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from xuncha.audit.keys import audit_keys_configured, mac_keyring, signing_keyring

HINT = "See docs/deploy.md, 'Audit keys and checkpoints'; generate keys with `manage.py audit_keys generate`."


@register(Tags.security, deploy=True)
def check_audit_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    if not audit_keys_configured():
        if settings.DEBUG:
            return [
                Warning(
                    "No audit MAC or signing key configured: development keys are in use.", hint=HINT, id="audit.W001"
                )
            ]
        return [
            Error(
                "Audit keys missing (XUNCHA_AUDIT_MAC_KEY_FILE and XUNCHA_AUDIT_SIGNING_KEY_FILE).",
                hint=HINT,
                id="audit.E001",
            )
        ]
    try:
        mac_keyring()
        signing_keyring()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), hint=HINT, id="audit.E002")]
    if not getattr(settings, "XUNCHA_AUDIT_ANCHOR_FILE", "") and not getattr(settings, "XUNCHA_AUDIT_SYSLOG", ""):
        messages.append(
            Warning(
                "Signed checkpoints are kept only in the database: set XUNCHA_AUDIT_ANCHOR_FILE (another volume) "
                "and/or XUNCHA_AUDIT_SYSLOG so that a cut tail can be proven.",
                hint=HINT,
                id="audit.W002",
            )
        )
    return messages
