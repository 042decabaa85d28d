"""The official file name of a proposal's PDF, and its Content-Disposition header."""

import re
from urllib.parse import quote

from anyascii import anyascii

from portal.names import surname_in_capitals

EN_DASH = "\u2013"
# Characters no common file system accepts, and control characters.
_ILLEGAL = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')
_SPACES = re.compile(r"\s+")


def _clean(part: object) -> str:
    return _SPACES.sub(" ", _ILLEGAL.sub(" ", str(part))).strip()


def official_filename(acronym: str, year: int | str, surname: str, ordinal: int = 1) -> str:
    """'SCAI – AAP 2021 – LAMPRIER.pdf'; a second file of the same name gets ' (2)'."""
    name = f"{_clean(acronym)} {EN_DASH} AAP {_clean(year)} {EN_DASH} {surname_in_capitals(_clean(surname))}"
    if ordinal > 1:
        name += f" ({ordinal})"
    return f"{name}.pdf"


def ascii_filename(filename: str) -> str:
    """The name for old clients, transliterated (Ø → O, ß → ss, Œ → OE, Ł → L, dashes → "-"):
    stripping accents alone drops the letters that have no decomposition. What is left outside
    the safe set becomes "_"."""
    return re.sub(r"[^A-Za-z0-9 ._()\-]", "_", _transliterate(filename))


def _transliterate(text: str) -> str:
    # anyascii writes "Œ" as "Oe": in a word in capitals (the surname) it must stay "OE".
    out = []
    for index, character in enumerate(text):
        ascii_text = anyascii(character)
        following = text[index + 1 : index + 2]
        if character.isupper() and (not following.isalpha() or following.isupper()):
            ascii_text = ascii_text.upper()
        out.append(ascii_text)
    return "".join(out)


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """RFC 6266 header: an ASCII `filename` and the exact UTF-8 `filename*` (RFC 5987)."""
    return (
        f"{disposition}; filename=\"{ascii_filename(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
