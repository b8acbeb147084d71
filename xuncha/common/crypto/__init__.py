"""Encryption at rest (envelope encryption with SM4-GCM) for public reports and their files.

Master keys (KEKs) come from the environment or a key file, never from the database
(``keys.py``). Each record gets its own random data key (DEK), stored with the record only in
wrapped form (``envelope.py``). Fields are sealed with the DEK and a context naming field and
record (``sealing.py``); files are sealed as a stream of authenticated frames (``stream.py``).

Typical use in a service::

    dk = new_data_key()
    report.wrapped_key = dk.wrapped  # CharField(max_length=WRAPPED_KEY_MAX_LENGTH)
    report.text_sealed = seal_text(dk.plain, text, context=f"report:{report.pk}:text")
    ...
    text = open_text(unwrap(report.wrapped_key), report.text_sealed, context=f"report:{report.pk}:text")

Rotation: put a new key first in the key file, restart, then ``rewrap`` every stored wrapped key.
"""

from xuncha.common.crypto import checks as _checks  # noqa: F401  (registers the deploy check)
from xuncha.common.crypto.envelope import (
    WRAPPED_KEY_MAX_LENGTH,
    DataKey,
    new_data_key,
    rewrap,
    unwrap,
    wrapped_key_id,
)
from xuncha.common.crypto.keys import active_key_id, generate_key_line, master_keys_configured
from xuncha.common.crypto.primitives import DecryptionError
from xuncha.common.crypto.sealing import open_sealed, open_text, seal, seal_text
from xuncha.common.crypto.stream import open_stream, seal_stream, sealed_size

__all__ = [
    "WRAPPED_KEY_MAX_LENGTH",
    "DataKey",
    "DecryptionError",
    "active_key_id",
    "generate_key_line",
    "master_keys_configured",
    "new_data_key",
    "open_sealed",
    "open_stream",
    "open_text",
    "rewrap",
    "seal",
    "seal_stream",
    "seal_text",
    "sealed_size",
    "unwrap",
    "wrapped_key_id",
]
