"""Short Markdown texts typed on the portal's pages (the chair's summary) to safe HTML.

The description's CommonMark (docs/proposals.md) without what a short text has no use for and
what would cost a worker: no headings (the page has its own), no formulas, no images, no raw
HTML. The output is cleaned by nh3 as the description's is, so that a text can only ever be
paragraphs, emphasis, lists, quotes, code, tables and links.
"""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_MD = (
    MarkdownIt("commonmark", {"html": False, "typographer": False})
    .enable(["table", "strikethrough"])
    .disable(["heading", "lheading", "image"])
)
_TAGS = {
    "p", "br", "hr", "em", "strong", "s", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


def render_short(text: str) -> Markup:
    """Safe HTML for a short text; callers bound its length where it is typed."""
    html = _MD.render(text)
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return Markup(clean)  # noqa: S704  # sanitised just above
