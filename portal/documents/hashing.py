"""Fingerprints: of the print style (TEMPLATE_VERSION) and of a proposal's printed content."""

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from portal.documents.layout import PRINT_DIR

_PACKAGE = Path(__file__).resolve().parent


def _template_version() -> str:
    # Anything that can change the printed pages: templates, stylesheet, fonts, and this code.
    files = (
        sorted(PRINT_DIR.glob("*")) + sorted((_PACKAGE / "fonts").glob("*")) + sorted(_PACKAGE.glob("*.py"))
    )
    digest = hashlib.sha256()
    for path in files:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


TEMPLATE_VERSION = _template_version()


class FigureStamp(Protocol):
    """What the hash reads of a figure: a `FigureImage`, or its stored type and hash without the bytes."""

    @property
    def media_type(self) -> str: ...

    @property
    def sha256(self) -> str: ...


def content_hash(content: Mapping, figures: Mapping[str, FigureStamp], context: object | None = None) -> str:
    """sha256 of the canonical JSON content, the figures' bytes, the print context and TEMPLATE_VERSION."""
    digest = hashlib.sha256(TEMPLATE_VERSION.encode() + b"\0")
    digest.update(json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())
    for name in sorted(figures):
        digest.update(f"\0figure\0{name}\0{figures[name].media_type}\0{figures[name].sha256}".encode())
    if context is not None:
        digest.update(b"\0context\0" + repr(context).encode())
    return digest.hexdigest()
