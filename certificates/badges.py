"""The certificate as a baked Open Badges image: a PNG drawn here (Pillow, the shipped
DejaVu fonts) with the signed credential inside (certificates/vc/baking.py). Wallets and
backpacks read the credential out of the image; people see the course and the hours."""

from __future__ import annotations

import io
import textwrap
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageColor, ImageDraw, ImageFont

from core.models import Organisation

from .models import Certificate
from .vc import baking

SIZE = 512


@lru_cache(maxsize=8)
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    path = Path(settings.STATICFILES_DIRS[0]) / "fonts" / name
    return ImageFont.truetype(str(path), size)


def _accent(organisation: Organisation) -> tuple[int, int, int]:
    try:
        return ImageColor.getrgb(organisation.accent_colour or "#1d4f91")[:3]
    except ValueError:
        return (29, 79, 145)


def badge_image(certificate: Certificate) -> bytes:
    organisation = Organisation.current()
    accent = _accent(organisation)
    image = Image.new("RGBA", (SIZE, SIZE), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), fill=accent)
    draw.ellipse((36, 36, SIZE - 36, SIZE - 36), fill="white")
    centre = SIZE // 2
    hours = f"{certificate.hours.normalize():f}"
    unit = certificate.credit_unit or "hours"
    draw.text((centre, 150), hours, font=_font("DejaVuSans-Bold.ttf", 72), fill=accent, anchor="mm")
    draw.text((centre, 205), unit, font=_font("DejaVuSans.ttf", 28), fill="black", anchor="mm")
    lines = textwrap.wrap(certificate.course_title, width=22)[:4]
    title_font = _font("DejaVuSans-Bold.ttf", 26)
    for number, line in enumerate(lines):
        draw.text((centre, 260 + number * 34), line, font=title_font, fill="black", anchor="mm")
    organisation_font = _font("DejaVuSans.ttf", 20)
    name = textwrap.shorten(organisation.name, width=34, placeholder="…")
    draw.text((centre, 420), name, font=organisation_font, fill="#444444", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def baked_badge(certificate: Certificate) -> bytes:
    return baking.bake(badge_image(certificate), certificate.credential_json)
