"""Formulas in the PDF: ziamath's SVG turned once into PDF path operators, drawn as images.

WeasyPrint draws an SVG by re-parsing every glyph path (`d` strings, units, colours) at each
draw; a formula of the description is ~300 path commands. Here the SVG that ziamath produced
(fills of absolute `M L Q C Z` paths and rectangles, in plain colours) is converted once per
formula into PDF operators (cached with the formula), and drawn by a small WeasyPrint image
object: one `cm`, the cached operators. Anything else ziamath may produce (strokes, transforms,
opacity, text, …) makes `pdf_operators` return None, and that formula is drawn by WeasyPrint's
own SVG renderer from the same markup (served by the fetcher), as before.

Each drawn formula also carries its LaTeX source as text: invisible glyphs (rendering mode 3) of
a glyphless Type 3 font spread over the formula's box, inside a `/Span` with `/ActualText`, so
that text extraction, search and copy give the source (docs/pdf.md, "Formulas as text").
"""

import re
import xml.etree.ElementTree as ET

import pydyf
from tinycss2.color5 import parse_color

SVG = "{http://www.w3.org/2000/svg}"
_TOKEN = re.compile(r"([MLQCZmlqcz])|(-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)|([ ,\t\r\n]+)|(.)")
# Attributes that do not change the drawing (or are handled here); any other one means fallback.
_ROOT_ATTRIBUTES = {"xmlns", "xmlns:xlink", "width", "height", "viewBox", "class", "role", "aria-label"}
_PAINT = {"fill"}


def _number(value: float) -> bytes:
    # Coordinates are in ziamath units (20 per em, ziamath itself writes 2 decimals): 0.005 unit
    # is 0.003 pt at 11 pt, far below a device pixel.
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return (text if text not in ("-0", "") else "0").encode()


def _colour(value: str) -> bytes | None:
    """`r g b rg` for an opaque sRGB colour, None for anything else (fallback)."""
    color = parse_color(value)
    if color is None or isinstance(color, str) or color.alpha != 1:
        return None
    try:
        r, g, b = color.to("srgb").coordinates
    except Exception:
        return None
    if any(not 0 <= c <= 1 for c in (r, g, b)):
        return None
    return b" ".join((_number(r), _number(g), _number(b), b"rg"))


def _path(d: str) -> bytes | None:
    """PDF path construction operators for an absolute M/L/Q/C/Z path; None if it is anything else."""
    out: list[bytes] = []
    numbers: list[float] = []
    command = None
    x = y = 0.0
    start = (0.0, 0.0)

    def flush() -> bool:
        nonlocal x, y, start
        if command is None:
            return not numbers
        arity = {"M": 2, "L": 2, "Q": 4, "C": 6, "Z": 0}[command]
        if command == "Z":
            if numbers:
                return False
            out.append(b"h")
            x, y = start
            return True
        if not numbers or len(numbers) % arity:
            return False
        for i in range(0, len(numbers), arity):
            args = numbers[i : i + arity]
            if command == "M" and i == 0:
                x, y = args
                start = (x, y)
                out.append(_number(x) + b" " + _number(y) + b" m")
                continue
            if out and out[-1] == b"h":  # SVG goes on from the closed contour's start; PDF needs an m
                out.append(_number(x) + b" " + _number(y) + b" m")
            if command in "ML":  # extra M pairs are implicit line-tos
                if (args[0], args[1]) == (x, y):
                    continue  # ziamath starts every contour with a zero-length line: nothing to fill
                x, y = args
                out.append(_number(x) + b" " + _number(y) + b" l")
            elif command == "Q":  # quadratic to cubic: control points 2/3 of the way
                qx, qy, ex, ey = args
                c1 = (x + 2 * (qx - x) / 3, y + 2 * (qy - y) / 3)
                c2 = (ex + 2 * (qx - ex) / 3, ey + 2 * (qy - ey) / 3)
                out.append(b" ".join(_number(v) for v in (*c1, *c2, ex, ey)) + b" c")
                x, y = ex, ey
            else:
                out.append(b" ".join(_number(v) for v in args) + b" c")
                x, y = args[4], args[5]
        return True

    for match in _TOKEN.finditer(d):
        letter, number, _space, other = match.groups()
        if other is not None or (letter is not None and letter.islower()):
            return None  # relative commands, arcs, H/V…: not what ziamath writes
        if letter is not None:
            if not flush():
                return None
            command, numbers = letter, []
        elif number is not None:
            if command is None:
                return None
            numbers.append(float(number))
    if not flush() or not out or not out[0].endswith(b" m"):
        return None
    return b"\n".join(out)


