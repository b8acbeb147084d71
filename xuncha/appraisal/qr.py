"""QR codes as inline SVG, made on the server (qrcode, already a dependency): no image files, no
network, crisp when printed."""

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str) -> SafeString:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=2)
    code.add_data(url)
    image = code.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    # The library's own output (path data and numbers only): nothing of the user's is inside.
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308
