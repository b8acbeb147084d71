"""SHA-256 and SM3 of a stream, computed together in one pass.

SHA-256 is what everyone can check with standard tools; SM3 is what government deployments are
required to use (GB/T 32905). Both use the same library calls as ``xuncha.audit.chain.sm3_hex``,
only incrementally, so a 50 MB upload is never held in memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from cryptography.hazmat.primitives import hashes


class Digests:
    def __init__(self) -> None:
        self._sha256 = hashlib.sha256()
        self._sm3 = hashes.Hash(hashes.SM3())
        self.size = 0

    def update(self, data: bytes) -> None:
        self._sha256.update(data)
        self._sm3.update(data)
        self.size += len(data)

    @property
    def sha256(self) -> str:
        return self._sha256.hexdigest()

    @property
    def sm3(self) -> str:
        # finalize() ends a cryptography Hash; a copy keeps this one usable.
        return self._sm3.copy().finalize().hex()


def digests_of(chunks: Iterable[bytes]) -> Digests:
    digests = Digests()
    for chunk in chunks:
        digests.update(chunk)
    return digests
