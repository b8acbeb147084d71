"""What the enrolment page shows: the otpauth:// address as a QR code drawn on the server (inline
SVG, no image request, nothing sent to a third party) and the secret for typing in by hand."""

from __future__ import annotations

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice


def secret_base32(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode("ascii").rstrip("=")


def secret_groups(device: TOTPDevice) -> list[str]:
    """The secret in groups of four, the way apps show it and people copy it."""
    secret = secret_base32(device)
    return [secret[i : i + 4] for i in range(0, len(secret), 4)]


def otpauth_uri(device: TOTPDevice) -> str:
    """otpauth://totp/… with the issuer from settings.OTP_TOTP_ISSUER ("Xuncha 巡察")."""
    return device.config_url


def qr_svg(uri: str) -> SafeString:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=2)
    code.add_data(uri)
    image = code.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    # The library's own output (path data and numbers only): nothing of the user's is inside as text.
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308
