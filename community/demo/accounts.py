"""Avatars for demo members, drawn with Pillow: a coloured disc with the member's initial."""

import hashlib
import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

PALETTE = ["#e02e24", "#f97316", "#eab308", "#16a34a", "#0891b2", "#2563eb", "#7c3aed", "#db2777"]


def avatar_png(seed: str, initial: str, size: int = 256) -> ContentFile:
    digest = hashlib.sha256(seed.encode()).digest()
    colour = PALETTE[digest[0] % len(PALETTE)]
    image = Image.new("RGB", (size, size), colour)
    # A second, lighter disc gives each avatar a little shape of its own. An RGB image ignores
    # alpha in a fill colour, so the disc is blended in through its own layer.
    offset = digest[1] % (size // 2)
    disc = Image.new("L", (size, size), 0)
    ImageDraw.Draw(disc).ellipse((offset, offset, offset + size, offset + size), fill=48)
    image.paste((255, 255, 255), mask=disc)
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.load_default(size=size // 2)
    except TypeError:
        font = ImageFont.load_default()
    draw.text((size / 2, size / 2), initial[:1].upper(), fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{seed}.png")