def pdf_operators(element: ET.Element) -> bytes | None:
    """The drawing of a ziamath SVG as PDF operators in viewBox units (y down), or None."""
    if element.tag not in (f"{SVG}svg", "svg") or set(element.attrib) - _ROOT_ATTRIBUTES:
        return None
    out: list[bytes] = []
    current: list[bytes | None] = [None]  # the colour last set, to skip repeats

    def walk(node: ET.Element, fill: str) -> bool:
        for child in node:
            tag = child.tag.removeprefix(SVG)
            if tag == "title":
                continue
            if (
                set(child.attrib)
                - _PAINT
                - ({"d"} if tag == "path" else set())
                - ({"x", "y", "width", "height"} if tag == "rect" else set())
            ):
                return False
            child_fill = child.get("fill", fill).strip()
            if tag == "g":
                if not walk(child, child_fill):
                    return False
                continue
            if len(child):
                return False
            if tag == "path":
                geometry = _path(child.get("d", ""))
            elif tag == "rect":
                try:
                    x, y, w, h = (float(child.get(k, "0")) for k in ("x", "y", "width", "height"))
                except ValueError:
                    return False
                if w < 0 or h < 0:
                    return False
                geometry = b" ".join(_number(v) for v in (x, y, w, h)) + b" re" if w and h else b""
            else:
                return False
            if geometry is None:
                return False
            if not geometry or child_fill == "none":
                continue
            colour = _colour(child_fill)
            if colour is None:
                return False
            if colour != current[0]:
                out.append(colour)
                current[0] = colour
            out.append(geometry)
            out.append(b"f")
        return True

    if not walk(element, element.get("fill", "black")):
        return None
    return b"\n".join(out)


class FormulaImage:
    """A typeset formula as a WeasyPrint image: intrinsic size in em, drawn from cached operators.

    Implements what WeasyPrint asks of an image (`get_intrinsic_size`, `draw`); WeasyPrint finds
    it in the per-render image cache under the formula's `prd-asset:math/…` URL.
    """

    def __init__(
        self, width_em: float, height_em: float, view_box: tuple[float, ...], operators: bytes, source: str
    ):
        self.width_em = width_em
        self.height_em = height_em
        self.view_box = view_box
        self.operators = operators
        self.source = source

    def get_intrinsic_size(self, image_resolution, font_size):
        width, height = self.width_em * font_size, self.height_em * font_size
        return width, height, (width / height if height else None)

    def draw(self, stream, concrete_width, concrete_height, _style):
        # WeasyPrint has saved the graphics state and moved to the box (draw_replacedbox).
        # viewBox → box as SVG's default preserveAspectRatio (xMidYMid meet).
        x, y, width, height = self.view_box
        if width <= 0 or height <= 0:
            return
        scale = min(concrete_width / width, concrete_height / height)
        dx = (concrete_width - width * scale) / 2 - x * scale
        dy = (concrete_height - height * scale) / 2 - y * scale
        font_size = concrete_height / self.height_em if self.height_em else concrete_height
        # ziamath's baseline is the viewBox's y = 0.
        stream.stream.append(
            text_layer(self.source, x=x * scale + dx, baseline=dy, width=width * scale, font_size=font_size)
        )
        stream.transform(a=scale, d=scale, e=dx, f=dy)
        stream.stream.append(self.operators)


