"""Uploaded figures: PNG and JPEG only, within bounds, re-encoded without their metadata."""

import io
import os

import pytest
from PIL import Image, PngImagePlugin

from portal.documents import FigureError, prepare_figure
from tests.documents.conftest import make_png


def png_with_text_chunk() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "SECRET-AUTHOR-NAME")
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 200)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010E] = "SECRET-DESCRIPTION"  # ImageDescription
    exif[0x013B] = "SECRET-ARTIST"  # Artist
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 120, 10)).save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_png_is_accepted_and_its_text_chunks_dropped():
    raw = png_with_text_chunk()
    assert b"SECRET-AUTHOR-NAME" in raw
    figure = prepare_figure("plot.png", raw)
    assert (figure.media_type, figure.width, figure.height) == ("image/png", 32, 24)
    assert b"SECRET-AUTHOR-NAME" not in figure.data
    assert "Author" not in Image.open(io.BytesIO(figure.data)).info


def test_jpeg_is_accepted_and_its_exif_dropped():
    raw = jpeg_with_exif()
    assert b"SECRET-ARTIST" in raw
    figure = prepare_figure("photo.jpg", raw)
    assert figure.media_type == "image/jpeg"
    assert b"SECRET-ARTIST" not in figure.data and b"SECRET-DESCRIPTION" not in figure.data
    assert not Image.open(io.BytesIO(figure.data)).getexif()


def test_type_is_read_from_the_content_not_the_name():
    gif = io.BytesIO()
    Image.new("RGB", (8, 8)).save(gif, format="GIF")
    with pytest.raises(FigureError, match="PNG or JPEG"):
        prepare_figure("animation.png", gif.getvalue())
    with pytest.raises(FigureError, match="PNG or JPEG"):
        prepare_figure("notes.png", b"just some text, not an image")
    # A PNG named .jpg is still a PNG.
    assert prepare_figure("plot.jpg", make_png()).media_type == "image/png"


def noisy_png() -> bytes:
    out = io.BytesIO()
    Image.frombytes("L", (200, 200), os.urandom(200 * 200)).save(out, format="PNG")
    return out.getvalue()


def test_truncated_image_is_refused():
    with pytest.raises(FigureError, match="could not be read"):
        prepare_figure("broken.png", noisy_png()[:2000])


def test_too_many_bytes():
    with pytest.raises(FigureError, match="too large"):
        prepare_figure("plot.png", make_png(), max_bytes=100)


def test_too_many_pixels_refused_before_decoding():
    raw = make_png(size=(400, 300))
    assert prepare_figure("plot.png", raw, max_pixels=120_000).width == 400
    with pytest.raises(FigureError, match="too many pixels"):
        prepare_figure("plot.png", raw, max_pixels=119_999)


def test_decompression_bomb_is_refused():
    # 20000 x 20000 one-bit pixels compress to a few kilobytes; Pillow's own guard trips too.
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, format="PNG")
    with pytest.raises(FigureError, match="too many pixels"):
        prepare_figure("bomb.png", out.getvalue(), max_pixels=10**10)


def test_names_are_plain():
    with pytest.raises(FigureError):
        prepare_figure("../x.png", make_png())
