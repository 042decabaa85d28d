"""The official file name of a proposal's PDF, and its Content-Disposition header."""

import re
import unicodedata
from urllib.parse import quote

EN_DASH = "\u2013"
# Characters no common file system accepts, and control characters.
_ILLEGAL = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')
_SPACES = re.compile(r"\s+")


def _clean(part: object) -> str:
    return _SPACES.sub(" ", _ILLEGAL.sub(" ", str(part))).strip()


def official_filename(acronym: str, year: int | str, surname: str, ordinal: int = 1) -> str:
    """'SCAI – AAP 2021 – LAMPRIER.pdf'; a second file of the same name gets ' (2)'."""
    name = f"{_clean(acronym)} {EN_DASH} AAP {_clean(year)} {EN_DASH} {_clean(surname).upper()}"
    if ordinal > 1:
        name += f" ({ordinal})"
    return f"{name}.pdf"


def ascii_filename(filename: str) -> str:
    """The name for old clients: accents stripped, dashes as hyphens, other characters as '_'."""
    text = filename.replace(EN_DASH, "-").replace("\u2014", "-")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9 ._()\-]", "_", text)


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """RFC 6266 header: an ASCII `filename` and the exact UTF-8 `filename*` (RFC 5987)."""
    return (
        f"{disposition}; filename=\"{ascii_filename(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