# The text layer's font: one glyph, drawn as nothing, for every code from 32 to 255, mapped to the
# same Unicode code points (Latin-1). Characters beyond are written "?"; /ActualText has them all.
TEXT_FONT = "PRDMathText"
_FIRST, _LAST, _GLYPH_WIDTH = 32, 255, 500  # glyph space: 1000 per em
_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /PRD-Latin1-UCS def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
1 beginbfrange
<20> <FF> <0020>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end"""


def _codes(source: str) -> bytes:
    text = re.sub(r"\s+", " ", source)
    return bytes(ord(c) if _FIRST <= ord(c) <= _LAST else ord("?") for c in text)


def text_layer(source: str, *, x: float, baseline: float, width: float, font_size: float) -> bytes:
    """Invisible text of `source` from `x` over `width` on `baseline` (y down), with its /ActualText."""
    codes = _codes(source)
    if not codes or width <= 0 or font_size <= 0:
        return b""
    scaling = 100 * width / (len(codes) * font_size * _GLYPH_WIDTH / 1000)
    actual = pydyf.String(source).data
    return b" ".join(
        (
            b"/Span <</ActualText " + actual + b">> BDC BT",
            b"/" + TEXT_FONT.encode(),
            _number(font_size),
            b"Tf 3 Tr",
            _number(scaling),
            b"Tz 1 0 0 -1",
            _number(x),
            _number(baseline),
            b"Tm <" + codes.hex().encode() + b"> Tj ET EMC",
        )
    )


def add_text_font(pdf: pydyf.PDF) -> None:
    """A finisher step: give the pages the text layer's font, if a formula's text uses it.

    WeasyPrint builds the font resources when it writes the file, after the formulas are drawn;
    all pages and their XObjects share one /Font dictionary.
    """
    marker = b"/" + TEXT_FONT.encode() + b" "
    streams = (item.stream for item in pdf.objects if isinstance(item, pydyf.Stream))
    if not any(isinstance(part, bytes) and marker in part for parts in streams for part in parts):
        return
    font_dictionaries = []
    for item in pdf.objects:
        if isinstance(item, pydyf.Dictionary) and item.get("Type") == "/Page":
            resources = _resolve(pdf, item["Resources"])
            fonts = _resolve(pdf, resources["Font"])
            if all(fonts is not known for known in font_dictionaries):
                font_dictionaries.append(fonts)
    font = _text_font(pdf)
    for fonts in font_dictionaries:
        fonts[TEXT_FONT] = font.reference


def _resolve(pdf: pydyf.PDF, value):
    if isinstance(value, bytes) and value.endswith(b" R"):
        return pdf.objects[int(value.split()[0])]
    return value


def _text_font(pdf: pydyf.PDF) -> pydyf.Dictionary:
    glyph = pydyf.Stream([f"{_GLYPH_WIDTH} 0 d0".encode()], compress=True)
    to_unicode = pydyf.Stream([_TO_UNICODE], compress=True)
    # Tagged PDF asks for a descriptor, even for a Type 3 font.
    descriptor = pydyf.Dictionary(
        {
            "Type": "/FontDescriptor",
            "FontName": f"/{TEXT_FONT}",
            "Flags": 32,
            "ItalicAngle": 0,
            "Ascent": 800,
            "Descent": -200,
            "CapHeight": 700,
            "StemV": 80,
        }
    )
    for item in (glyph, to_unicode, descriptor):
        pdf.add_object(item)
    count = _LAST - _FIRST + 1
    font = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/Type3",
            "Name": f"/{TEXT_FONT}",
            "FontBBox": pydyf.Array([0, 0, 0, 0]),
            "FontMatrix": pydyf.Array([0.001, 0, 0, 0.001, 0, 0]),
            "CharProcs": pydyf.Dictionary({"g": glyph.reference}),
            "Encoding": pydyf.Dictionary(
                {"Type": "/Encoding", "Differences": pydyf.Array([_FIRST] + ["/g"] * count)}
            ),
            "FirstChar": _FIRST,
            "LastChar": _LAST,
            "Widths": pydyf.Array([_GLYPH_WIDTH] * count),
            "FontDescriptor": descriptor.reference,
            "ToUnicode": to_unicode.reference,
            "Resources": pydyf.Dictionary(),
        }
    )
    pdf.add_object(font)
    return font
