"""The only way WeasyPrint may load anything: bundled assets, this proposal's figures and formulas."""

import logging
from collections.abc import Mapping
from pathlib import Path

from weasyprint.urls import URLFetcher, URLFetcherResponse

from portal.documents.figures import FIGURE_NAME, FigureImage

logger = logging.getLogger(__name__)

ASSET_SCHEME = "prd-asset:"
FIGURE_SCHEME = "figure:"
FONTS_DIR = Path(__file__).parent / "fonts"
# Exact names, no path: nothing a document writes can reach another file.
ASSETS = {f"fonts/{path.name}": (path, "font/ttf") for path in sorted(FONTS_DIR.glob("*.ttf"))}


class FetchRefused(ValueError):
    """WeasyPrint asked for a URL outside the allow-list."""


class SafeURLFetcher(URLFetcher):
    """Serves `prd-asset:NAME` and `figure:NAME`; refuses every other URL, without any I/O.

    `formulas` maps `prd-asset:math/SHA256` URLs to the SVG of this document's typeset formulas
    (ziamath's output, never user markup); other `math/` names are refused like unknown assets.
    """

    def __init__(
        self, figures: Mapping[str, FigureImage] | None = None, formulas: Mapping[str, str] | None = None
    ):
        # No handlers (no http, file, ftp, data): the parent's opener is never used.
        self.handlers = []
        self._timeout = 0
        self._http_headers = {}
        self._allowed_protocols = ()
        # A refused resource is dropped with a warning; the rest of the document still renders.
        self._fail_on_errors = False
        self._request = None
        self.figures = dict(figures or {})
        self.formulas = dict(formulas or {})
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        """Return the asset or figure named by `url`, or raise FetchRefused."""
        if url.startswith(ASSET_SCHEME):
            asset = ASSETS.get(url[len(ASSET_SCHEME) :])
            if asset is not None:
                path, media_type = asset
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media_type})
            svg = self.formulas.get(url)
            if svg is not None:
                return URLFetcherResponse(url, svg.encode(), {"Content-Type": "image/svg+xml"})
        elif url.startswith(FIGURE_SCHEME):
            name = url[len(FIGURE_SCHEME) :]
            figure = self.figures.get(name) if FIGURE_NAME.match(name) else None
            if figure is not None:
                return URLFetcherResponse(url, figure.data, {"Content-Type": figure.media_type})
        self.refused.append(url[:200])
        logger.info("PDF rendering refused to fetch %.200s", url)
        raise FetchRefused(f"refused: {url[:200]}")

    def open(self, url, data=None, timeout=None):
        return self.fetch(getattr(url, "full_url", url))

    def __call__(self, url):
        return self.fetch(url)
