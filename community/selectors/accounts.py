"""Reads of accounts (public users, roles, tier progress) and the one image pipeline for uploads.

The image pipeline (avatars, community covers, and the other apps' uploads) size-checks, verifies,
decodes fully, orients by the EXIF tag and re-encodes every upload, so what we store never
carries the uploader's metadata (GPS, camera serial) or a crafted payload. It only computes:
storing the result is the calling service's job.
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.shortcuts import get_object_or_404
from PIL import Image, ImageOps, UnidentifiedImageError

from community.exceptions import ImageTooLargeError, InvalidImageError
from community.models import Role, TierBenefit, User


def user_get_public(*, username: str) -> User:
    return get_object_or_404(User.objects.filter(is_active=True), username__iexact=username)


def user_roles(user: User) -> list[str]:
    roles = {grant.role for grant in user.role_grants.all()}
    if user.is_superuser:
        roles.add("staff")
    return sorted(roles)


def can_moderate_content(user) -> bool:
    """Staff and moderators (and superusers) publish, hide and remove members' content."""
    if user is None or not user.is_authenticated:
        return False
    return bool({Role.STAFF, Role.MODERATOR} & set(user_roles(user)))


def tier_progress(user: User) -> dict | None:
    """The next tier, its growth threshold and how much growth value is still missing."""
    current = TierBenefit.objects.filter(tier=user.tier).values_list("rank", flat=True).first() or 0
    following = TierBenefit.objects.filter(rank__gt=current).order_by("rank").first()
    if following is None:
        return None
    return {
        "tier": following.tier,
        "threshold": following.threshold,
        "growth_needed": max(0, following.threshold - user.growth_value),
    }


# --- the image pipeline ------------------------------------------------------------------------

MAX_UPLOAD_BYTES: int = settings.IMAGE_MAX_UPLOAD_BYTES
MAX_PIXELS: int = settings.IMAGE_MAX_PIXELS
AVATAR_MAX_SIDE: int = settings.AVATAR_MAX_SIDE

# Pillow warns at MAX_IMAGE_PIXELS and refuses at twice that; the pipeline turns the warning into
# an error below, so anything above the cap is refused before it is decoded.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

# Pillow format name -> (file extension, the mode we re-encode in when the source mode is unusual).
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
_DECODE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


@dataclass(frozen=True)
class ProcessedImage:
    content: ContentFile
    extension: str
    width: int
    height: int


def _read_capped(upload) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ImageTooLargeError(f"Images may be at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
    if hasattr(upload, "seek"):
        upload.seek(0)
    raw = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ImageTooLargeError(f"Images may be at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
    if not raw:
        raise InvalidImageError("The file is empty.")
    return raw


def _check_pixels(width: int, height: int) -> None:
    if width * height > MAX_PIXELS or width <= 0 or height <= 0:
        raise ImageTooLargeError(f"Images may have at most {MAX_PIXELS // 1_000_000} megapixels.")


def _normalise_mode(image: Image.Image, image_format: str) -> Image.Image:
    if image_format == "JPEG":
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    if image.mode in ("RGB", "RGBA", "L", "LA"):
        return image
    has_alpha = (image.mode in ("P", "PA") and "transparency" in image.info) or "A" in image.mode
    return image.convert("RGBA" if has_alpha else "RGB")


def process_image(upload, *, max_side: int | None = None) -> ProcessedImage:
    """Validate and re-encode an uploaded image; raise invalid_image / image_too_large."""
    raw = _read_capped(upload)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(raw)) as probe:
                image_format = probe.format or ""
                if image_format not in ALLOWED_FORMATS:
                    raise InvalidImageError()
                _check_pixels(*probe.size)
                probe.verify()
            # verify() leaves the image unusable and does not decode pixel data: reopen and
            # decode everything, which is what catches truncated files.
            decoded = Image.open(io.BytesIO(raw))
            if max_side is not None:
                # JPEG's DCT scaling: decode straight at the smallest 1/2, 1/4 or 1/8 scale that
                # still covers max_side, so a 40 MP photo never takes 160 MB on its way to
                # 2048 px (other formats ignore the draft and decode in full).
                decoded.draft(None, (max_side, max_side))
            decoded.load()
        except (ImageTooLargeError, InvalidImageError):
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageTooLargeError(
                f"Images may have at most {MAX_PIXELS // 1_000_000} megapixels."
            ) from exc
        except _DECODE_ERRORS as exc:
            raise InvalidImageError() from exc
    try:
        image: Image.Image = ImageOps.exif_transpose(decoded)
        image = _normalise_mode(image, image_format)
        if max_side is not None and max(image.size) > max_side:
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        # Only what we pass to save() is written: no EXIF, XMP, ICC or text chunks survive.
        image.info = {}
        out = io.BytesIO()
        options: dict = {"optimize": True}
        if image_format in ("JPEG", "WEBP"):
            options["quality"] = 85
        image.save(out, format=image_format, **options)
    except _DECODE_ERRORS as exc:
        raise InvalidImageError() from exc
    return ProcessedImage(
        content=ContentFile(out.getvalue()),
        extension=ALLOWED_FORMATS[image_format],
        width=image.width,
        height=image.height,
    )


def process_avatar(upload) -> ProcessedImage:
    """The image pipeline with avatars' size limit (at most 512x512)."""
    return process_image(upload, max_side=AVATAR_MAX_SIDE)


def webp_thumbnail(stored_file, *, side: int) -> ContentFile:
    """A WebP no larger than ``side`` on its long edge, from an image this pipeline stored."""
    stored_file.open("rb")
    try:
        with Image.open(stored_file) as source:
            source.load()
            image = source.convert("RGBA" if "A" in source.getbands() else "RGB")
    finally:
        stored_file.close()
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=80, method=4)
    return ContentFile(out.getvalue())
