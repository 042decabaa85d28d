"""Uploaded figures: PNG or JPEG only, bounded in bytes and pixels, re-encoded without metadata."""

import hashlib
import io
import re
import threading
import warnings
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageFile

from portal.documents.errors import FigureError

MAX_FIGURE_BYTES = 5 * 1024 * 1024
MAX_FIGURE_PIXELS = 12_000_000
# Names end up in URLs (`figure:NAME`, web routes) and in Markdown: keep them plain.
FIGURE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")

_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
_TRUNCATED_FLAG = threading.Lock()
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"))


@dataclass(frozen=True)
class FigureImage:
    """A validated figure, ready for the web page and the PDF."""

    name: str
    media_type: str
    data: bytes
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def prepare_figure(
    name: str, raw: bytes, *, max_bytes: int = MAX_FIGURE_BYTES, max_pixels: int = MAX_FIGURE_PIXELS
) -> FigureImage:
    """Check an upload and re-encode it; raise FigureError with a message for the user."""
    if not FIGURE_NAME.match(name or ""):
        raise FigureError(_l("A figure name may only use letters, digits, dots, dashes and underscores."))
    if len(raw) > max_bytes:
        raise FigureError(
            _l(
                "The figure is too large (%(size)s MB, at most %(limit)s MB).",
                size=_mb(len(raw)),
                limit=_mb(max_bytes),
            )
        )
    expected = next((fmt for signature, fmt in _SIGNATURES if raw.startswith(signature)), None)
    if expected is None:
        raise FigureError(_l("A figure must be a PNG or JPEG image."))
    image = _open(raw, expected, max_pixels)
    return FigureImage(name, _FORMATS[expected], _reencode(image, expected), image.width, image.height)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def _open(raw: bytes, expected: str, max_pixels: int) -> Image.Image:
    too_many = _l(
        "The figure has too many pixels (at most %(limit)s million).", limit=max_pixels // 1_000_000
    )
    try:
        with warnings.catch_warnings():
            # Pillow warns, then raises, above MAX_IMAGE_PIXELS; our own limit is checked first.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(raw), formats=[expected])
            # Only the header is read so far: refuse a bomb before decoding its pixels.
            if image.width * image.height > max_pixels:
                raise FigureError(too_many)
            _load_strictly(image)
    except FigureError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise FigureError(too_many) from None
    except Exception:  # Pillow raises many kinds of errors on broken files
        raise FigureError(_l("The figure could not be read: is it a valid PNG or JPEG image?")) from None
    return image


def _load_strictly(image: Image.Image) -> None:
    # Importing WeasyPrint sets Pillow's global LOAD_TRUNCATED_IMAGES; a truncated upload must
    # still be refused, so the flag is off while our own image decodes.
    with _TRUNCATED_FLAG:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            image.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _reencode(image: Image.Image, fmt: str) -> bytes:
    # Saving only the pixels drops EXIF, XMP, ICC-free text chunks and comments.
    if fmt == "JPEG":
        image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
        options = {"quality": 90, "optimize": True}
    else:
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            image = image.convert("RGBA")
        options = {"optimize": True}
    clean = Image.new(image.mode, image.size)
    if image.mode == "P":
        clean.putpalette(image.getpalette())
        if "transparency" in image.info:
            options["transparency"] = image.info["transparency"]
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, format=fmt, **options)
    return out.getvalue()
