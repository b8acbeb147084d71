"""SM4-GCM, the one cipher of this package, through ``cryptography`` (never hand-rolled).

``cryptography`` offers SM4 only through the low-level ``Cipher`` API (there is no ``SM4GCM`` AEAD
class), so the two functions here give it the AEAD shape the rest of the package needs: one call
to encrypt, one to decrypt, and no plaintext released before the tag has been checked.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

KEY_SIZE = 16  # SM4 has 128-bit keys only
NONCE_SIZE = 12  # the GCM nonce length that needs no extra GHASH step (NIST SP 800-38D)
TAG_SIZE = 16  # full-length tags: truncated GCM tags weaken forgery resistance


class DecryptionError(Exception):
    """A ciphertext could not be opened: tampered, truncated, wrong key or wrong context.

    Deliberately one error for all of these: telling an attacker *which* check failed helps them.
    """


def check_key(key: bytes) -> None:
    if not isinstance(key, bytes) or len(key) != KEY_SIZE:
        raise ValueError(f"An SM4 key is exactly {KEY_SIZE} bytes.")


def random_bytes(size: int) -> bytes:
    # os.urandom is the kernel CSPRNG (getrandom(2)); it is what ``secrets`` uses too.
    return os.urandom(size)


def encrypt(key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """``ciphertext || tag`` of ``plaintext`` under ``key``, binding ``aad``."""
    check_key(key)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    body = encryptor.update(plaintext) + encryptor.finalize()
    return body + encryptor.tag


def decrypt(key: bytes, nonce: bytes, ciphertext_and_tag: bytes, aad: bytes) -> bytes:
    """Inverse of :func:`encrypt`; ``DecryptionError`` unless the tag verifies."""
    check_key(key)
    if len(nonce) != NONCE_SIZE or len(ciphertext_and_tag) < TAG_SIZE:
        raise DecryptionError("Ciphertext is truncated.")
    body, tag = ciphertext_and_tag[:-TAG_SIZE], ciphertext_and_tag[-TAG_SIZE:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    # update() returns unverified bytes; they are only returned once finalize() checked the tag.
    plaintext = decryptor.update(body)
    try:
        return plaintext + decryptor.finalize()
    except InvalidTag:
        raise DecryptionError("Ciphertext failed authentication (tampered, wrong key or wrong context).") from None
